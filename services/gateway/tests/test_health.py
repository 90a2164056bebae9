"""System health: every service asked at once, a dead one shown as such, torrent client and indexers on top."""

import json

import httpx
import pytest

from niluflix.contracts.common import HealthCheck, HealthRequest, ServiceHealth, health_subject
from niluflix.messaging import request, rpc_queue


def answer_health(peers, service: str, *checks: HealthCheck) -> None:
    @peers.router.subscriber(health_subject(service), queue=rpc_queue(service))
    async def health(_: HealthRequest) -> ServiceHealth:
        return ServiceHealth(
            service=service, ok=all(c.ok for c in checks), version="1.2.3", checks=list(checks)
        )


DATABASE = HealthCheck(name="database", kind="database", ok=True)


async def test_a_missing_service_shows_as_not_answering(peers, client: httpx.AsyncClient) -> None:
    answer_health(peers, "catalog", DATABASE)
    answer_health(
        peers,
        "search",
        HealthCheck(name="indexer:Demo", kind="indexer", ok=True, detail="ready"),
        HealthCheck(name="indexer:Old", kind="indexer", ok=False, detail="HTTP 500"),
    )
    answer_health(
        peers,
        "downloader",
        DATABASE,
        HealthCheck(name="transmission", kind="torrent_client", ok=True, detail="3.00 on :9091"),
    )
    await peers.start()  # no organizer

    r = await client.get("/api/health")
    assert r.status_code == 200
    health = r.json()
    assert health["status"] == "degraded"
    services = {s["service"]: s for s in health["services"]}
    assert list(services) == ["gateway", "catalog", "search", "downloader", "organizer"]
    assert services["organizer"]["ok"] is False and services["organizer"]["detail"] == "not answering"
    assert services["catalog"]["ok"] is True and services["catalog"]["version"] == "1.2.3"
    assert services["gateway"]["ok"] is True
    assert {c["kind"] for c in services["gateway"]["checks"]} == {"database", "nats"}
    assert health["nats"]["ok"] is True
    assert health["torrent_client"] == {"kind": "transmission", "ok": True, "detail": "3.00 on :9091"}
    assert health["indexers"] == [
        {"name": "Demo", "ok": True, "detail": "ready"},
        {"name": "Old", "ok": False, "detail": "HTTP 500"},
    ]


async def test_all_services_up_is_ok(peers, client: httpx.AsyncClient) -> None:
    for service in ("catalog", "organizer"):
        answer_health(peers, service, DATABASE)
    answer_health(peers, "search", HealthCheck(name="indexer:Demo", kind="indexer", ok=True))
    answer_health(peers, "downloader", HealthCheck(name="embedded", kind="torrent_client", ok=True))
    await peers.start()

    health = (await client.get("/api/health")).json()
    assert health["status"] == "ok", health
    assert health["torrent_client"]["kind"] == "embedded"


async def test_nothing_but_the_gateway(client: httpx.AsyncClient) -> None:
    health = (await client.get("/api/health")).json()
    assert health["status"] == "degraded"
    assert [s["ok"] for s in health["services"]] == [True, False, False, False, False]
    assert health["torrent_client"] == {"kind": "auto", "ok": False, "detail": "downloader: not answering"}


async def test_the_gateway_answers_its_own_health_subject(gateway, peers) -> None:
    await peers.start()
    health = await request(peers.broker, health_subject("gateway"), HealthRequest(), ServiceHealth, timeout=5)
    assert health.service == "gateway" and health.ok
    assert {c.name for c in health.checks} == {"database", "nats"}


@pytest.fixture
def configured_indexers(monkeypatch: pytest.MonkeyPatch, clean_nats: str) -> None:
    """Indexers from the environment, as before anyone saves settings."""
    monkeypatch.setenv(
        "NILUFLIX_INDEXERS",
        json.dumps(
            [
                {"name": "Demo", "url": "http://127.0.0.1:9117/api"},
                {"name": "Off", "url": "http://127.0.0.1:9118/api", "enabled": False},
            ]
        ),
    )


async def test_indexers_of_a_silent_search_are_shown_as_unknown(
    configured_indexers, client: httpx.AsyncClient
) -> None:
    health = (await client.get("/api/health")).json()
    assert health["indexers"] == [{"name": "Demo", "ok": False, "detail": "search: not answering"}]
