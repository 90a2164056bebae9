"""Which episode a file named by a bare number is (`[SubsPlease] Show - 33 (1080p).mkv`, `Show - 05v2`).

Fansubs number an anime's episodes over the whole show: a release that names no season, when the
completion's facts carry the episodes' absolute numbers (catalog's, as search matched the release by them),
is read so: `- 33` is the episode whose absolute number is 33, S02E05 when season 1 had 28. A number the
facts do not list is placed by the job's season's offset (its episodes' absolute number minus their number,
when they agree), and one below it belongs to an earlier season, which the facts cannot name: it is left
in the download. Otherwise (a pack that names its season, `Show S2 [Batch]`, or facts without absolute
numbers) a bare number is the job's season's own episode, as before.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from niluflix.contracts.downloads import EpisodeFacts
from organizer.library.episode_names import EpisodeRef

# A release name that says its season: `S2`, `S02`, `S02E05`, `Season 2`, `2nd Season`.
_NAMES_SEASON = re.compile(
    r"(?<![a-z0-9])(?:s(?:eason)?[ ._-]?\d{1,2}(?![0-9])|\d{1,2}(?:st|nd|rd|th)[ ._-]season)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class BareNumbers:
    """How a bare number of this download is read."""

    season: int | None
    # Absolute number -> (season, episode), from the facts; empty: numbers are the season's own.
    by_absolute: dict[int, tuple[int, int]] = field(default_factory=dict)
    # Absolute number minus episode number in `season`, when every fact of it agrees.
    offset: int | None = None

    def ref(self, number: int) -> EpisodeRef | None:
        if not self.by_absolute:
            return None if self.season is None else EpisodeRef(season=self.season, episodes=(number,))
        if number in self.by_absolute:
            season, episode = self.by_absolute[number]
            return EpisodeRef(season=season, episodes=(episode,))
        if self.season is not None and self.offset is not None and number - self.offset >= 1:
            return EpisodeRef(season=self.season, episodes=(number - self.offset,))
        return None


def names_a_season(name: str) -> bool:
    return bool(_NAMES_SEASON.search(name))


def bare_numbers(
    season: int | None, facts: Sequence[EpisodeFacts], release_names: Sequence[str]
) -> BareNumbers:
    """The reading of bare numbers for a download of the job's `season`, named `release_names` (the
    release's and the torrent's own name)."""
    numbered = [f for f in facts if f.absolute_number is not None]
    if not numbered or any(names_a_season(n) for n in release_names if n):
        return BareNumbers(season=season)
    offsets = {f.absolute_number - f.episode for f in numbered if f.season == season}
    return BareNumbers(
        season=season,
        by_absolute={f.absolute_number: (f.season, f.episode) for f in numbered},
        offset=offsets.pop() if len(offsets) == 1 else None,
    )
