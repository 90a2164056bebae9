"""An async TMDB v3 client returning the catalog's contract models, with a cache in front of it.

Movies and shows alike; a show's JSON becomes the contract in `shows.py`, and how long each answer is
kept in `lifetimes.py`.

The key goes in the `api_key` parameter (v3 key) or in `Authorization: Bearer` (v4 read access token,
a JWT). It never reaches a log line, an error message or the cache: messages are built here, and
anything taken from httpx is redacted first.
"""

import hashlib
import logging
import math
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import SQLAlchemyError
from tenacity import AsyncRetrying, RetryCallState, RetryError, retry_if_exception_type, stop_after_attempt

from catalog.cache import CacheEntry, ResponseCache
from catalog.episode_index import EpisodeIndex
from catalog.errors import (
    EpisodeNotFound,
    SeasonNotFound,
    TitleNotFound,
    TmdbError,
    TmdbKeyRejected,
    TmdbRateLimited,
)
from catalog.tmdb import shows
from catalog.tmdb.images import ImageBases
from catalog.tmdb.lifetimes import CacheLifetimes
from catalog.tmdb.models import (
    EpisodeGroup,
    EpisodeGroups,
    MovieDetails,
    MoviePage,
    MovieResult,
    Season,
    ShowDetails,
    ShowPage,
)
from niluflix.contracts.catalog import (
    EpisodeDetails,
    GetEpisode,
    GetSeason,
    GetTitle,
    ListTitles,
    SearchTitles,
    SeasonDetails,
    TitleDetails,
    TitlePage,
    TitleSummary,
)
from niluflix.contracts.common import HealthCheck, MediaType
from niluflix.errors import NotFound
from niluflix.retry_after import retry_after_seconds
from niluflix.url_secrets import SecretMasker, has_secrets, mask_url, secret_values

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
DEFAULT_RETRY_AFTER = 1.0


class _Limited(Exception):
    """TMDB answered 429: wait `delay` seconds (its Retry-After, else a second) before asking again."""

    def __init__(self, delay: float | None) -> None:
        super().__init__()
        self.delay = DEFAULT_RETRY_AFTER if delay is None else delay


def _asked_wait(state: RetryCallState) -> float:
    limited = state.outcome.exception() if state.outcome else None
    return limited.delay if isinstance(limited, _Limited) else DEFAULT_RETRY_AFTER


__all__ = ["CacheLifetimes", "ImageBases", "TmdbClient"]


class TmdbClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        api_key: str,
        images: ImageBases | None = None,
        cache: ResponseCache | None = None,
        episodes: EpisodeIndex | None = None,
        lifetimes: CacheLifetimes | None = None,
        timeout: float = 10.0,
        max_tries: int = 3,
        max_wait: float = 10.0,
    ) -> None:
        if not api_key:
            raise ValueError("a TMDB client needs a key")
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._key = api_key
        # TMDB's words and httpx's may echo the key or a secret of the base URL: masked before anyone sees them.
        self._redact = SecretMasker([api_key, *secret_values(base_url)])
        self._bearer = api_key.startswith("eyJ")  # a v4 read access token is a JWT
        self._images = images or ImageBases()
        self._cache = cache
        self._episodes = episodes
        self._lifetimes = lifetimes or CacheLifetimes()
        self._timeout = timeout
        self._max_tries = max_tries
        self._max_wait = max_wait
        fingerprint = hashlib.sha256(api_key.encode()).hexdigest()[:12]
        base = self._base_url
        if has_secrets(base):  # the cache keeps the source id in clear: a fingerprint of the URL's secrets
            base = f"{mask_url(base)} url:{hashlib.sha256(base.encode()).hexdigest()[:12]}"
        self.source_id = f"tmdb {base} key:{fingerprint}"
        self.last_error: str | None = None

    @property
    def description(self) -> str:
        return f"TMDB at {mask_url(self._base_url)}"

    def health(self) -> HealthCheck:
        detail = self.description + (f": {self.last_error}" if self.last_error else "")
        return HealthCheck(name="source", kind="tmdb", ok=self.last_error is None, detail=detail)

    # -- lists, search and details: movies and shows --------------------------------------------

    async def popular(self, request: ListTitles) -> TitlePage:
        if request.media_type is MediaType.TV:
            return shows.show_page(
                await self._get(ShowPage, "/tv/popular", {"page": request.page}, ttl=self._lifetimes.lists),
                self._images,
            )
        page = await self._get(MoviePage, "/movie/popular", {"page": request.page}, ttl=self._lifetimes.lists)
        return self._page(page)

    async def trending(self, request: ListTitles) -> TitlePage:
        if request.media_type is MediaType.TV:
            path = f"/trending/tv/{request.window}"
            return shows.show_page(
                await self._get(ShowPage, path, {"page": request.page}, ttl=self._lifetimes.lists),
                self._images,
            )
        path = f"/trending/movie/{request.window}"
        page = await self._get(MoviePage, path, {"page": request.page}, ttl=self._lifetimes.lists)
        return self._page(page)

    async def search(self, request: SearchTitles) -> TitlePage:
        params = {"query": request.query.strip(), "page": request.page, "include_adult": "false"}
        if request.media_type is MediaType.TV:
            found = await self._get(ShowPage, "/search/tv", params, ttl=self._lifetimes.search)
            return shows.show_page(found, self._images)
        page = await self._get(MoviePage, "/search/movie", params, ttl=self._lifetimes.search)
        return self._page(page)

    async def details(self, request: GetTitle) -> TitleDetails:
        if request.media_type is MediaType.TV:
            details = shows.show_details(await self._show(request.tmdb_id), self._images)
            await self._remember([e for e in (details.next_episode, details.last_episode) if e])
            return details
        movie = await self._get(
            MovieDetails,
            f"/movie/{request.tmdb_id}",
            {"append_to_response": "alternative_titles,external_ids"},
            ttl=self._lifetimes.details,
            not_found=f"TMDB has no movie with id {request.tmdb_id}",
        )
        return self._details(movie)

    # -- seasons and episodes ---------------------------------------------------------------------

    async def season(self, request: GetSeason) -> SeasonDetails:
        show = await self._show(request.tmdb_id)
        season = await self._get(
            Season,
            f"/tv/{show.id}/season/{request.season}",
            {},
            ttl=lambda answer: self._lifetimes.season(answer, show),
            not_found=SeasonNotFound(f"TMDB has no season {request.season} of {show.name}"),
        )
        details = shows.season_details(season, show, self._images, await self._absolute_numbers(season, show))
        await self._remember(details.episodes)
        return details

    async def episode(self, request: GetEpisode) -> EpisodeDetails:
        place = await self._episodes.find(request.episode_id) if self._episodes else None
        if place is None:
            raise EpisodeNotFound(
                f"no episode with id {request.episode_id} is known: TMDB cannot look an episode up by its "
                "id alone, so ask for its show's season first"
            )
        season = await self.season(GetSeason(tmdb_id=place.show_id, season=place.season))
        for item in season.episodes:
            if item.episode_id == request.episode_id:
                return item
        raise EpisodeNotFound(
            f"TMDB no longer lists episode {request.episode_id} in season {place.season} of show "
            f"{place.show_id}: ask for the season again to see its episodes now"
        )

    async def _show(self, tmdb_id: int) -> ShowDetails:
        return await self._get(
            ShowDetails,
            f"/tv/{tmdb_id}",
            {"append_to_response": "alternative_titles,external_ids"},
            ttl=self._lifetimes.show,
            not_found=f"TMDB has no show with id {tmdb_id}",
        )

    async def _absolute_numbers(self, season: Season, show: ShowDetails) -> dict[int, int]:
        """Episode id -> absolute number: TMDB's "Absolute" episode group when the show has one, else
        the air order over the seasons from 1 on (specials then have none)."""
        ttl = self._lifetimes.show(show)
        try:
            groups = await self._get(EpisodeGroups, f"/tv/{show.id}/episode_groups", {}, ttl=ttl)
            absolute = next((g for g in groups.results if g.type == shows.ABSOLUTE_GROUP), None)
            if absolute is not None:
                group = await self._get(EpisodeGroup, f"/tv/episode_group/{absolute.id}", {}, ttl=ttl)
                numbers = shows.absolute_from_group(group)
                if any(e.id in numbers for e in season.episodes):
                    return numbers
        except TmdbError as exc:
            # Absolute numbers help matching anime releases; the season is worth answering without them.
            log.warning(
                "no episode groups of %s from TMDB (%s): counting in air order", show.name, exc.message
            )
        return shows.absolute_by_air_order(season, show)

    async def _remember(self, episodes: list[EpisodeDetails]) -> None:
        if self._episodes is None or not episodes:
            return
        try:
            await self._episodes.remember(episodes)
        except SQLAlchemyError as exc:
            log.warning("episodes not written to the episode index: %s", exc)

    # -- cache, then TMDB -------------------------------------------------------------------------

    async def _get(
        self,
        model: type[M],
        path: str,
        params: dict,
        *,
        ttl: float | Callable[[M], float],
        not_found: str | NotFound | None = None,
    ) -> M:
        """TMDB's answer from the cache while fresh, else from TMDB; `ttl` may depend on the answer."""
        request = f"{path}?{urlencode(sorted(params.items()))}"
        entry = await self._cached(request)
        cached = self._read_cached(model, entry)
        if cached is not None and entry is not None and entry.fresh():
            return cached
        try:
            answer = await self._fetch(model, path, params, not_found=not_found)
        except TmdbError as exc:
            self.last_error = exc.message
            if cached is None or not exc.transient:
                raise
            assert entry is not None
            log.warning(
                "TMDB failed (%s); serving %s as fetched at %s",
                exc.message,
                request,
                entry.fetched_at.isoformat(),
            )
            return cached
        self.last_error = None
        await self._store(request, answer.model_dump_json(), ttl(answer) if callable(ttl) else ttl)
        return answer

    async def _cached(self, request: str) -> CacheEntry | None:
        if self._cache is None:
            return None
        try:
            return await self._cache.get(self.source_id, request)
        except SQLAlchemyError as exc:
            # The cache saves calls; a broken one must not stop answers coming from TMDB.
            log.warning("TMDB cache unreadable, asking TMDB: %s", exc)
            return None

    @staticmethod
    def _read_cached(model: type[M], entry: CacheEntry | None) -> M | None:
        if entry is None:
            return None
        try:
            return model.model_validate_json(entry.body)
        except ValidationError:
            return None  # written by an older version with another shape: ask TMDB again

    async def _store(self, request: str, body: str, ttl: float) -> None:
        if self._cache is None:
            return
        try:
            await self._cache.put(self.source_id, request, body, ttl=ttl)
        except SQLAlchemyError as exc:
            log.warning("TMDB cache not written: %s", exc)

    async def _fetch(self, model: type[M], path: str, params: dict, *, not_found: str | NotFound | None) -> M:
        """TMDB's answer; a 429 is asked again after the wait TMDB names, within `max_tries` and `max_wait`."""
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_Limited),
            wait=_asked_wait,
            # Only the waits count against max_wait, not the time TMDB takes to answer.
            stop=stop_after_attempt(self._max_tries)
            | (lambda state: state.idle_for + (state.upcoming_sleep or 0.0) > self._max_wait),
            before_sleep=lambda state: log.info(
                "TMDB asks to wait %.1f s before %s (try %d of %d)",
                state.upcoming_sleep,
                path,
                state.attempt_number,
                self._max_tries,
            ),
        )
        try:
            async for attempt in retrying:
                with attempt:
                    response = await self._send(path, params)
                    if response.status_code == 429:
                        raise _Limited(retry_after_seconds(response.headers.get("Retry-After")))
        except RetryError as exc:
            limited = exc.last_attempt.exception()
            assert isinstance(limited, _Limited)
            raise TmdbRateLimited(
                f"TMDB is limiting requests (gave up after {exc.last_attempt.attempt_number} tries): "
                f"try again in {max(1, math.ceil(limited.delay))} s"
            ) from None
        return self._parse(model, path, response, not_found=not_found)

    async def _send(self, path: str, params: dict) -> httpx.Response:
        query = dict(params)
        headers = {"Accept": "application/json"}
        if self._bearer:
            headers["Authorization"] = f"Bearer {self._key}"
        else:
            query["api_key"] = self._key
        # `from None` below: an httpx error holds the request, whose URL holds the key, and a traceback
        # would show it; the message says what happened instead.
        try:
            return await self._http.get(
                self._base_url + path, params=query, headers=headers, timeout=self._timeout
            )
        except httpx.TimeoutException:
            raise TmdbError(f"TMDB did not answer within {self._timeout:g} s") from None
        except httpx.HTTPError as exc:
            reason = self._redact(str(exc)) or type(exc).__name__
            raise TmdbError(f"TMDB cannot be reached at {mask_url(self._base_url)}: {reason}") from None

    def _parse(
        self, model: type[M], path: str, response: httpx.Response, *, not_found: str | NotFound | None
    ) -> M:
        status = response.status_code
        if status == 401:
            raise TmdbKeyRejected()
        if status == 404:
            if isinstance(not_found, NotFound):
                raise not_found
            if not_found:
                raise TitleNotFound(not_found)
            raise TmdbError(f"TMDB has no {path} (HTTP 404): is the TMDB base URL right?")
        if not response.is_success:
            raise TmdbError(f"TMDB answered HTTP {status} for {path}{self._status_message(response)}")
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise TmdbError(f"TMDB sent an unreadable answer for {path} ({where}: {first['msg']})") from None

    def _status_message(self, response: httpx.Response) -> str:
        try:
            message = response.json().get("status_message")
        except (ValueError, AttributeError):
            return ""
        return f": {self._redact(str(message))}" if message else ""

    # -- TMDB JSON -> contract --------------------------------------------------------------------

    def _summary_fields(self, movie: MovieResult) -> dict:
        return {
            "tmdb_id": movie.id,
            "media_type": MediaType.MOVIE,
            "title": movie.title,
            "original_title": movie.original_title,
            "year": movie.release_date.year if movie.release_date else None,
            "overview": movie.overview or "",
            "poster_url": self._images.url(self._images.poster, movie.poster_path),
            "backdrop_url": self._images.url(self._images.backdrop, movie.backdrop_path),
            "vote_average": movie.vote_average,
            "popularity": movie.popularity,
        }

    def _page(self, page: MoviePage) -> TitlePage:
        return TitlePage(
            page=page.page,
            total_pages=page.total_pages,
            total_results=page.total_results,
            results=[TitleSummary(**self._summary_fields(m)) for m in page.results],
        )

    def _details(self, movie: MovieDetails) -> TitleDetails:
        seen = {movie.title.casefold()}
        alternatives = []
        for alt in movie.alternative_titles.titles:
            if alt.title and alt.title.casefold() not in seen:
                seen.add(alt.title.casefold())
                alternatives.append(alt.title)
        return TitleDetails(
            **self._summary_fields(movie),
            release_date=movie.release_date,
            runtime=movie.runtime,
            imdb_id=movie.imdb_id or movie.external_ids.imdb_id,
            tvdb_id=movie.external_ids.tvdb_id,
            genres=[g.name for g in movie.genres],
            alternative_titles=alternatives,
            original_language=movie.original_language,
        )
