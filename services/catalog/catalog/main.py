"""The catalog's one entry point: `python -m catalog`."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
from faststream import FastStream

from catalog.cache import ResponseCache
from catalog.deps import ENGINE, SOURCES
from catalog.handlers import SERVICE, build_router
from catalog.settings import CatalogSettings
from catalog.sources import SourceSwitch, TitleSource, TmdbFactory
from catalog.tmdb.client import CacheLifetimes, ImageBases, TmdbClient
from niluflix.db import make_async_engine, migrate
from niluflix.logs import setup_logging
from niluflix.messaging import make_broker
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def _tmdb_factory(settings: CatalogSettings, http: httpx.AsyncClient, cache: ResponseCache) -> TmdbFactory:
    def tmdb(base_url: str, api_key: str) -> TitleSource:
        return TmdbClient(
            http,
            base_url=base_url,
            api_key=api_key,
            images=ImageBases(poster=settings.poster_base_url, backdrop=settings.backdrop_base_url),
            cache=cache,
            lifetimes=CacheLifetimes(
                lists=settings.cache_lists_ttl,
                search=settings.cache_search_ttl,
                details=settings.cache_details_ttl,
            ),
            timeout=settings.tmdb_timeout,
            max_tries=settings.tmdb_max_tries,
            max_wait=settings.tmdb_max_wait,
        )

    return tmdb


def create_app(settings: CatalogSettings | None = None) -> FastStream:
    settings = settings or CatalogSettings()
    broker = make_broker(settings.nats_url, name=SERVICE)
    broker.include_router(build_router())

    @asynccontextmanager
    async def lifespan() -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            await asyncio.to_thread(
                migrate, settings.database_url, schema=settings.database_schema, migrations=MIGRATIONS
            )
            engine = make_async_engine(settings.database_url, schema=settings.database_schema)
            stack.push_async_callback(engine.dispose)
            cache = ResponseCache(engine, keep=settings.cache_keep)
            await cache.prune()
            http = await stack.enter_async_context(httpx.AsyncClient(headers={"User-Agent": "NiluFlix"}))
            sources = SourceSwitch(_tmdb_factory(settings, http, cache))

            # The app starts the broker only after this context is entered; connecting first gives
            # LiveSettings its JetStream context before any request is served. Stopping drains NATS, so
            # handlers finish before the http client and engine close (callbacks run in reverse order).
            stack.push_async_callback(broker.stop)
            connection = await broker.connect()
            live = LiveSettings(connection.jetstream(), SecretBox.from_env_or_file(settings.data_dir))
            live.on_change(sources.on_settings)
            await live.start()
            stack.push_async_callback(live.stop)
            sources.apply(live.value)

            app.context.set_global(SOURCES, sources)
            app.context.set_global(ENGINE, engine)
            log.info("catalog answering from %s", sources.current.description)
            yield

    app = FastStream(broker, lifespan=lifespan, logger=log)
    return app


def main() -> None:
    settings = CatalogSettings()
    setup_logging(SERVICE, settings.log_level)
    app = create_app(settings)
    asyncio.run(app.run(log_level=logging.getLevelName(settings.log_level.upper())))
