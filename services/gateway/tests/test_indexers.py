"""Indexers managed through the API: add, list, edit, switch off, remove, test connection; keys never shown.

The search service here is the real one (on the tests' own NATS server, sharing the gateway's data folder
and so its secret key), with real Torznab and YTS servers on loopback: a change made through the API is
followed by search, and its health shows on `GET /api/health`.
"""

import asyncio
import logging
from collections.abc import Iterator

import httpx
import pytest

from niluflix.contracts.search import RELEASES, FindReleases, ReleaseList
from niluflix.demo.torznab import TorznabItem, TorznabServer
from niluflix.errors import RemoteError
from niluflix.messaging import request
from niluflix.testing.providers import YtsMovie, YtsServer, YtsTorrent

MASK = "********"
KEY = "torznab-key-4711"
SINTEL = FindReleases(tmdb_id=45745, title="Sintel", year=2010, imdb_id="tt1727587")


@pytest.fixture
def torznab() -> Iterator[TorznabServer]:
    item = TorznabItem(
        "Sintel.2010.1080p.BluRay.x264-DEMO",
        magnet_uri="magnet:?xt=urn:btih:" + "a" * 40,
        info_hash="a" * 40,
        imdb_id="tt1727587",
        seeders=10,
        size=2_000_000_000,
    )
    with TorznabServer([item], api_key=KEY) as server:
        yield server


async def test_indexers_are_added_edited_switched_off_and_removed(
    client: httpx.AsyncClient, gateway, torznab: TorznabServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="gateway")
    added = await client.post("/api/indexers", json={"name": "Jackett", "url": torznab.url, "api_key": KEY})
    assert added.status_code == 201
    assert added.json() == {"name": "Jackett", "url": torznab.url, "api_key": MASK, "enabled": True}
    assert KEY not in added.text

    again = await client.post("/api/indexers", json={"name": "jackett", "url": torznab.url})
    assert (again.status_code, again.json()["code"]) == (409, "conflict")
    reserved = await client.post("/api/indexers", json={"name": "YTS", "url": torznab.url})
    assert reserved.status_code == 422 and "built-in provider" in reserved.json()["detail"]
    bad = await client.post("/api/indexers", json={"name": "Bad", "url": "ftp://example"})
    assert bad.status_code == 422 and bad.json()["detail"].startswith(
        "url: must be an http:// or https:// URL"
    )

    off = await client.put(
        "/api/indexers/Jackett", json={"enabled": False, "name": "Jackett HD", "api_key": MASK}
    )
    assert off.json() == {"name": "Jackett HD", "url": torznab.url, "api_key": MASK, "enabled": False}
    stored = gateway.state.live.value.indexers
    assert [(i.name, i.api_key.get_secret_value(), i.enabled) for i in stored] == [("Jackett HD", KEY, False)]
    assert (await client.get("/api/settings")).json()["indexers"][0]["api_key"] == MASK

    listed = await client.get("/api/indexers")
    assert listed.json() == [{"name": "Jackett HD", "url": torznab.url, "api_key": MASK, "enabled": False}]

    missing = await client.put("/api/indexers/Nope", json={"enabled": True})
    assert (missing.status_code, missing.json()["detail"]) == (404, "no indexer is named 'Nope'")
    cleared = await client.put("/api/indexers/Jackett HD", json={"api_key": None})
    assert cleared.json()["api_key"] is None

    assert (await client.delete("/api/indexers/Jackett HD")).status_code == 204
    assert (await client.get("/api/indexers")).json() == []
    assert (await client.delete("/api/indexers/Jackett HD")).status_code == 404

    # Each change once in the gateway's log, in words, and never a key.
    said = [r.getMessage() for r in caplog.records if r.name == "gateway.deps"]
    assert [line.split(": saved as settings revision")[0] for line in said] == [
        "added the indexer 'Jackett'",
        "changed the indexer 'Jackett': name, enabled",
        "changed the indexer 'Jackett HD': api_key",
        "removed the indexer 'Jackett HD'",
    ]
    assert not any(KEY in line for line in said)


async def test_test_connection_before_and_after_saving(client: httpx.AsyncClient, search, torznab) -> None:
    wrong = await client.post(
        "/api/indexers/test", json={"name": "New", "url": torznab.url, "api_key": "nope"}
    )
    assert wrong.status_code == 200
    assert wrong.json()["ok"] is False
    assert (
        wrong.json()["message"]
        == "Failed while reading its capabilities: Invalid API Key (Torznab error 100)"
    )

    fine = await client.post("/api/indexers/test", json={"name": "New", "url": torznab.url, "api_key": KEY})
    assert fine.json()["ok"] is True
    assert fine.json()["message"] == "Works: movie search by IMDb id; 1 release in a sample search"

    await client.post("/api/indexers", json={"name": "Saved", "url": torznab.url, "api_key": KEY})
    saved = await client.post("/api/indexers/Saved/test")
    assert saved.json()["ok"] is True
    # The form sends back the masked key it read: the stored one is used.
    masked = await client.post(
        "/api/indexers/test", json={"name": "Saved", "url": torznab.url, "api_key": MASK}
    )
    assert masked.json()["ok"] is True
    unknown = await client.post(
        "/api/indexers/test", json={"name": "Other", "url": torznab.url, "api_key": MASK}
    )
    assert unknown.status_code == 422


async def test_health_shows_a_provider_backing_off_with_its_last_error(
    client: httpx.AsyncClient, gateway, search
) -> None:
    with YtsServer([YtsMovie("Sintel", 2010, "tt1727587", torrents=[YtsTorrent("1080p")])]) as yts:
        yts.trouble.status = 502
        change = {"providers": {"yts": {"enabled": True, "base_url": yts.base_url}}}
        r = await client.put("/api/settings", json=change)
        assert r.json()["providers"]["yts"] == {"enabled": True, "base_url": yts.base_url}
        await _until_search_lists(client, "YTS")
        for _ in range(2):  # the second failure in a row rests it
            with pytest.raises(RemoteError, match=r"YTS: HTTP 502 Bad Gateway"):
                await request(gateway.state.broker, RELEASES, SINTEL, ReleaseList, timeout=10)

        health = (await client.get("/api/health")).json()

    status = next(i for i in health["indexers"] if i["name"] == "YTS")
    assert status["ok"] is False
    assert status["detail"].startswith("backing off until ")
    assert status["detail"].endswith("(last error: HTTP 502 Bad Gateway)")


async def _until_search_lists(client: httpx.AsyncClient, name: str) -> None:
    """The search service follows the settings bucket on its own: wait until it has the change."""
    for _ in range(200):
        health = (await client.get("/api/health")).json()
        if any(i["name"] == name for i in health["indexers"]):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the search service never listed {name}: {health['indexers']}")
