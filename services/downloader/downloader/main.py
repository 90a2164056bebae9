"""Wiring only: settings in, one lifespan that opens and closes everything, handlers on the broker."""

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
from faststream import FastStream

from downloader.clients.autoconfig import choose_client
from downloader.handlers import build_router
from downloader.health import HealthReport
from downloader.jobs.client_slot import ClientSlot
from downloader.jobs.engine import DownloadEngine
from downloader.jobs.lease import Lease
from downloader.jobs.outbox import OutboxRelay
from downloader.jobs.releases import ReleaseFinder
from downloader.jobs.store import JobStore
from downloader.settings import DownloaderSettings
from niluflix.db import make_async_engine, make_sessionmaker, migrate
from niluflix.logs import setup_logging
from niluflix.messaging import make_broker, start_broker
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings

MIGRATIONS = Path(__file__).parent / "migrations"
LEASE_KEY = "downloader-tick"


def create_app(settings: DownloaderSettings | None = None) -> FastStream:
    settings = settings or DownloaderSettings()
    broker = make_broker(settings.nats_url, name="downloader")
    broker.include_router(build_router())

    background: list[Callable[[], Awaitable[None]]] = []

    async def stop_background_work() -> None:
        # FastStream drains the broker before the lifespan ends: stop the tick and publish the last
        # events first, while the connection still works.
        while background:
            await background.pop()()

    @asynccontextmanager
    async def lifespan() -> AsyncIterator[None]:
        await asyncio.to_thread(
            migrate, settings.database_url, schema=settings.database_schema, migrations=MIGRATIONS
        )
        async with AsyncExitStack() as stack:
            db = make_async_engine(settings.database_url, schema=settings.database_schema)
            stack.push_async_callback(db.dispose)
            http = await stack.enter_async_context(httpx.AsyncClient(timeout=30.0))
            await broker.connect()
            stack.push_async_callback(broker.stop)
            nats_connection = broker._connection  # the one place that reaches under FastStream
            js = nats_connection.jetstream()

            live = LiveSettings(js, SecretBox.from_env_or_file(settings.data_dir))
            await live.start()
            stack.push_async_callback(live.stop)
            slot = ClientSlot(
                functools.partial(
                    choose_client, data_dir=settings.client_data_dir, downloads_dir=settings.downloads_dir
                )
            )
            stack.push_async_callback(slot.close)

            store = JobStore(make_sessionmaker(db))
            lease = Lease(
                js,
                bucket=settings.lease_bucket,
                key=LEASE_KEY,
                holder=settings.replica_id,
                ttl=settings.lease_ttl,
            )
            engine = DownloadEngine(
                settings=settings,
                store=store,
                live=live,
                slot=slot,
                finder=ReleaseFinder(
                    broker, timeout=settings.request_timeout, search_timeout=settings.search_timeout
                ),
                http=http,
                broker=broker,
                lease=lease,
            )
            relay = OutboxRelay(store, js)
            app.context.set_global("jobs", store)
            app.context.set_global("engine", engine)
            app.context.set_global("health", HealthReport(store, broker, slot, engine, relay))

            await start_broker(broker)
            relay.start()
            engine.start()
            background.extend([relay.stop, engine.stop])
            stack.push_async_callback(stop_background_work)
            yield

    app = FastStream(
        broker,
        lifespan=lifespan,
        on_shutdown=[stop_background_work],
        logger=logging.getLogger("downloader.app"),
    )
    return app


def main() -> None:
    settings = DownloaderSettings()
    setup_logging("downloader", settings.log_level)
    asyncio.run(create_app(settings).run())
