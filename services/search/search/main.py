"""Wiring only: settings, broker, HTTP client, shared settings, and the one lifespan that opens and closes them."""

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

import httpx
from faststream import FastStream

from niluflix.contracts.settings import SharedSettings
from niluflix.logs import setup_logging
from niluflix.messaging import make_broker
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings, env_settings
from search.deps import FINDER
from search.finder import ReleaseFinder
from search.handlers import SERVICE, make_router
from search.indexers.pool import IndexerPool
from search.settings import SearchSettings

log = logging.getLogger(__name__)


def _version() -> str:
    try:
        return version("niluflix-search")
    except PackageNotFoundError:
        return ""


def create_app(settings: SearchSettings | None = None) -> FastStream:
    settings = settings or SearchSettings()
    app_version = _version()
    broker = make_broker(settings.nats_url, name=SERVICE)
    broker.include_router(make_router(app_version))

    @asynccontextmanager
    async def lifespan() -> AsyncIterator[None]:
        headers = {"User-Agent": f"NiluFlix/{app_version or 'dev'}"}
        # The pool bounds each indexer itself; this only stops a connection from hanging for ever.
        timeout = httpx.Timeout(settings.indexer_timeout + 5)
        async with httpx.AsyncClient(headers=headers, timeout=timeout) as http:
            pool = IndexerPool(http, timeout=settings.indexer_timeout, max_feed_bytes=settings.max_feed_bytes)
            live = None
            if settings.watch_settings:
                connection = await broker.connect()
                live = LiveSettings(connection.jetstream(), SecretBox.from_env_or_file(settings.data_dir))
                await live.start()

                async def follow(shared: SharedSettings) -> None:
                    pool.configure(shared.indexers, shared.providers)

                live.on_change(follow)
                pool.configure(live.value.indexers, live.value.providers)
            else:
                from_env = env_settings()
                pool.configure(from_env.indexers, from_env.providers)
            shared = (lambda: live.value) if live is not None else env_settings
            app.context.set_global(FINDER, ReleaseFinder(pool, shared))
            try:
                yield
            finally:
                if live is not None:
                    await live.stop()

    app = FastStream(broker, lifespan=lifespan, logger=logging.getLogger(SERVICE))
    return app


def main() -> None:
    settings = SearchSettings()
    setup_logging(SERVICE, settings.log_level)
    app = create_app(settings)
    # What start-up built (modules, compiled patterns, parser tables) lives as long as the process: freeze it
    # so the collector's full passes, which a search of thousands of releases triggers, stop walking it.
    gc.freeze()
    asyncio.run(app.run())
