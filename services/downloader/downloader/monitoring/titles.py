"""Show names compared the way release names spell them: `Marvel's Agents of S.H.I.E.L.D. (2013)` and
`Marvels.Agents.of.SHIELD` are the same show."""

import re
import unicodedata

_YEAR_OR_COUNTRY = re.compile(r"\s*\((?:\d{4}|us|uk|au|nz|ca)\)\s*$", re.IGNORECASE)
_APOSTROPHES = re.compile(r"['\u2019`´]")
_ACRONYM_DOTS = re.compile(r"\b[a-z](?:\.[a-z]){2,}\b\.?", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(title: str) -> str:
    """Lower-case ASCII words separated by one space; `&` is `and`, a trailing `(2013)` or `(US)` dropped."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = _YEAR_OR_COUNTRY.sub("", text)
    text = _APOSTROPHES.sub("", text)
    text = _ACRONYM_DOTS.sub(lambda m: m.group(0).replace(".", "") + " ", text)
    text = text.replace("&", " and ").casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())
