"""The interface every indexer client implements, and what it is asked."""

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import FindReleases, Release


@dataclass(frozen=True)
class SearchMode:
    """One Torznab search function: whether the indexer offers it, and with which parameters."""

    available: bool = False
    params: frozenset[str] = frozenset()

    def supports(self, param: str) -> bool:
        return self.available and param in self.params


@dataclass(frozen=True)
class Caps:
    """What an indexer says it can search (its `t=caps` answer)."""

    search: SearchMode = SearchMode(available=True, params=frozenset({"q"}))
    movie_search: SearchMode = SearchMode()
    tv_search: SearchMode = SearchMode()
    categories: frozenset[int] = field(default_factory=frozenset)
    limit_default: int | None = None
    limit_max: int | None = None

    def describe(self) -> str:
        if self.movie_search.supports("imdbid"):
            return "movie search by IMDb id"
        if self.movie_search.available:
            return "movie search by title"
        return "search by title"

    def describe_fully(self) -> str:
        """Movies and TV, and which ids: what "test connection" tells the user."""
        what = self.describe()
        if self.movie_search.supports("tmdbid"):
            what += " or TMDB id" if "IMDb" in what else " and by TMDB id"
        if self.tv_search.available:
            pairs = (("imdbid", "IMDb"), ("tvdbid", "TVDB"), ("tmdbid", "TMDB"))
            ids = [label for param, label in pairs if self.tv_search.supports(param)]
            what += ", TV search" + (f" by {' or '.join(ids)} id" if ids else " by title")
        return what

    def categories_for(self, parent: int) -> str | None:
        """The `cat` parameter for movies (2000) or TV (5000): the parent when offered (it covers its
        subcategories), else the subcategories offered; None when the indexer has none of that kind."""
        if not self.categories or parent in self.categories:
            return str(parent)
        subs = sorted(c for c in self.categories if parent < c < parent + 1000)
        return ",".join(map(str, subs)) if subs else None


# Original languages whose shows' releases are named by absolute number: anime fansubs (`[SubsPlease] Show -
# 17`), and Chinese animation's the same way.
ABSOLUTE_NUMBERING_LANGUAGES = frozenset({"ja", "zh"})


@dataclass(frozen=True)
class SearchQuery:
    """What to look for, as far as an indexer needs to know."""

    title: str
    media_type: MediaType = MediaType.MOVIE
    year: int | None = None
    imdb_id: str | None = None
    tmdb_id: int | None = None
    tvdb_id: int | None = None
    season: int | None = None
    episodes: tuple[int, ...] = ()
    air_date: date | None = None
    # The wanted episodes' absolute numbers, one each, when catalog knows them.
    absolute: tuple[int, ...] = ()
    original_language: str | None = None

    @classmethod
    def from_request(cls, request: FindReleases) -> "SearchQuery":
        return cls(
            title=request.title.strip(),
            media_type=request.media_type,
            year=request.year,
            imdb_id=request.imdb_id,
            tmdb_id=request.tmdb_id or None,
            tvdb_id=request.tvdb_id,
            season=request.season,
            episodes=tuple(request.wanted_episodes()),
            air_date=request.air_date,
            absolute=tuple(request.absolute_episodes),
            original_language=request.original_language,
        )

    @property
    def episode(self) -> int | None:
        """The one episode wanted; None for a season, several episodes (a season search finds them all and
        the packs holding them) or a daily show's date alone."""
        return self.episodes[0] if len(self.episodes) == 1 and self.season is not None else None

    @property
    def by_date_only(self) -> bool:
        """A day of a daily show with no episode number: asked for by its date alone."""
        return self.air_date is not None and self.episode is None

    @property
    def anime(self) -> bool:
        """A show whose releases are named by absolute number (`names_by_absolute_number`)."""
        return names_by_absolute_number(self.original_language)

    def episode_words(self) -> str:
        """How release names write what is wanted, for an indexer searched by words: `S01E02`, `S01`,
        `2023 10 17` (a daily show asked for by date alone; the separators are not words), or nothing."""
        if self.by_date_only:
            return self.date_words()
        if self.season is None:
            return ""
        episode = self.episode
        return f"S{self.season:02d}" + (f"E{episode:02d}" if episode is not None else "")

    def word_searches(self) -> list[str]:
        """For an indexer searched by words alone, what each search adds to the title, best first: the
        episode (`S01E02`), its air date, its absolute number (an anime's), then its season (`S01`)."""
        words = [self.episode_words()]
        if self.episode is not None:
            words += [w for w in (self.date_words(), self.absolute_words()) if w]
            words.append(f"S{self.season:02d}")
        return words

    def date_words(self) -> str:
        """The wanted episode's air date as release names write it, `2023 10 17`; "" when not known."""
        return f"{self.air_date:%Y %m %d}" if self.air_date is not None else ""

    def absolute_words(self) -> str:
        """The one wanted episode's absolute number as fansubs write it, `17` (two digits at least: `05`);
        "" unless the show is one whose releases are named so and the number is known."""
        if self.episode is None or len(self.absolute) != 1 or not self.anime:
            return ""
        return f"{self.absolute[0]:02d}"


def names_by_absolute_number(original_language: str | None) -> bool:
    """Whether a show's releases are named by absolute number: anime's are (fansubs name `Show - 17`), so a
    search asks by it too; other shows are asked only by season and episode."""
    return (original_language or "").strip().casefold() in ABSOLUTE_NUMBERING_LANGUAGES


class Indexer(Protocol):
    name: str

    async def caps(self) -> Caps: ...

    async def search(self, query: SearchQuery) -> list[Release]:
        """Releases as the indexer describes them (not yet parsed or ranked); raises `IndexerError`."""
        ...
