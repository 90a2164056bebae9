"""Health of the whole system, as the UI's status page shows it; the gateway's own is the service runner's."""

import asyncio

from gateway.api.models import IndexerStatus, NatsStatus, ServiceStatus, SystemHealth, TorrentClientStatus
from gateway.deps import GatewayState
from niluflix.contracts.common import HealthCheck, HealthRequest, ServiceHealth, health_subject
from niluflix.errors import ServiceError, Unavailable

SERVICE = "gateway"
PEERS = ("catalog", "search", "downloader", "organizer")


def nats_check(connected: bool) -> HealthCheck:
    return HealthCheck(
        name="nats", kind="nats", ok=connected, detail="connected" if connected else "disconnected"
    )


async def _ask(state: GatewayState, service: str) -> ServiceStatus:
    try:
        health = await state.call(
            health_subject(service), HealthRequest(), ServiceHealth, timeout=state.settings.health_timeout
        )
    except Unavailable:
        return ServiceStatus(service=service, ok=False, detail="not answering")
    except ServiceError as exc:
        return ServiceStatus(service=service, ok=False, detail=exc.message)
    return ServiceStatus.model_validate(health.model_dump())


def _torrent_client(state: GatewayState, downloader: ServiceStatus) -> TorrentClientStatus | None:
    configured = state.live.value.torrent_client.kind.value if state.live else "auto"
    for check in downloader.checks:
        if check.kind == "torrent_client":
            # The downloader names the check after the client it found ("transmission"), or not at all.
            name = check.name.partition(":")[2] if ":" in check.name else check.name
            kind = name if name and name != "torrent_client" else configured
            return TorrentClientStatus(kind=kind, ok=check.ok, detail=check.detail)
    if not downloader.checks and not downloader.ok:
        return TorrentClientStatus(kind=configured, ok=False, detail=f"downloader: {downloader.detail}")
    return None


def _indexers(state: GatewayState, peers: list[ServiceStatus]) -> list[IndexerStatus]:
    found = [
        IndexerStatus(name=check.name.removeprefix("indexer:"), ok=check.ok, detail=check.detail)
        for peer in peers
        for check in peer.checks
        if check.kind == "indexer"
    ]
    search = next(p for p in peers if p.service == "search")
    if not found and not search.checks and not search.ok and state.live:
        # The search service cannot speak for its indexers: list the configured ones as unknown.
        found = [
            IndexerStatus(name=i.name, ok=False, detail=f"search: {search.detail}")
            for i in state.live.value.indexers
            if i.enabled
        ]
    return found


async def system_health(state: GatewayState) -> SystemHealth:
    own, *peers = await asyncio.gather(state.own_health(), *(_ask(state, s) for s in PEERS))
    services = [ServiceStatus.model_validate(own.model_dump()), *peers]
    downloader = next(p for p in peers if p.service == "downloader")
    nats_check = next(c for c in own.checks if c.kind == "nats")
    torrent_client = _torrent_client(state, downloader)
    indexers = _indexers(state, peers)
    healthy = (
        all(s.ok for s in services)
        and (torrent_client is None or torrent_client.ok)
        and all(i.ok for i in indexers)
    )
    return SystemHealth(
        status="ok" if healthy else "degraded",
        services=services,
        nats=NatsStatus(ok=nats_check.ok, detail=nats_check.detail),
        torrent_client=torrent_client,
        indexers=indexers,
    )
