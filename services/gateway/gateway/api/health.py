"""System health for the status page, and a cheap liveness probe for container health checks."""

from fastapi import APIRouter

from gateway.api.models import Liveness, SystemHealth
from gateway.deps import StateDep
from gateway.health import system_health

router = APIRouter(prefix="/api/health", tags=["health"])


@router.get("", response_model=SystemHealth)
async def health(state: StateDep) -> SystemHealth:
    return await system_health(state)


@router.get("/live", response_model=Liveness)
async def live() -> Liveness:
    return Liveness()
