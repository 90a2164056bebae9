"""The title once its end is known: separators to spaces (acronyms keep their dots), alternative titles and
local-script titles dropped, a hanging article or an unbalanced bracket left by the cut removed.
"""

import re

_ACRONYM = re.compile(r"(?<![^\W_])((?:[^\W\d_]\.){2,})")
_AKA = re.compile(r"\s+(?:AKA|aka|a\.k\.a\.?)\s+")
# `Game of Thrones - The Complete Season 3`: the article belonged to the tag
# (`A` only after a dash: `Series Name A` is a title)
_HANGING_ARTICLE = re.compile(r"(?<=\w)(?:(?:\s*[-:])?\s+(?:The|the)|\s*[-:]\s+A)$")
# a last bracket of words, no number in it (`Movie Name (1080-720)` keeps its own)
_ALTERNATIVE = re.compile(r"(?<=\w)\s+\((?=[^()]*[^\W\d_])[^()\d]+\)$")
# `GTO (Great Teacher Onizuka)`: the bracket spells out an acronym, the title is both
_ACRONYM_ONLY = re.compile(r"[A-Z0-9]{2,6}")
_FOREIGN = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)


def clean_title(raw: str) -> str | None:
    text = raw
    if text.count(" ") < max(text.count("."), text.count("_")):
        text = text.replace("_", " ")
        # keep the dots of acronyms (`S.W.A.T.`), drop the ones between words
        text = _ACRONYM.sub(lambda m: m.group(1).replace(".", "\0"), text)
        text = text.replace(".", " ").replace("\0", ".")
    else:
        text = text.replace("_", " ")
    if "AKA" in text or "aka" in text or "a.k.a" in text:  # most titles have none: skip the regex
        text = _AKA.split(text, maxsplit=1)[0]
    if " / " in text:
        # Russian and Chinese trackers put the local title first and the original after `/`
        parts = [p for p in text.split(" / ") if p.strip()]
        latin = [
            p
            for p in parts
            if re.search(r"[A-Za-z]", p) and not re.search(r"[\u0400-\u04ff\u3040-\u9fff]", p)
        ]
        text = latin[0] if latin else parts[0]
    spaced = " ".join(text.split())
    text = spaced.strip(" -_.[({+,:;~|")
    if spaced[:1] == "(" and text.count(")") > text.count("("):
        text = "(" + text  # `(500) Days of Summer`: the bracket is the title's own
    # a local-script title before the original one: `超能警探.Memorist`, `О мышах и людях (Of Mice and Men)`
    words = text.split(" ")
    if len(words) > 1 and _FOREIGN.search(words[0]):
        latin = next((i for i, w in enumerate(words) if re.match(r"\(?[A-Za-z]", w)), None)
        if latin is not None and not any(_FOREIGN.search(w) for w in words[latin:]):
            text = " ".join(words[latin:]).strip("()")
    if text.endswith(")"):
        alternative = _ALTERNATIVE.search(text)
        if alternative and not _ACRONYM_ONLY.fullmatch(text[: alternative.start()]):
            # `Le Prestige (The Prestige)`, `La Defense Lincoln (The Lincoln Lawyer)`: another title in brackets,
            # which no index names the film by together with the first
            text = text[: alternative.start()]
    if " [" in text:
        # `Naruto [v2] [R2J] [VFR]`, `Casablanca [Ultimate Collector's Edition]`: brackets after the title are
        # the release's notes (a title that begins with one keeps it: `[REC]`)
        text = text[: text.index(" [")].rstrip(" -_.")
    if text.endswith(("The", "the", "A")):
        text = _HANGING_ARTICLE.sub("", text)
    # unbalanced opening brackets left by a cut inside `(2019 Remastered)`
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")].strip(" -_.")
    if text.count("[") > text.count("]"):
        text = text[: text.rfind("[")].strip(" -_.")
    return text or None
