"""The monitor's parts, built in the downloader's start-up: its store, its peers, its loop."""

from faststream import ContextRepo

from downloader.jobs.lease import Lease
from downloader.monitoring.handlers import MONITOR
from downloader.monitoring.leadership import FollowTickLease
from downloader.monitoring.monitor import Monitor
from downloader.monitoring.peers import Peers
from downloader.monitoring.store import FollowStore
from downloader.settings import DownloaderSettings
from niluflix.db import make_sessionmaker
from niluflix.messaging import SEARCH_EVENTS, ensure_stream
from niluflix.service_runner import ServiceRunner


async def start_monitoring(
    run: ServiceRunner, settings: DownloaderSettings, tick_lease: Lease, context: ContextRepo
) -> Monitor:
    """The monitor, on the app's context for its handlers; its loop runs where the download tick runs."""
    await ensure_stream(run.jetstream, SEARCH_EVENTS)  # so the RSS consumer can be made before search ran
    monitor = Monitor(
        FollowStore(make_sessionmaker(run.engine)),
        Peers(run.broker, timeout=settings.request_timeout, search_timeout=settings.search_timeout),
        every=settings.monitor_interval,
        searches_per_check=settings.monitor_searches,
        lease=FollowTickLease(tick_lease, wait=settings.lease_ttl),
    )
    context.set_global(MONITOR, monitor)
    run.check_health(monitor.health)
    return monitor
