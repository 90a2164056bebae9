"""The downloader's own health checks: NATS (and whether this replica runs the tick), the torrent client.

The database check, the version and the loops' errors (the tick's, the event relay's) are the service runner's.
"""

from collections.abc import Callable
from dataclasses import dataclass

from downloader.jobs.client_slot import ClientSlot
from downloader.jobs.engine import DownloadEngine
from niluflix.contracts.common import HealthCheck


@dataclass
class HealthReport:
    nats_connected: Callable[[], bool]
    slot: ClientSlot
    engine: DownloadEngine

    def checks(self) -> list[HealthCheck]:
        return [self._nats(), self._torrent_client()]

    def _nats(self) -> HealthCheck:
        connected = self.nats_connected()
        role = "runs the tick" if self.engine.leader else "standby: another replica runs the tick"
        return HealthCheck(
            name="nats", kind="nats", ok=connected, detail=role if connected else "not connected"
        )

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
