"""The sample catalog as a title source: the same four calls as TMDB, answered from memory."""

import re
import unicodedata

from catalog.errors import TitleNotFound
from catalog.sample.movies import MOVIES, SampleMovie
from catalog.sample.posters import backdrop_uri, poster_uri
from niluflix.contracts.catalog import (
    GetTitle,
    ListTitles,
    SearchTitles,
    TitleDetails,
    TitlePage,
    TitleSummary,
)
from niluflix.contracts.common import HealthCheck, MediaType

PAGE_SIZE = 20  # as TMDB
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Words without case or accents: "Élephants" and "ELEPHANTS" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(plain.casefold())


class SampleCatalog:
    description = "the built-in sample catalog of open movies (no TMDB key set)"

    def __init__(self, movies: tuple[SampleMovie, ...] = MOVIES) -> None:
        self._details = {m.tmdb_id: self._to_details(m) for m in movies}
        self._movies = movies
        self._words = {m.tmdb_id: [words(t) for t in (m.title, *m.alternative_titles)] for m in movies}

    def health(self) -> HealthCheck:
        return HealthCheck(name="source", kind="tmdb", ok=True, detail=self.description)

    async def popular(self, request: ListTitles) -> TitlePage:
        return self._page(sorted(self._movies, key=lambda m: -m.popularity), request.page)

    async def trending(self, request: ListTitles) -> TitlePage:
        return self._page(sorted(self._movies, key=lambda m: -m.trending), request.page)

    async def search(self, request: SearchTitles) -> TitlePage:
        wanted = words(request.query)
        found = [m for m in self._movies if wanted and self._matches(m, wanted)]
        return self._page(sorted(found, key=lambda m: -m.popularity), request.page)

    async def details(self, request: GetTitle) -> TitleDetails:
        try:
            return self._details[request.tmdb_id].model_copy(deep=True)
        except KeyError:
            raise TitleNotFound(f"the sample catalog has no movie with id {request.tmdb_id}") from None

    def _matches(self, movie: SampleMovie, wanted: list[str]) -> bool:
        # Every word asked for starts a word of one of the movie's titles: "tears steel", "llam".
        return any(
            all(any(w.startswith(q) for w in title) for q in wanted) for title in self._words[movie.tmdb_id]
        )

    def _page(self, movies: list[SampleMovie], page: int) -> TitlePage:
        start = (page - 1) * PAGE_SIZE
        return TitlePage(
            page=page,
            total_pages=max(1, -(-len(movies) // PAGE_SIZE)),
            total_results=len(movies),
            results=[self._summary(self._details[m.tmdb_id]) for m in movies[start : start + PAGE_SIZE]],
        )

    @staticmethod
    def _summary(details: TitleDetails) -> TitleSummary:
        return TitleSummary.model_validate(details.model_dump(include=set(TitleSummary.model_fields)))

    @staticmethod
    def _to_details(movie: SampleMovie) -> TitleDetails:
        return TitleDetails(
            tmdb_id=movie.tmdb_id,
            media_type=MediaType.MOVIE,
            title=movie.title,
            original_title=movie.title,
            year=movie.year,
            overview=movie.overview,
            poster_url=poster_uri(movie),
            backdrop_url=backdrop_uri(movie),
            vote_average=movie.vote_average,
            popularity=movie.popularity,
            release_date=movie.release_date,
            runtime=movie.runtime,
            imdb_id=movie.imdb_id,
            genres=list(movie.genres),
            alternative_titles=list(movie.alternative_titles),
            original_language=movie.original_language,
        )
