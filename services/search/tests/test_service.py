"""The search service as other services see it: requests over a real NATS server, typed replies and errors."""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from faststream import TestApp
from faststream.nats import NatsBroker
from search.main import create_app
from search.settings import SearchSettings

from niluflix.contracts.common import ErrorCode, HealthRequest, ServiceHealth, health_subject
from niluflix.contracts.search import RELEASES, FindReleases, RejectionCode, ReleaseList
from niluflix.contracts.settings import IndexerSettings, SharedSettings
from niluflix.errors import RemoteError
from niluflix.messaging import ERROR_HEADER, make_broker, request
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings

SINTEL = FindReleases(tmdb_id=45745, title="Sintel", year=2010, imdb_id="tt1727587")
HEALTH = health_subject("search")


@pytest.fixture
def running(private_nats: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable:
    """Start the service (as `python -m search` would, minus the process) and a client broker beside it."""
    monkeypatch.setenv("NILUFLIX_SECRET_KEY", Fernet.generate_key().decode())

    @asynccontextmanager
    async def run(indexers: list[dict] | None = None, **overrides) -> AsyncIterator[NatsBroker]:
        monkeypatch.setenv("NILUFLIX_INDEXERS", json.dumps(indexers or []))
        overrides.setdefault("watch_settings", False)
        settings = SearchSettings(nats_url=private_nats, data_dir=tmp_path, indexer_timeout=1, **overrides)
        async with TestApp(create_app(settings)), make_broker(private_nats, name="test-client") as client:
            yield client

    return run


async def test_releases_are_found_ranked_and_explained(running, torznab, make_item) -> None:
    good = torznab(
        [
            make_item("Sintel.2010.720p.BluRay.x264-DEMO", seeders=80, imdb_id="tt1727587"),
            make_item("Sintel.2010.1080p.BluRay.x264-DEMO", seeders=8, imdb_id="tt1727587"),
            make_item("Sintel.2010.1080p.WEB-DL-DEAD", seeders=0, imdb_id="tt1727587"),
        ]
    )
    locked = torznab(
        [make_item("Sintel.2010.1080p.BluRay.x264-LOCKED", imdb_id="tt1727587")], api_key="other"
    )
    indexers = [
        {"name": "Demo", "url": good.url, "api_key": "niluflix-demo"},
        {"name": "Locked", "url": locked.url, "api_key": "niluflix-demo"},
    ]
    async with running(indexers) as client:
        reply = await request(client, RELEASES, SINTEL, ReleaseList, timeout=10)

    assert [r.name for r in reply.releases] == [
        "Sintel.2010.1080p.BluRay.x264-DEMO",
        "Sintel.2010.720p.BluRay.x264-DEMO",
    ]
    best = reply.releases[0]
    assert best.info_hash and best.magnet_uri and best.parsed.resolution == "1080p" and best.seeders == 8
    # typed on the wire: the code for programs, the words for people
    assert [(r.name, [(x.code, x.message) for x in r.rejections]) for r in reply.rejected] == [
        ("Sintel.2010.1080p.WEB-DL-DEAD", [(RejectionCode.NO_SEEDERS, "no seeders")])
    ]
    assert [(r.indexer, r.ok, r.count, r.error) for r in reply.indexers] == [
        ("Demo", True, 3, None),
        ("Locked", False, 0, "Invalid API Key (Torznab error 100)"),
    ]


async def test_health_lists_each_indexer(running, torznab) -> None:
    server = torznab()
    indexers = [
        {"name": "Demo", "url": server.url, "api_key": "niluflix-demo"},
        {"name": "Off", "url": server.url, "enabled": False},
    ]
    async with running(indexers) as client:
        health = await request(client, HEALTH, HealthRequest(), ServiceHealth, timeout=10)
    assert (health.service, health.ok) == ("search", True)
    assert [(c.name, c.kind, c.ok, c.detail) for c in health.checks] == [
        ("indexer:Demo", "indexer", True, "ready: movie search by IMDb id"),
        ("indexer:Off", "indexer", True, "disabled"),
    ]


async def test_no_indexer_yet_is_healthy_and_says_what_to_do(running, torznab) -> None:
    """A fresh install has no indexer: that is a step to take in Settings, not a broken service."""
    async with running([]) as client:
        health = await request(client, HEALTH, HealthRequest(), ServiceHealth, timeout=10)
    assert (health.service, health.ok) == ("search", True)
    assert [(c.name, c.ok, c.detail) for c in health.checks] == [
        ("indexers", True, "no indexer yet: add an indexer in Settings")
    ]
    server = torznab()
    async with running([{"name": "Off", "url": server.url, "enabled": False}]) as client:
        health = await request(client, HEALTH, HealthRequest(), ServiceHealth, timeout=10)
    assert health.ok and [(c.name, c.detail) for c in health.checks] == [
        ("indexers", "no indexer yet: add an indexer in Settings"),
        ("indexer:Off", "disabled"),
    ]


@pytest.mark.parametrize(
    ("payload", "code", "message"),
    [
        (SINTEL.model_dump(mode="json"), ErrorCode.UNAVAILABLE, "no indexer is configured"),
        ({"tmdb_id": 1, "title": " "}, ErrorCode.INVALID_REQUEST, "a title is needed"),
        ({"tmdb_id": "not a number"}, ErrorCode.INVALID_REQUEST, "title"),
    ],
    ids=["no-indexers", "blank-title", "malformed"],
)
async def test_bad_requests_get_typed_error_replies(
    running, payload: dict, code: ErrorCode, message: str
) -> None:
    async with running([]) as client:
        reply = await client.request(json.dumps(payload).encode(), RELEASES, timeout=10)
    assert reply.headers[ERROR_HEADER] == code.value
    assert message in json.loads(reply.body)["message"]


async def test_all_indexers_failing_is_an_upstream_error(running, torznab) -> None:
    server = torznab(api_key="right")
    async with running([{"name": "Demo", "url": server.url, "api_key": "wrong"}]) as client:
        with pytest.raises(RemoteError) as caught:
            await request(client, RELEASES, SINTEL, ReleaseList, timeout=10)
    assert caught.value.code == ErrorCode.UPSTREAM
    assert caught.value.message == "every indexer failed (Demo: Invalid API Key (Torznab error 100))"


async def test_indexers_saved_in_the_shared_settings_are_used_without_a_restart(
    running, torznab, make_item, private_nats: str, tmp_path: Path
) -> None:
    server = torznab([make_item("Sintel.2010.1080p.BluRay.x264-DEMO", imdb_id="tt1727587")])
    async with running([], watch_settings=True) as client:
        with pytest.raises(RemoteError) as caught:
            await request(client, RELEASES, SINTEL, ReleaseList, timeout=10)
        assert caught.value.code == ErrorCode.UNAVAILABLE

        # What the gateway does when the user adds an indexer in Settings.
        settings_js = (await client.connect()).jetstream()
        editor = LiveSettings(settings_js, SecretBox.from_env_or_file(tmp_path))
        await editor.start()
        try:
            indexer = IndexerSettings(name="Demo", url=server.url, api_key="niluflix-demo")
            await editor.save(SharedSettings(indexers=[indexer]))
        finally:
            await editor.stop()

        health = await request(client, HEALTH, HealthRequest(), ServiceHealth, timeout=10)
        for _ in range(100):  # the watch delivers in about a millisecond; give it plenty
            if health.checks and health.checks[0].name == "indexer:Demo":
                break
            await asyncio.sleep(0.05)
            health = await request(client, HEALTH, HealthRequest(), ServiceHealth, timeout=10)
        assert [(c.name, c.ok) for c in health.checks] == [("indexer:Demo", True)]
        reply = await request(client, RELEASES, SINTEL, ReleaseList, timeout=10)
    assert [r.name for r in reply.releases] == ["Sintel.2010.1080p.BluRay.x264-DEMO"]
