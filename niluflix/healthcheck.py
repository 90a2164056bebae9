"""`python -m niluflix.healthcheck <service>`: exit 0 when the service answers its health subject healthy.

Container health checks use it, so a service counts as healthy only when it is reachable over NATS and its
own parts (database, NATS, torrent client, library) are fine. The outside world's state (an indexer not yet
added or down, TMDB unreachable) is printed and shown in `/api/health` and the UI, but leaves the container
healthy: a fresh install with no indexer is a state to act on ("add an indexer"), and restarting the
container would change nothing.
"""

import asyncio
import sys

from faststream.nats import NatsBroker

from niluflix.config import ServiceSettings
from niluflix.contracts.common import HealthRequest, ServiceHealth, health_subject
from niluflix.messaging import broker_security, request

OUTSIDE_WORLD = {"indexer", "tmdb"}


async def _check(service: str) -> bool:
    settings = ServiceSettings()
    security = broker_security(settings.nats_url, settings.nats_credentials())
    async with NatsBroker(settings.nats_url, connect_timeout=3, security=security) as broker:
        health = await request(broker, health_subject(service), HealthRequest(), ServiceHealth, timeout=5)
    failing = [check for check in health.checks if not check.ok]
    for check in failing:
        print(f"{service}: {check.name}: {check.detail}")
    own = [check for check in failing if check.kind not in OUTSIDE_WORLD]
    return not own and (health.ok or bool(failing))


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m niluflix.healthcheck <service>")
    try:
        ok = asyncio.run(_check(sys.argv[1]))
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy; say why
        print(f"{sys.argv[1]}: {exc}")
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
