"""The one place that reaches under FastStream to the nats-py connection."""

from typing import Any

from faststream.nats import NatsBroker

from niluflix.messaging import subscriptions_live


def jetstream(broker: NatsBroker) -> Any:
    return broker.connection.jetstream()


def nats_connected(broker: NatsBroker) -> bool:
    try:
        return bool(broker.connection and broker.connection.is_connected)
    except Exception:  # noqa: BLE001 - not started yet, or already stopped
        return False


async def flush(broker: NatsBroker) -> None:
    """Wait until the server has every subscription, so nothing published after start is missed."""
    await subscriptions_live(broker.connection)
