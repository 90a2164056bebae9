"""Season and episode numbers that no tag marks on its own: anime episodes after a dash (`Title - 01`), bare
numbers after a group in front (`[Group] Title 01`), the old scene way (`Show.305.HDTV`), mini-series parts
(`Part.2`), and the episode lists a tag's tail spells (`E01E02`, `E01-E03`).
"""

import re

# the season said again: spaced (`S01E02 - S01E03`) it starts a list, glued (`S01E01-S01E03`) a range
_REPEATED_SEASON = re.compile(r"(?:[ ._]-[ ._]|[ ._](?:&|and)[ ._])?[ST]\d{1,4}", re.IGNORECASE)
_EPISODE_TAIL = re.compile(r"(-?)[ ._]?(?:E|EP)?(\d{1,4})", re.IGNORECASE)
# the season said again inside a list (`1x02.1x03`, `1x02-1x03`), not an `x` between episodes (`5x44x45`)
_XXE_SEASON = re.compile(r"(?:[ ._]-[ ._]|(?<=[-_ .]))\d{1,4}x", re.IGNORECASE)


def episode_list(first: int, more: str) -> list[int]:
    """`E01` + `E02E03` or `-E03` / `-03`: a dash is a range (`E01-E04` is four episodes), letters a list."""
    episodes = [first]
    for sep, number in _EPISODE_TAIL.findall(more):
        n = int(number)
        last = episodes[-1]
        if sep and last < n <= last + 200:
            episodes.extend(range(last + 1, n + 1))
        elif n not in episodes:
            episodes.append(n)
    return episodes


def sxe_episodes(first: int, more: str) -> list[int]:
    """`S01E01-S01E03` is `S01E01-E03`."""
    if "s" in more or "S" in more:
        more = _REPEATED_SEASON.sub(_list_or_range, more)
    return episode_list(first, more)


def xxe_episodes(first: int, more: str) -> list[int]:
    """`1x01-1x03` is `1x01-03`."""
    return episode_list(first, _XXE_SEASON.sub(_list_or_range, more) if more else more)


def _list_or_range(m: re.Match[str]) -> str:
    return "." if m.group()[:1] in " ._" else ""


def number_range(a: int, b: str | None, limit: int) -> list[int]:
    """`01-12` is twelve episodes; a second number not after the first (or absurdly far) is no range."""
    return list(range(a, int(b) + 1)) if b and a < int(b) <= a + limit else [a]


# an anime episode: `[Group] Title - 01 [1080p]`, `Title - 12v2`, `Title_-_03_`
ANIME_EPISODE = re.compile(
    r"[\s_.][-–][\s_.](?:(?:E|Ep|EP|#)\s?)?(\d{1,4})(?P<version>v\d)?"
    # a batch: `01-12`, `01~12`, `01 - 12` (spaced only from a zero-padded first: not `01 - 100 Days`)
    r"(?:(?:-|~|\s~\s)(\d{1,4})|\s-\s(\d{2}(?!\d)))?(?=[\s_\[(.]|$)(?![.,]\d)"
)


def anime_episode(body: str, start: int) -> re.Match[str] | None:
    """`Title - 01`: a number after a spaced dash, unless it is a year (`Title - 2019`) and no batch."""
    anime = ANIME_EPISODE.search(body, start)
    if anime and body[anime.end() : anime.end() + 2][1:].isalpha():
        # `Fairy Tail - 100 Years Quest - 05`: a number the title's words go on after; a later one is the episode
        anime = ANIME_EPISODE.search(body, anime.end()) or anime
    if anime and 1890 <= int(anime.group(1)) <= 2100 and not anime.group(3):
        return None
    return anime


def anime_episodes(anime: re.Match[str]) -> list[int]:
    first = anime.group(1)
    batch_end = anime.group(3) or (anime.group(4) if len(first) == 2 and first[0] == "0" else None)
    return number_range(int(first), batch_end, 2000)


# an anime episode after a group in front: `[Group] Title 01 [1080p]`, `Title [01]`, `Title (01-12)`
_BARE_EPISODE = re.compile(r"(?:[ ._](\d{1,4})|[ ._]?[\[(](\d{1,4})(?:-(\d{1,4}))?[\])])[ ._\-\[(]*$")


def bare_episode(body: str, start: int, title_end: int, unpadded: bool) -> tuple[int, list[int]] | None:
    """Where the title ends and the episodes, for `[Group] Title 01` and `Title [01-12]`."""
    bare = _BARE_EPISODE.search(body, start, title_end)
    if not bare or bare.start() <= start:
        return None
    if bare.group(1):
        number = int(bare.group(1))
        if not unpadded and bare.group(1)[0] != "0" or 1890 <= number <= 2100 or number == 0:
            return None  # `[Group] Title 2019`: a year
        return bare.start(), [number]
    return bare.start(), number_range(int(bare.group(2)), bare.group(3), 2000)


# the episode before the title: `[Group] 01 - Title [1080p]`, `[Group] 06 Title (720p)`; a spaced dash or a
# zero-padded number says so (`[Group] 91 Days [BD]`, `[Group] 009 Re:Cyborg` are titles)
_EPISODE_FIRST = re.compile(r"(?:(\d{2,3})(?:v\d)?[ _.]-[ _.]|(0\d)(?:v\d)?[ _.])(?=[^\W\d_])")


def episode_first(body: str, start: int, title_end: int) -> tuple[int, int] | None:
    """(where the title begins, episode) for `[Group] 01 - Title`."""
    first = _EPISODE_FIRST.match(body, start, title_end)
    if not first:
        return None
    return first.end(), int(first.group(1) or first.group(2))


# a file named by its episode, the show's name left to its folder: `003. Show - Title.avi`, `01 - Title`,
# `03-Title`, `02 Title`, `102 - Title` (S01E02), `611-612 - Title`, `4-13 Title` (S04E13), `2-06. Title`
_FILE_EPISODE_FIRST = re.compile(
    r"(?:(?P<season>[1-9])-(?P<episode>\d{2})(?:\.\s|\s)"
    r"|(?P<a>\d{2,3}|[1-9])(?:-(?P<b>\d{2,3}))?(?P<sep>\.\s|\s-\s|-|\s))"
    # the title after it begins with a capital or another script: `3-10 to Yuma` is a film, and so is the
    # `09 Movie - Dragon Ball Z` of a franchise's films
    r"(?=[^\W\d_])(?![a-z]|(?:Movie|Film)(?![^\W_]))"
)
_SPACED_DASH = re.compile(r"\s-\s")


def file_episode_first(body: str, start: int, title_end: int) -> tuple[int, int, int, list[int]] | None:
    """(where the title begins, where it ends, season or 0, episodes) for a file named by its episode first,
    in a name no year and no tag numbers: a zero-padded number (`003. `, `01 - `, `03-`, `02 `), three digits
    before a spaced dash or a dot (`102 - `: the season's digit, then the episode's two, as `Show.102.HDTV`
    reads), or a season, dash and episode (`4-13 `). Not `21 Jump Street`, `300 - Rise of an Empire`,
    `12 Angry Men`: an unpadded number before a plain space, or an episode 00, is the title's."""
    m = _FILE_EPISODE_FIRST.match(body, start, title_end)
    if not m:
        return None
    if m.group("season"):
        season, episodes = int(m.group("season")), [int(m.group("episode"))]
    else:
        a, b, sep = m.group("a"), m.group("b"), m.group("sep")
        if a[0] == "0":
            season = 0
            episodes = number_range(int(a), b, 500)
        elif len(a) == 3 and sep in (". ", " - ") and a[1:] != "00":
            season = int(a[0])
            last = b[1:] if b and len(b) == 3 and b[0] == a[0] else None
            episodes = number_range(int(a[1:]), last, 100)
        else:
            return None
        if b and len(episodes) == 1:
            return None  # `01-12` not a range, `1-800`: no episode numbering
    begin = m.end()
    # `003. Show Name - Ep Name`: the show's name, then the episode's
    dash = _SPACED_DASH.search(body, begin, title_end)
    return begin, dash.start() if dash else title_end, season, episodes


# a season and its episode ending a file's name: `office_03_19`, `Ozk.02.09`, `SupNat-11_06`; with a dash,
# as Russian viewers name files, `Доктор Хаус 03-20`
_FINAL_SEASON_EPISODE = re.compile(
    r"(?:(?<=[^\W\d_])[._\-](0\d|1\d)[._]|(?<=[ ._])(0?[1-9]|[1-9]\d)(?P<dash>-))(\d{2})$"
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def final_season_episode(body: str, start: int, title_end: int) -> tuple[int, int, int] | None:
    """(where the title ends, season, episode) for `office_03_19.avi` and `Доктор Хаус 03-20.mkv`, in a name
    nothing else numbers, dates or tags. A dash only after a Cyrillic title: elsewhere `Show Name 13-16` is a
    batch of episodes (and `11-11-11` no numbering at all)."""
    m = _FINAL_SEASON_EPISODE.search(body, start, title_end)
    if not m or m.start() <= start or m.group("dash") and not _CYRILLIC.search(body, start, m.start()):
        return None
    season = int(m.group(1) or m.group(2))
    return m.start(), season, int(m.group(4))


# `Part.2`, `Part Two`, `Pt.3`: a mini-series' episode
_PART_NUMBER = re.compile(
    r"(?<=[ ._])(?:Part|Pt)[ ._]?([1-9]\d?|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)[ ._\-]*$",
    re.IGNORECASE,
)
_PART_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
# `305` (S03E05) and `1013` (S10E13), the old scene numbering of TV broadcasts
# `0307` zero-padded too; `07` alone an episode of a show that numbers no season
_SEASON_EPISODE_NUMBER = re.compile(r"(?<=[ ._])(?:(0?[1-9]|1\d|2\d)(0[1-9]|[1-9]\d)|(0[1-9]))[ ._\-]*$")


def scene_number(body: str, start: int, title_end: int) -> tuple[int, int, int] | None:
    """(where the title ends, season, episode) for `Show.102.HDTV` (S01E02) and `Show.1013.HDTV` (S10E13);
    season 0 for `Show.07.HDTV`, an episode with no season."""
    numbered = _SEASON_EPISODE_NUMBER.search(body, start, title_end)
    if not numbered or numbered.start() <= start:
        return None
    if numbered.group(3):
        return numbered.start(), 0, int(numbered.group(3))
    return numbered.start(), int(numbered.group(1)), int(numbered.group(2))


def mini_series_part(body: str, start: int, title_end: int) -> tuple[int, int] | None:
    """(where the title ends, episode) for `Band.of.Brothers.Part.2.HDTV` or `Part Two`."""
    part = _PART_NUMBER.search(body, start, title_end)
    if not part or part.start() <= start:
        return None
    number = part.group(1)
    return part.start(), int(number) if number.isdigit() else _PART_WORDS[number.lower()]
