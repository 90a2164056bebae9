"""The interface every indexer client implements, and what it is asked."""

from dataclasses import dataclass, field
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

    def describe(self) -> str:
        if self.movie_search.supports("imdbid"):
            return "movie search by IMDb id"
        if self.movie_search.available:
            return "movie search by title"
        return "search by title"


@dataclass(frozen=True)
class SearchQuery:
    """What to look for, as far as an indexer needs to know."""

    title: str
    media_type: MediaType = MediaType.MOVIE
    year: int | None = None
    imdb_id: str | None = None
    season: int | None = None
    episode: int | None = None

    @classmethod
    def from_request(cls, request: FindReleases) -> "SearchQuery":
        return cls(
            title=request.title.strip(),
            media_type=request.media_type,
            year=request.year,
            imdb_id=request.imdb_id,
            season=request.season,
            episode=request.episode,
        )


class Indexer(Protocol):
    name: str

    async def caps(self) -> Caps: ...

    async def search(self, query: SearchQuery) -> list[Release]:
        """Releases as the indexer describes them (not yet parsed or ranked); raises `IndexerError`."""
        ...
