"""Titles reduced to what survives every release-naming habit, so equal titles compare equal."""

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u00b4]")
_ARTICLES = {"the", "a", "an"}
# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def normalise_title(title: str) -> str:
    """`The Amélie & Co.: Part II` -> `amelie and co part ii`.

    Case, accents and punctuation go; `&` reads as `and`; `Ocean's` and `Oceans` agree; a leading
    `The`/`A`/`An` is dropped (releases often leave it out), unless it is the whole title.
    """
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LETTERS)
    text = _APOSTROPHES.sub("", text.replace("&", " and "))
    words = _WORD.findall(text)
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=8192)  # a search repeats the same few titles thousands of times
def title_key(title: str) -> str:
    """The normal form without spaces: `d'Amélie`, `d.Amelie` and `dAmelie` name the same word."""
    return normalise_title(title).replace(" ", "")
