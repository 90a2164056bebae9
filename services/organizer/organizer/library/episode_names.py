"""Which episode a file is, read from its name: `S01E02`, `S01E01E02`, `S01E01-E03`, `1x02`, `2024.03.15`,
and in a pack of a known season a bare `Show - 05`.

A small module of our own rather than a general release-name parser: the organizer needs only the episode
numbers (the search service's parser is that service's own, and guessit with its rebulk engine is a big
dependency for three patterns). Every number is checked for sense, so `1920x1080` or `x264` never reads
as an episode.
"""

import re
from dataclasses import dataclass
from datetime import date

# A range or list longer than this is a mistake in a name, not one file of that many episodes.
MAX_EPISODES_PER_FILE = 12

_SXXEYY = re.compile(
    r"(?<![a-z0-9])s(?P<season>\d{1,2})[ ._-]?e(?P<first>\d{1,3})"
    r"(?P<more>(?:[ ._]?-?[ ._]?e\d{1,3}|-\d{1,3}(?![0-9p]))*)"
    r"(?![0-9])",
    re.IGNORECASE,
)
_MORE = re.compile(r"(-)?[ ._]?(?:e)?(\d{1,3})", re.IGNORECASE)
_NXMM = re.compile(r"(?<![a-z0-9])(?P<season>\d{1,2})x(?P<first>\d{2,3})(?![0-9a-z])", re.IGNORECASE)
_DATE = re.compile(r"(?<![0-9])(?P<y>(?:19|20)\d{2})[ ._-](?P<m>\d{2})[ ._-](?P<d>\d{2})(?![0-9])")
# A bare episode number, as anime and some season packs write it: `Show - 05 [1080p]`, `Show - 05v2`,
# `Show.E05.720p`, `Show Episode 5`. It names no season, so only a pack of a known season reads it.
_BARE = re.compile(
    r"(?:\s-\s*|(?<![a-z0-9])(?:e|ep|episode)[ ._]?)(?P<episode>\d{1,3})(?:v\d)?(?=[ ._\[\(-]|$)",
    re.IGNORECASE,
)
# Codecs written as `x264`/`x265` after a number (`5.1x264`) look like `1x264`.
_CODEC_NUMBERS = {264, 265}


@dataclass(frozen=True)
class EpisodeRef:
    """What a name says: a season and its episodes, or an air date (daily shows), or both."""

    season: int | None
    episodes: tuple[int, ...] = ()
    air_date: date | None = None

    @property
    def numbered(self) -> bool:
        return self.season is not None and bool(self.episodes)


def parse_episode(name: str) -> EpisodeRef | None:
    """The episode a file or folder name holds, or None when it names none."""
    match = _SXXEYY.search(name)
    if match:
        episodes = _episodes(int(match["first"]), match["more"])
        if episodes:
            return EpisodeRef(season=int(match["season"]), episodes=episodes, air_date=_date(name))
    for match in _NXMM.finditer(name):
        episode = int(match["first"])
        if episode not in _CODEC_NUMBERS:
            return EpisodeRef(season=int(match["season"]), episodes=(episode,), air_date=_date(name))
    aired = _date(name)
    return EpisodeRef(season=None, air_date=aired) if aired else None


def parse_episode_number(name: str) -> int | None:
    """A bare episode number (`Show - 05`, `Show.E05`), for a file of a season pack whose season is known."""
    match = _BARE.search(name)
    return int(match["episode"]) if match else None


def _episodes(first: int, more: str) -> tuple[int, ...]:
    """`E01` + `E02E03` is a list; `E01` + `-E03` or `-03` a range; nonsense gives ()."""
    episodes = [first]
    for dash, number in _MORE.findall(more):
        last = int(number)
        if dash and last > episodes[-1]:
            episodes.extend(range(episodes[-1] + 1, last + 1))
        elif last > episodes[-1]:
            episodes.append(last)
        else:
            return ()
    if len(episodes) > MAX_EPISODES_PER_FILE:
        return ()
    return tuple(episodes)


def _date(name: str) -> date | None:
    for match in _DATE.finditer(name):
        try:
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
    return None
