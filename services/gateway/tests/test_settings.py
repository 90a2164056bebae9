"""The shared settings through the API: masked secrets, partial changes, validation, and every service sees them."""

import asyncio
import json
import logging
from pathlib import Path

import httpx
import nats
import pytest
from gateway.settings import GatewaySettings

from niluflix.contracts.settings import KEY, SharedSettings
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings, encode_settings, open_bucket

MASK = "********"
SECRETS = ("tmdb-secret-123", "transmission-pw-456", "indexer-key-789")


async def another_service_view(nats_url: str, data_dir: Path) -> tuple[LiveSettings, nats.NATS]:
    nc = await nats.connect(nats_url)
    live = LiveSettings(nc.jetstream(), SecretBox.from_env_or_file(data_dir))
    await live.start()
    return live, nc


async def test_secrets_are_masked_kept_and_reach_other_services(
    client: httpx.AsyncClient, settings: GatewaySettings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    library = tmp_path / "media" / "Movies"
    r = await client.put(
        "/api/settings",
        json={
            "tmdb_api_key": SECRETS[0],
            "library_dir": str(library),
            "torrent_client": {
                "kind": "transmission",
                "url": "http://127.0.0.1:9091/transmission/rpc",
                "username": "niluflix",
                "password": SECRETS[1],
            },
            "indexers": [{"name": "Demo", "url": "http://127.0.0.1:9117/api", "api_key": SECRETS[2]}],
        },
    )
    assert r.status_code == 200, r.text
    shown = r.json()
    assert shown["tmdb_api_key"] == MASK
    assert shown["torrent_client"]["password"] == MASK and shown["torrent_client"]["username"] == "niluflix"
    assert shown["indexers"][0]["api_key"] == MASK
    assert shown["library_dir"] == str(library)
    assert library.is_dir(), "the library folder is created when it is set"

    r = await client.get("/api/settings")
    assert r.json() == shown
    assert not any(secret in r.text for secret in SECRETS)

    other, nc = await another_service_view(settings.nats_url, settings.data_dir)
    try:
        assert other.value.tmdb_api_key is not None
        assert other.value.tmdb_api_key.get_secret_value() == SECRETS[0]
        assert other.value.torrent_client.password.get_secret_value() == SECRETS[1]

        # The UI sends back what it read, masks included, with one change: the secrets stay.
        changed = asyncio.Event()

        async def on_change(_) -> None:
            changed.set()

        other.on_change(on_change)
        r = await client.put("/api/settings", json={**shown, "max_concurrent_downloads": 5})
        assert r.status_code == 200 and r.json()["max_concurrent_downloads"] == 5
        await asyncio.wait_for(changed.wait(), 10)
        assert other.value.max_concurrent_downloads == 5
        assert other.value.tmdb_api_key.get_secret_value() == SECRETS[0]
        assert other.value.torrent_client.password.get_secret_value() == SECRETS[1]
        assert other.value.indexers[0].api_key.get_secret_value() == SECRETS[2]
    finally:
        await other.stop()
        await nc.close()

    r = await client.put("/api/settings", json={"tmdb_api_key": None})
    assert r.json()["tmdb_api_key"] is None
    assert (await client.get("/api/settings")).json()["torrent_client"]["password"] == MASK
    assert not any(secret in caplog.text for secret in SECRETS)
    # Each change once in the gateway's log, naming what changed.
    said = [r.getMessage() for r in caplog.records if r.name == "gateway.deps"]
    assert [line.split("; ")[1] for line in said] == [
        "changed: tmdb_api_key, library_dir, torrent_client, indexers",
        "changed: max_concurrent_downloads",
        "changed: tmdb_api_key",
    ]


async def test_invalid_settings_are_refused_with_the_reason(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    before = (await client.get("/api/settings")).json()
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    cases = [
        ({"library_dir": "relative/Movies"}, "library_dir must be an absolute path"),
        ({"library_dir": str(a_file / "Movies")}, "cannot be created or written"),
        ({"max_concurrent_downloads": 0}, "max_concurrent_downloads"),
        ({"torrent_client": {"kind": "qbittorrent"}}, "torrent client 'qbittorrent' needs a url"),
        ({"indexers": [{"name": "A", "url": "ftp://x"}]}, "indexers.0.url"),
        (
            {"indexers": [{"name": "A", "url": "http://a"}, {"name": "a", "url": "http://b"}]},
            "must be unique",
        ),
        ({"tmdb_api_kye": "typo"}, "unknown setting 'tmdb_api_kye'"),
        ({"torrent_client": {"pasword": "x"}}, "unknown setting 'torrent_client.pasword'"),
    ]
    for change, reason in cases:
        r = await client.put("/api/settings", json=change)
        assert r.status_code == 422, change
        assert r.json()["code"] == "invalid_request"
        assert reason in r.json()["detail"], (change, r.json())

    r = await client.put("/api/settings", json=["not", "an", "object"])
    assert r.status_code == 422 and r.json()["detail"]
    assert (await client.get("/api/settings")).json() == before, "a refused change saves nothing"


async def test_a_name_outside_the_quality_vocabulary_is_refused_on_every_path(
    client: httpx.AsyncClient,
) -> None:
    before = (await client.get("/api/settings")).json()
    first, *others = before["quality_profiles"]
    sent = [
        ("put", "/api/settings", {"quality_profiles": [{**first, "languages": ["en", "sp"]}, *others]}),
        ("put", f"/api/profiles/{first['name']}", {**first, "languages": ["en", "sp"]}),
        ("post", "/api/profiles", {"name": "Typo", "languages": ["sp"]}),
    ]
    for method, path, body in sent:
        r = await client.request(method, path, json=body)
        assert r.status_code == 422, (path, r.text)
        assert "unknown language 'sp'; valid: en, fr, de" in r.json()["detail"], (path, r.json())
    r = await client.put(
        "/api/settings", json={"quality_profiles": [{**first, "rejected_sources": ["CAMM"]}]}
    )
    assert r.status_code == 422 and "unknown source 'CAMM'; valid: CAM, TS" in r.json()["detail"]
    assert (await client.get("/api/settings")).json() == before, "a refused change saves nothing"


async def test_settings_stored_with_an_unknown_name_still_load_and_can_be_changed(
    client: httpx.AsyncClient, settings: GatewaySettings, caplog: pytest.LogCaptureFixture
) -> None:
    # As a version before the vocabulary check may have stored them: a language typed as `sp`.
    stored = json.loads(
        encode_settings(
            SharedSettings(max_concurrent_downloads=4), SecretBox.from_env_or_file(settings.data_dir)
        )
    )
    stored["quality_profiles"][0]["languages"] = ["en", "sp"]
    nc = await nats.connect(settings.nats_url)
    try:
        await (await open_bucket(nc.jetstream())).put(KEY, json.dumps(stored).encode())
    finally:
        await nc.close()
    for _ in range(200):
        shown = (await client.get("/api/settings")).json()
        if shown["max_concurrent_downloads"] == 4:
            break
        await asyncio.sleep(0.02)
    assert shown["max_concurrent_downloads"] == 4, "the stored settings were not read"
    assert shown["quality_profiles"][0]["languages"] == ["en"]
    assert "languages 'sp' is not a known name; ignoring it" in caplog.text

    r = await client.put("/api/settings", json={"max_concurrent_downloads": 2})
    assert r.status_code == 200, r.text
    assert r.json()["quality_profiles"][0]["languages"] == ["en"]
