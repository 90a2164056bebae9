"""The catalog's one entry point: `python -m catalog`."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from faststream import FastStream

from catalog.cache import PRUNE_EVERY, ResponseCache
from catalog.deps import SOURCES
from catalog.episode_index import EpisodeIndex
from catalog.handlers import SERVICE, build_router
from catalog.settings import CatalogSettings
from catalog.sources import SourceSwitch, TitleSource, TmdbFactory
from catalog.tmdb.client import CacheLifetimes, ImageBases, TmdbClient
from niluflix.loops import Loop
from niluflix.service_runner import ServiceRunner, run_service

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def _tmdb_factory(
    settings: CatalogSettings, http: httpx.AsyncClient, cache: ResponseCache, episodes: EpisodeIndex
) -> TmdbFactory:
    def tmdb(base_url: str, api_key: str) -> TitleSource:
        return TmdbClient(
            http,
            base_url=base_url,
            api_key=api_key,
            images=ImageBases(poster=settings.poster_base_url, backdrop=settings.backdrop_base_url),
            cache=cache,
            episodes=episodes,
            lifetimes=CacheLifetimes(
                lists=settings.cache_lists_ttl,
                search=settings.cache_search_ttl,
                details=settings.cache_details_ttl,
                show_airing=settings.cache_show_airing_ttl,
                show_ended=settings.cache_show_ended_ttl,
            ),
            timeout=settings.tmdb_timeout,
            max_tries=settings.tmdb_max_tries,
            max_wait=settings.tmdb_max_wait,
        )

    return tmdb


def create_app(settings: CatalogSettings | None = None) -> FastStream:
    settings = settings or CatalogSettings()
    runner = ServiceRunner(SERVICE, settings, migrations=MIGRATIONS)
    runner.broker.include_router(build_router())

    @asynccontextmanager
    async def parts(run: ServiceRunner) -> AsyncIterator[None]:
        async with httpx.AsyncClient(headers={"User-Agent": "NiluFlix"}) as http:
            cache = ResponseCache(run.engine, keep=settings.cache_keep)
            episodes = EpisodeIndex(run.engine)
            sources = SourceSwitch(_tmdb_factory(settings, http, cache, episodes))
            run.live.on_change(sources.on_settings)
            sources.apply(run.live.value)
            app.context.set_global(SOURCES, sources)
            run.check_health(sources.health)
            run.run_in_background(Loop("pruning the TMDB cache", cache.prune, every=PRUNE_EVERY))
            log.info("catalog answering from %s", sources.current.description)
            yield

    app = runner.faststream_app(parts)
    return app


def main() -> None:
    settings = CatalogSettings()
    level = logging.getLevelName(settings.log_level.upper())
    run_service(SERVICE, settings, lambda: create_app(settings).run(log_level=level))
