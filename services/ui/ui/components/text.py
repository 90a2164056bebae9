"""Text from the outside world (titles, release names, paths) shown literally, not as Markdown."""

import re

# Only what changes inline text; the callers never put outside text at the start of a line.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>~$|])")


# Streamlit links bare addresses itself, and inside such a link a backslash escape shows as typed
# (`list\_movies.json`): an address is shown as code instead, where nothing needs escaping.
_ADDRESS = re.compile(r"https?://[^\s`()]+")


def literal(text: object) -> str:
    """Escape Markdown (and Streamlit's $…$ maths) so "Batman: *Year One*" shows as typed."""
    text = str(text)
    parts, at = [], 0
    for address in _ADDRESS.finditer(text):
        parts += [_MARKDOWN.sub(r"\\\1", text[at : address.start()]), f"`{address.group()}`"]
        at = address.end()
    parts.append(_MARKDOWN.sub(r"\\\1", text[at:]))
    return "".join(parts)


def title_with_year(title: str, year: int | None) -> str:
    return f"{title} ({year})" if year else title
