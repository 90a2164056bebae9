"""Outside text shown as typed: Markdown escaped, addresses kept whole."""

from ui.components.text import literal


def test_markdown_in_outside_text_is_escaped() -> None:
    assert literal("Batman: *Year One* costs $5 | [x]") == r"Batman: \*Year One\* costs \$5 \| \[x\]"


def test_an_address_is_shown_as_code_so_no_escape_shows_in_it() -> None:
    # Streamlit links a bare address itself and would show `list\_movies.json` with its backslash
    text = "Failed: no answer (https://yts.mx/api/v2/list_movies.json) for *Sintel*"
    assert literal(text) == r"Failed: no answer (`https://yts.mx/api/v2/list_movies.json`) for \*Sintel\*"
