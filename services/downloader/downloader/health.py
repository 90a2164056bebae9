"""The downloader's health: its database, NATS (and whether this replica runs the tick), the torrent client."""

from dataclasses import dataclass

from faststream.nats import NatsBroker

import downloader
from downloader.jobs.client_slot import ClientSlot
from downloader.jobs.engine import DownloadEngine
from downloader.jobs.outbox import OutboxRelay
from downloader.jobs.store import JobStore
from niluflix.contracts.common import HealthCheck, ServiceHealth

VERSION = getattr(downloader, "__version__", "0.1.0")


@dataclass
class HealthReport:
    store: JobStore
    broker: NatsBroker
    slot: ClientSlot
    engine: DownloadEngine
    relay: OutboxRelay

    async def check(self) -> ServiceHealth:
        checks = [await self._database(), self._nats(), self._torrent_client()]
        return ServiceHealth(
            service="downloader", ok=all(c.ok for c in checks), version=VERSION, checks=checks
        )

    async def _database(self) -> HealthCheck:
        try:
            await self.store.ping()
        except Exception as exc:  # noqa: BLE001 - report, do not raise
            return HealthCheck(
                name="database", kind="database", ok=False, detail=f"{type(exc).__name__}: {exc}"
            )
        return HealthCheck(name="database", kind="database", ok=True)

    def _nats(self) -> HealthCheck:
        connection = self.broker._connection
        connected = connection is not None and connection.is_connected
        role = "runs the tick" if self.engine.leader else "standby: another replica runs the tick"
        detail = role if connected else "not connected"
        if self.relay.error:
            return HealthCheck(
                name="nats", kind="nats", ok=False, detail=f"events not published: {self.relay.error}"
            )
        return HealthCheck(name="nats", kind="nats", ok=connected, detail=detail)

    def _torrent_client(self) -> HealthCheck:
        slot = self.slot
        if not self.engine.leader:
            # Only the replica running the tick opens the client; a standby has nothing to report.
            detail = "standby: the replica that runs the tick uses the torrent client"
            return HealthCheck(name="torrent_client", kind="torrent_client", ok=True, detail=detail)
        if slot.client is None:
            return HealthCheck(
                name="torrent_client", kind="torrent_client", ok=False, detail=slot.error or "none"
            )
        detail = slot.reason if slot.ok else f"{slot.error} ({slot.reason})"
        return HealthCheck(name=slot.kind, kind="torrent_client", ok=slot.ok, detail=detail)
