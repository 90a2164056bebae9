"""`python -m niluflix.healthcheck <service>`, the containers' health check, against a real NATS server."""

import asyncio
import os
import sys
import uuid

import nats
import pytest

from niluflix.contracts.common import HealthCheck, ServiceHealth, health_subject


async def container_health(nats_url: str, health: ServiceHealth) -> tuple[int, str]:
    """Answer the health subject as the service would, and run the check as the container does."""
    nc = await nats.connect(nats_url)

    async def answer(msg):
        await msg.respond(health.model_dump_json().encode())

    await nc.subscribe(health_subject(health.service), cb=answer)
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "niluflix.healthcheck",
            health.service,
            env={**os.environ, "NATS_URL": nats_url},
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await proc.communicate()
        return proc.returncode, out.decode()
    finally:
        await nc.close()


def service() -> str:
    return f"svc{uuid.uuid4().hex[:8]}"  # a subject of its own: other tests share the server


async def test_no_indexer_yet_is_a_state_to_act_on_not_an_unhealthy_container(nats_url):
    name = service()
    check = HealthCheck(name="indexers", kind="indexer", ok=False, detail="no indexer is configured")
    code, out = await container_health(nats_url, ServiceHealth(service=name, ok=False, checks=[check]))
    assert code == 0
    assert out.strip() == f"{name}: indexers: no indexer is configured"


@pytest.mark.parametrize("kind", ["database", "torrent_client", "library", "nats"])
async def test_a_failing_part_of_its_own_makes_the_container_unhealthy(nats_url, kind):
    name = service()
    checks = [
        HealthCheck(name=kind, kind=kind, ok=False, detail="down"),
        HealthCheck(name="indexer:Demo", kind="indexer", ok=True, detail="ready"),
    ]
    code, out = await container_health(nats_url, ServiceHealth(service=name, ok=False, checks=checks))
    assert code == 1
    assert out.strip() == f"{name}: {kind}: down"


async def test_a_service_nobody_answers_for_is_unhealthy(nats_url):
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "niluflix.healthcheck",
        service(),
        env={**os.environ, "NATS_URL": nats_url},
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await proc.communicate()
    assert proc.returncode == 1 and "no service answers" in out.decode()
