"""The search service's one entry point: `python -m search`; wiring only."""

import gc
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import httpx
from faststream import FastStream

from niluflix.contracts.settings import SharedSettings
from niluflix.service_runner import ServiceRunner, run_service
from niluflix.settings_store import env_settings
from search.deps import FINDER
from search.finder import ReleaseFinder
from search.handlers import SERVICE, make_router
from search.indexers.pool import IndexerPool
from search.rss.handlers import make_rss_router
from search.rss.poller import RssPoller
from search.settings import SearchSettings


def create_app(settings: SearchSettings | None = None) -> FastStream:
    settings = settings or SearchSettings()
    runner = ServiceRunner(SERVICE, settings, watch_settings=settings.watch_settings)
    runner.broker.include_router(make_router())
    runner.broker.include_router(make_rss_router())

    @asynccontextmanager
    async def parts(run: ServiceRunner) -> AsyncIterator[None]:
        headers = {"User-Agent": f"NiluFlix/{run.version or 'dev'}"}
        # The pool bounds each indexer itself; this only stops a connection from hanging for ever.
        timeout = httpx.Timeout(settings.indexer_timeout + 5)
        async with httpx.AsyncClient(headers=headers, timeout=timeout) as http:
            pool = IndexerPool(http, timeout=settings.indexer_timeout, max_feed_bytes=settings.max_feed_bytes)

            async def follow(shared: SharedSettings) -> None:
                pool.configure(shared.indexers, shared.providers)

            if settings.watch_settings:
                run.live.on_change(follow)
                shared = lambda: run.live.value
            else:
                shared = env_settings
            await follow(shared())
            app.context.set_global(FINDER, ReleaseFinder(pool, shared))
            # One check per configured indexer: its last search, or whether it answers when it has not searched.
            run.check_health(pool.health)
            poller = RssPoller(
                pool,
                run.jetstream,
                every=settings.rss_interval,
                timeout=settings.indexer_timeout,
                items=settings.rss_items,
            )
            run.run_in_background(poller.loop)
            yield

    app = runner.faststream_app(parts)
    return app


def main() -> None:
    settings = SearchSettings()

    def serve() -> Coroutine[Any, Any, None]:
        app = create_app(settings)
        # What start-up built (modules, compiled patterns, parser tables) lives as long as the process: freeze
        # it so the collector's full passes, which a search of thousands of releases triggers, stop walking it.
        gc.freeze()
        return app.run()

    run_service(SERVICE, settings, serve)
