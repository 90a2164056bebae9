"""Text from the outside world (titles, release names, paths) shown literally, not as Markdown."""

import re

# Only what changes inline text; the callers never put outside text at the start of a line.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>~$|])")


def literal(text: object) -> str:
    """Escape Markdown (and Streamlit's $…$ maths) so "Batman: *Year One*" shows as typed."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def title_with_year(title: str, year: int | None) -> str:
    return f"{title} ({year})" if year else title
