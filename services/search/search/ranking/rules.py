"""Rules a release must pass, each a small object that says why it fails, in words, or None.

Each rule is judged alone and all are run, so a rejected release lists every reason it lost.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import FindReleases, Release
from search.parsing.ids import normalise_imdb_id
from search.ranking.titles import normalise_title


class Reason(StrEnum):
    TITLE_MISMATCH = "title_mismatch"
    WRONG_YEAR = "wrong_year"
    NO_SEEDERS = "no_seeders"
    WRONG_SEASON = "wrong_season"
    WRONG_EPISODE = "wrong_episode"


@dataclass(frozen=True)
class Rejection:
    reason: Reason
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Wanted:
    """The request, prepared once for every release to be compared against."""

    request: FindReleases
    titles: frozenset[str]
    imdb_id: str | None

    @classmethod
    def of(cls, request: FindReleases) -> "Wanted":
        names = [request.title, request.original_title, *request.alternative_titles]
        return cls(
            request=request,
            titles=frozenset(t for t in (normalise_title(n) for n in names if n) if t),
            imdb_id=normalise_imdb_id(request.imdb_id),
        )

    def identified_by(self, release: Release) -> bool:
        """The indexer tagged the release with the wanted title's id: surer than any name."""
        if self.imdb_id and normalise_imdb_id(release.imdb_id) == self.imdb_id:
            return True
        return release.tmdb_id is not None and release.tmdb_id == self.request.tmdb_id


class Rule(Protocol):
    def check(self, release: Release, wanted: Wanted) -> Rejection | None: ...


class TitleMatches:
    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        if wanted.identified_by(release):
            return None
        title = release.parsed.title if release.parsed else None
        if title and normalise_title(title) in wanted.titles:
            return None
        return Rejection(Reason.TITLE_MISMATCH, "title does not match")


class YearMatches:
    """Within one year: a film's release year differs by country and festival premiere."""

    tolerance = 1

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        year = release.parsed.year if release.parsed else None
        if wanted.request.year is None or year is None or wanted.identified_by(release):
            return None
        if abs(year - wanted.request.year) > self.tolerance:
            return Rejection(Reason.WRONG_YEAR, f"wrong year {year}")
        return None


class HasSeeders:
    """Nobody to download from. An unknown count is not zero: the indexer just did not say."""

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        if release.seeders is not None and release.seeders <= 0:
            return Rejection(Reason.NO_SEEDERS, "no seeders")
        return None


class EpisodeMatches:
    """For a season or an episode: another season or episode is another download."""

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        request, parsed = wanted.request, release.parsed
        if request.media_type != MediaType.TV or parsed is None or request.season is None:
            return None
        if parsed.season is not None and parsed.season != request.season:
            return Rejection(Reason.WRONG_SEASON, f"wrong season {parsed.season}")
        if request.episode is not None and parsed.episodes and request.episode not in parsed.episodes:
            shown = ", ".join(str(e) for e in parsed.episodes)
            return Rejection(Reason.WRONG_EPISODE, f"wrong episode {shown}")
        return None


DEFAULT_RULES: tuple[Rule, ...] = (TitleMatches(), YearMatches(), EpisodeMatches(), HasSeeders())
