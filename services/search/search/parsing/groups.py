"""Who made a release: the group at the end of its name (`-GRP`), in front (`[Group]`), or signing a tag block
(`(1080p BluRay x265 ... Tigole)`), with the site tags, junk suffixes and file extensions that are no group.
"""

import re

from search.parsing.tokens import DIGITS, TAG_SEPARATORS, all_tags, is_tag

# bracketed trailers of indexer sites, not groups: `...-GRP[rarbg]`, `...[eztv.re]`
_SITES = re.compile(
    r"^(?:rarbg|eztv(?:\.\w+)?|ettv|tgx|torrentgalaxy|1337x|ethd|eztvx\.to|publichd|"
    r"rartv|glodls|pahe\.in|pahe|psa|xbet|btx|mkvcage|ettv\.to)$",
    re.IGNORECASE,
)
# junk some uploaders append after the group: `-GRP-Obfuscated`
_GROUP_JUNK = re.compile(
    r"(?:[-.\s](?:obfuscated|postbot|xpost|scrambled|asrequested|rakuvfinhel|"
    r"rakuv\d*|buymore|chamele0n|sample|repost|rp|4p|4planet|alternativetorequested|nzbgeek|venom|"
    r"whiterev|gerov|cd\d|dis[ck]\d))+$",
    re.IGNORECASE,
)
# the words `_GROUP_JUNK` can end with (`rakuv` once its digits are stripped): a cheap test before the regex,
_JUNK_WORDS = (
    "obfuscated",
    "postbot",
    "xpost",
    "scrambled",
    "asrequested",
    "rakuvfinhel",
    "rakuv",
    "buymore",
    "chamele0n",
    "sample",
    "repost",
    "rp",
    "4p",
    "4planet",
    "alternativetorequested",
    "nzbgeek",
    "venom",
    "whiterev",
    "gerov",
    "cd",  # `-GRP.CD1`: the first disc of a split rip
    "disc",
    "disk",
)
# with the separator before each: most groups end in none of them (`-GRP` does end in `rp`, not `-rp`)
_JUNK_ENDINGS = tuple(sep + word for word in _JUNK_WORDS for sep in "-. ")
_EXTENSION = re.compile(
    r"(?:\.(?:mkv|mp4|avi|m4v|wmv|mov|mpg|mpeg|webm|flv|iso|torrent|srt|nfo|rar|zip|ts|m2ts|nzb)|\s(?:mkv|mp4|avi))$",
    re.IGNORECASE,
)
_DOMAIN = re.compile(
    r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|nu|tv|to|me|cc|io|info|my|cz|ws|in|se)$", re.IGNORECASE
)


def release_group(body: str, title_end: int, leading: str | None) -> str | None:
    text = strip_extension(body.rstrip())
    if text.rstrip().lower().endswith(_DASHED_GROUPS):
        dashed = _DASHED_GROUP.search(text)
        if dashed and dashed.start() >= title_end:
            return dashed.group(1)
    brackets: list[str] = []
    while True:
        # the bracket pattern is tried at every position: most names do not end in one
        m = _TRAILING_BRACKET.search(text) if text.rstrip(" ._")[-1:] in (")", "]") else None
        if not m or m.start() < title_end:
            break
        inner = m.group(1).strip()
        if inner and not _SITES.match(inner) and not CRC.match(inner):
            brackets.append(inner)
        text = text[: m.start()]
    # `$` also matches before a final newline, hence the removesuffix
    if text.removesuffix("\n").rstrip(DIGITS).lower().endswith(_JUNK_ENDINGS):
        text = _GROUP_JUNK.sub("", text)
    m = _DASH_GROUP.search(text)
    if (
        m
        and m.start() > 0
        and text[m.start() - 1] in " _\t"
        and (leading or _ENDS_WITH_EPISODE.search(text, 0, m.start()))
    ):
        # `Title - S01E01 - Pilot`, `[Group] Title - 01 - Name`: an episode's own title, not a group
        m = None
    if m and m.start() >= title_end:
        name = m.group(1).strip(".")
        if (
            name
            and not is_tag(name)
            and name.lower() not in _NOT_GROUPS
            and not _EPISODE_NUMBER.match(name)
            # `Season.1-9.DVDRip`, `2019-10-30.720p`, `PT-BR.1080p`: the dash was inside a range, a date or
            # a tag, and tags follow
            and not ("." in name and any(all_tags(part) for part in name.split(".") if part))
        ):
            return name
    if leading:
        return leading
    # `[HorribleSubs][WEBRip]..[HD.720p]`: the last bracket that is no site, tag block or hash (looked up only
    # now: a group in front or after a dash spares the tag lookups)
    trailing = next((inner for inner in brackets if not _tag_block(inner)), None)
    if trailing and " " in trailing:
        # `(1080p BluRay x265 10bit AAC 5.1 Tigole)`: the group signs the end of its own tag block
        words = trailing.split()
        last = words[-1]
        if is_tag(words[0]) and not is_tag(last) and not CRC.match(last) and last.lower() not in _NOT_GROUPS:
            return last
        return None
    if trailing and not all_tags(trailing) and not CRC.match(trailing) and not _DOMAIN.match(trailing):
        return trailing
    return None


# the second half of a dashed tag at the end of a name (`WEB-DL`, `DTS-HD`), or a container, not a group
_NOT_GROUPS = frozenset(
    {
        "dl",
        "rip",
        "hd",
        "ma",
        "ray",
        "audio",
        "sub",
        "subs",
        "esub",
        "esubs",
        "msubs",
        "x",
        "tv",
        "mp4",
        "mkv",
        "avi",
    }
)
CRC = re.compile(r"^[0-9A-Fa-f]{8}$")
# groups whose own name has a dash, which would otherwise read as `-CM8`
_DASHED_GROUPS = ("hive-cm8", "vh-prod", "ftw-hs", "dx-tv", "d-z0n3")
_DASHED_GROUP = re.compile(r"[ ._\-](" + "|".join(map(re.escape, _DASHED_GROUPS)) + r")\s*$", re.IGNORECASE)
# `12v2`: an anime episode's second version; `SupNat-11_06`: a season and episode ending a file's name
_EPISODE_NUMBER = re.compile(r"\d+(?:[_.]\d+)?(?:v\d)?$")
_ENDS_WITH_EPISODE = re.compile(
    r"(?<![^\W_])(?:S\d{1,4}E\d{1,4}|\d{1,2}x\d{2,3}|E\d{1,4}|\d{1,4})(?:v\d)?\s*$", re.IGNORECASE
)
_DASH_GROUP = re.compile(r"-\s?([^\s\-\[\](){}]+)\s*$")
_TRAILING_BRACKET = re.compile(r"\s*[\[(]([^\[\]()]*)[\])][\s._]*$")


def _tag_block(text: str) -> bool:
    """`HD.720p`, `WEBRip`: a bracket of tags; `(1080p BluRay x265 ... Tigole)` is not one, its last word signs it."""
    # from the end: a group signs a block last, so a block that is not all tags usually fails at once
    parts = TAG_SEPARATORS.split(text)
    return all(is_tag(part) or part.lower() in _NOT_GROUPS for part in reversed(parts) if part)


def strip_extension(text: str) -> str:
    # an extension is at most `.torrent` long: only the end can hold one, the regex need not walk the name
    if "." not in text[-9:] and not text[-4:-3].isspace():
        return text
    return _EXTENSION.sub("", text)
