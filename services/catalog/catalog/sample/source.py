"""The sample catalog as a title source: the same calls as TMDB, answered from memory."""

import re
import unicodedata

from catalog.airing import airs_at
from catalog.errors import EpisodeNotFound, SeasonNotFound, TitleNotFound
from catalog.sample.movies import MOVIES, SampleMovie
from catalog.sample.posters import backdrop_uri, poster_uri
from catalog.sample.shows import SHOWS, SampleShow
from niluflix.contracts.catalog import (
    EpisodeDetails,
    GetEpisode,
    GetSeason,
    GetTitle,
    ListTitles,
    SearchTitles,
    SeasonDetails,
    SeasonSummary,
    TitleDetails,
    TitlePage,
    TitleSummary,
)
from niluflix.contracts.common import HealthCheck, MediaType

PAGE_SIZE = 20  # as TMDB
_WORD = re.compile(r"\w+")
KIND = {MediaType.MOVIE: "movie", MediaType.TV: "show"}

Sample = SampleMovie | SampleShow


def words(text: str) -> list[str]:
    """Words without case or accents: "Élephants" and "ELEPHANTS" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(plain.casefold())


class SampleCatalog:
    description = "the built-in sample catalog of open movies and shorts (no TMDB key set)"

    def __init__(
        self, movies: tuple[SampleMovie, ...] = MOVIES, shows: tuple[SampleShow, ...] = SHOWS
    ) -> None:
        self._titles: dict[MediaType, tuple[Sample, ...]] = {MediaType.MOVIE: movies, MediaType.TV: shows}
        self._details = {(MediaType.MOVIE, m.tmdb_id): self._movie_details(m) for m in movies} | {
            (MediaType.TV, s.tmdb_id): self._show_details(s) for s in shows
        }
        self._seasons = {
            (s.tmdb_id, season.number): self._season_details(s, season.number)
            for s in shows
            for season in s.seasons
        }
        self._episodes = {e.episode_id: e for season in self._seasons.values() for e in season.episodes}
        self._words = {
            (kind, t.tmdb_id): [words(name) for name in (t.title, *t.alternative_titles)]
            for kind, titles in self._titles.items()
            for t in titles
        }

    def health(self) -> HealthCheck:
        return HealthCheck(name="source", kind="tmdb", ok=True, detail=self.description)

    async def popular(self, request: ListTitles) -> TitlePage:
        titles = self._titles[request.media_type]
        return self._page(request.media_type, sorted(titles, key=lambda t: -t.popularity), request.page)

    async def trending(self, request: ListTitles) -> TitlePage:
        # One order for the day and the week: the sample has no audience whose taste could move.
        titles = self._titles[request.media_type]
        return self._page(request.media_type, sorted(titles, key=lambda t: -t.trending), request.page)

    async def search(self, request: SearchTitles) -> TitlePage:
        wanted = words(request.query)
        kind = request.media_type
        found = [t for t in self._titles[kind] if wanted and self._matches(kind, t, wanted)]
        return self._page(kind, sorted(found, key=lambda t: -t.popularity), request.page)

    async def details(self, request: GetTitle) -> TitleDetails:
        try:
            return self._details[(request.media_type, request.tmdb_id)].model_copy(deep=True)
        except KeyError:
            kind = KIND[request.media_type]
            raise TitleNotFound(f"the sample catalog has no {kind} with id {request.tmdb_id}") from None

    async def season(self, request: GetSeason) -> SeasonDetails:
        show = await self.details(GetTitle(tmdb_id=request.tmdb_id, media_type=MediaType.TV))
        try:
            return self._seasons[(request.tmdb_id, request.season)].model_copy(deep=True)
        except KeyError:
            raise SeasonNotFound(
                f"the sample catalog has no season {request.season} of {show.title}"
            ) from None

    async def episode(self, request: GetEpisode) -> EpisodeDetails:
        try:
            return self._episodes[request.episode_id].model_copy(deep=True)
        except KeyError:
            raise EpisodeNotFound(f"the sample catalog has no episode with id {request.episode_id}") from None

    def _matches(self, kind: MediaType, title: Sample, wanted: list[str]) -> bool:
        # Every word asked for starts a word of one of the title's names: "tears steel", "llam".
        return any(
            all(any(w.startswith(q) for w in name) for q in wanted)
            for name in self._words[(kind, title.tmdb_id)]
        )

    def _page(self, kind: MediaType, titles: list[Sample], page: int) -> TitlePage:
        start = (page - 1) * PAGE_SIZE
        return TitlePage(
            page=page,
            total_pages=max(1, -(-len(titles) // PAGE_SIZE)),
            total_results=len(titles),
            results=[
                self._summary(self._details[(kind, t.tmdb_id)]) for t in titles[start : start + PAGE_SIZE]
            ],
        )

    @staticmethod
    def _summary(details: TitleDetails) -> TitleSummary:
        return TitleSummary.model_validate(details.model_dump(include=set(TitleSummary.model_fields)))

    @staticmethod
    def _movie_details(movie: SampleMovie) -> TitleDetails:
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

    @staticmethod
    def _episode(show: SampleShow, season: int, number: int) -> EpisodeDetails:
        item = next(e for s in show.seasons if s.number == season for e in s.episodes if e.number == number)
        # Air order over the seasons: the sample has no episode group to say otherwise.
        before = sum(len(s.episodes) for s in show.seasons if 1 <= s.number < season)
        return EpisodeDetails(
            episode_id=show.episode_id(season, number),
            show_id=show.tmdb_id,
            season=season,
            episode=number,
            name=item.name,
            overview=item.overview,
            air_date=item.air_date,
            airs_at=airs_at(item.air_date),
            runtime=item.runtime,
            absolute_number=before + number if season >= 1 else None,
        )

    def _show_details(self, show: SampleShow) -> TitleDetails:
        last = max(
            ((s.number, e.number, e.air_date) for s in show.seasons if s.number > 0 for e in s.episodes),
            key=lambda x: (x[2], x[0], x[1]),
        )
        return TitleDetails(
            tmdb_id=show.tmdb_id,
            media_type=MediaType.TV,
            title=show.title,
            original_title=show.title,
            year=show.year,
            overview=show.overview,
            poster_url=poster_uri(show, "OPEN SHORTS"),
            backdrop_url=backdrop_uri(show),
            vote_average=show.vote_average,
            popularity=show.popularity,
            release_date=show.first_air_date,
            runtime=round(sum(e.runtime for s in show.seasons for e in s.episodes) / self._count(show)),
            imdb_id=show.imdb_id,
            tvdb_id=show.tvdb_id,
            genres=list(show.genres),
            alternative_titles=list(show.alternative_titles),
            original_language=show.original_language,
            status=show.status,
            networks=list(show.networks),
            last_air_date=last[2],
            seasons=[
                SeasonSummary(
                    season=s.number,
                    name=s.name,
                    episode_count=len(s.episodes),
                    air_date=min(e.air_date for e in s.episodes),
                    overview=s.overview,
                )
                for s in sorted(show.seasons, key=lambda s: s.number)
            ],
            last_episode=self._episode(show, last[0], last[1]),
        )

    @staticmethod
    def _count(show: SampleShow) -> int:
        return sum(len(s.episodes) for s in show.seasons)

    def _season_details(self, show: SampleShow, number: int) -> SeasonDetails:
        season = next(s for s in show.seasons if s.number == number)
        return SeasonDetails(
            tmdb_id=show.tmdb_id,
            season=number,
            name=season.name,
            overview=season.overview,
            air_date=min(e.air_date for e in season.episodes),
            episodes=[
                self._episode(show, number, e.number) for e in sorted(season.episodes, key=lambda e: e.number)
            ],
        )
