"""The downloader's one entry point: `python -m downloader`; wiring only."""

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from faststream import FastStream

from downloader.clients.autoconfig import choose_client
from downloader.handlers import build_router
from downloader.health import HealthReport
from downloader.jobs.client_slot import ClientSlot
from downloader.jobs.engine import DownloadEngine
from downloader.jobs.intake import Intake
from downloader.jobs.lease import Lease
from downloader.jobs.outbox import OutboxRelay
from downloader.jobs.releases import ReleaseFinder
from downloader.jobs.store import JobStore
from downloader.monitoring.handlers import build_monitoring_router
from downloader.monitoring.wiring import start_monitoring
from downloader.settings import DownloaderSettings
from niluflix.db import make_sessionmaker
from niluflix.service_runner import ServiceRunner, run_service

SERVICE = "downloader"
MIGRATIONS = Path(__file__).parent / "migrations"
LEASE_KEY = "downloader-tick"


def create_app(settings: DownloaderSettings | None = None) -> FastStream:
    settings = settings or DownloaderSettings()
    runner = ServiceRunner(SERVICE, settings, migrations=MIGRATIONS)
    runner.broker.include_router(build_router())
    runner.broker.include_router(build_monitoring_router())

    @asynccontextmanager
    async def parts(run: ServiceRunner) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=30.0) as http:
            slot = ClientSlot(
                functools.partial(
                    choose_client, data_dir=settings.client_data_dir, downloads_dir=settings.downloads_dir
                )
            )
            store = JobStore(make_sessionmaker(run.engine), run.box)
            lease = Lease(
                run.jetstream,
                bucket=settings.lease_bucket,
                key=LEASE_KEY,
                holder=settings.replica_id,
                ttl=settings.lease_ttl,
            )
            finder = ReleaseFinder(
                run.broker, timeout=settings.request_timeout, search_timeout=settings.search_timeout
            )
            engine = DownloadEngine(
                settings=settings,
                store=store,
                live=run.live,
                slot=slot,
                finder=finder,
                http=http,
                broker=run.broker,
                lease=lease,
            )
            relay = OutboxRelay(store, run.jetstream)
            health = HealthReport(run.nats_connected, slot, engine)
            app.context.set_global("jobs", store)
            app.context.set_global("engine", engine)
            app.context.set_global("intake", Intake(store, finder))
            app.context.set_global("health", health)
            run.check_health(health.checks)
            # Stopped in the reverse order: the tick first, then the relay publishes the last events.
            monitor = await start_monitoring(run, settings, lease, app.context)
            run.run_in_background(relay.loop, engine.loop, monitor.loop)
            try:
                yield
            finally:
                await slot.close()

    app = runner.faststream_app(parts)
    return app


def main() -> None:
    settings = DownloaderSettings()
    run_service(SERVICE, settings, lambda: create_app(settings).run())
