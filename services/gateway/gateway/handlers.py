"""The gateway's own NATS request handlers."""

from faststream.nats import NatsRouter

from gateway.deps import GatewayState
from gateway.health import SERVICE, own_health
from niluflix.contracts.common import HealthRequest, ServiceHealth, health_subject
from niluflix.messaging import rpc_queue, rpc_router


def build_router(state: GatewayState) -> NatsRouter:
    router = rpc_router()

    @router.subscriber(health_subject(SERVICE), queue=rpc_queue(SERVICE))
    async def health(_: HealthRequest) -> ServiceHealth:
        return await own_health(state)

    return router
