"""Secrets inside URLs, probed as an attacker would: a key in an indexer's URL, a password in the torrent
client's, an indexer that echoes its key in an error. Sealed in the settings bucket, masked in every answer
and every log line, and kept when the UI sends back the masked value it read.

The search service here is the real one beside the gateway; the echoing indexer is pytest-httpserver's, on
loopback.
"""

import asyncio
import logging
from xml.sax.saxutils import quoteattr

import httpx
import nats
import pytest
from gateway.settings import GatewaySettings
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from niluflix.contracts.search import RELEASES, FindReleases, ReleaseList
from niluflix.contracts.settings import BUCKET, KEY
from niluflix.errors import RemoteError
from niluflix.messaging import request

MASK = "********"
CLIENT_PASS = "client-pass-5150"
TMDB_URL_KEY = "tmdb-url-key-2001"
INDEXER_URL_KEY = "indexer-url-key-1138"
INDEXER_FIELD_KEY = "indexer-field-key-4242"
CLIENT_URL = f"http://admin:{CLIENT_PASS}@127.0.0.1:9091/transmission/rpc"
TMDB_URL = f"https://api.themoviedb.org/3?api_key={TMDB_URL_KEY}"
INDEXER_URL = f"http://127.0.0.1:9117/api/v2.0/indexers/x/results/torznab/api?apikey={INDEXER_URL_KEY}&t=caps"
SINTEL = FindReleases(tmdb_id=45745, title="Sintel", year=2010, imdb_id="tt1727587")
ALL_SECRETS = (CLIENT_PASS, TMDB_URL_KEY, INDEXER_URL_KEY, INDEXER_FIELD_KEY)


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    """What the services logged. Left out: the test's own indexer (werkzeug), and httpx and httpcore, which
    log each request URL, the key in it: services keep them at WARNING (`niluflix.logs.setup_logging`), and
    their log format masks every line besides."""
    others = ("httpx", "httpcore", "werkzeug")
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(others))


def _no_secret_in(text: str) -> None:
    for secret in ALL_SECRETS:
        assert secret not in text, f"{secret} shows in: {text}"


async def _raw_settings(nats_url: str) -> bytes:
    nc = await nats.connect(nats_url)
    try:
        return (await (await nc.jetstream().key_value(BUCKET)).get(KEY)).value or b""
    finally:
        await nc.close()


async def test_urls_with_credentials_are_sealed_masked_and_kept_when_sent_back(
    client: httpx.AsyncClient, gateway, settings: GatewaySettings, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    saved = await client.put(
        "/api/settings",
        json={
            "library_dir": str(tmp_path / "Movies"),
            "tmdb_base_url": TMDB_URL,
            "torrent_client": {"kind": "transmission", "url": CLIENT_URL},
            "indexers": [{"name": "Jackett", "url": INDEXER_URL}],
        },
    )
    assert saved.status_code == 200, saved.text
    _no_secret_in(saved.text)
    shown = (await client.get("/api/settings")).json()
    assert shown["torrent_client"]["url"] == f"http://admin:{MASK}@127.0.0.1:9091/transmission/rpc"
    assert shown["tmdb_base_url"] == f"https://api.themoviedb.org/3?api_key={MASK}"
    assert shown["indexers"][0]["url"] == INDEXER_URL.replace(INDEXER_URL_KEY, MASK)
    listed = await client.get("/api/indexers")
    assert listed.json()[0]["url"] == INDEXER_URL.replace(INDEXER_URL_KEY, MASK)

    # at rest: sealed, none of them in the bucket's bytes
    _no_secret_in((await _raw_settings(settings.nats_url)).decode())

    # the settings page saves what it read: every stored secret stays
    back = await client.put("/api/settings", json=shown)
    assert back.status_code == 200, back.text
    stored = gateway.state.live.value
    assert (stored.torrent_client.url, stored.tmdb_base_url) == (CLIENT_URL, TMDB_URL)
    assert stored.indexers[0].url == INDEXER_URL
    # an indexer edit sending its masked URL back, with another parameter changed, keeps the key too
    edited = await client.put(
        "/api/indexers/Jackett", json={"url": listed.json()[0]["url"].replace("t=caps", "t=search")}
    )
    assert edited.status_code == 200, edited.text
    assert gateway.state.live.value.indexers[0].url == INDEXER_URL.replace("t=caps", "t=search")

    # a masked secret is never carried to another host
    elsewhere = dict(
        shown,
        torrent_client={
            "kind": "transmission",
            "url": shown["torrent_client"]["url"].replace("127.0.0.1", "203.0.113.9"),
        },
    )
    refused = await client.put("/api/settings", json=elsewhere)
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("torrent_client.url: ")
    moved = await client.put(
        "/api/indexers/Jackett", json={"url": f"http://203.0.113.9:9117/api?apikey={MASK}"}
    )
    assert moved.status_code == 422 and "stored secret" in moved.json()["detail"]
    assert gateway.state.live.value.torrent_client.url == CLIENT_URL

    _no_secret_in(_logged(caplog))


def _echo_the_key(request: Request) -> Response:
    """A Torznab indexer refusing every request with an error repeating the key and the URL it got, as some
    trackers' and proxies' error pages do."""
    said = f"Invalid API Key {request.args.get('apikey', '')} for {request.url}"
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<error code="100" description={quoteattr(said)} />'
    return Response(body, status=400, content_type="application/xml")


@pytest.fixture
def echoing_indexer(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/api").respond_with_handler(_echo_the_key)
    return httpserver.url_for("/api")


async def test_an_indexer_echoing_its_key_shows_masked_in_health_replies_and_logs(
    client: httpx.AsyncClient, gateway, search, echoing_indexer: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    indexers = [
        {"name": "InUrl", "url": f"{echoing_indexer}?apikey={INDEXER_URL_KEY}"},
        {"name": "InField", "url": echoing_indexer, "api_key": INDEXER_FIELD_KEY},
    ]
    for indexer in indexers:
        assert (await client.post("/api/indexers", json=indexer)).status_code == 201

    details: dict[str, str] = {}
    for _ in range(200):  # search follows the settings bucket on its own
        health = (await client.get("/api/health")).json()
        details = {
            i["name"]: i["detail"] for i in health["indexers"] if "Invalid API Key" in (i["detail"] or "")
        }
        if len(details) == 2:
            break
        await asyncio.sleep(0.05)
    assert set(details) == {"InUrl", "InField"}, health["indexers"]
    for detail in details.values():
        _no_secret_in(detail)
        assert detail.startswith(f"Invalid API Key {MASK} for http://127.0.0.1:")
        assert f"apikey={MASK}" in detail

    with pytest.raises(RemoteError) as failed:
        await request(gateway.state.broker, RELEASES, SINTEL, ReleaseList, timeout=10)
    _no_secret_in(failed.value.message)
    assert MASK in failed.value.message

    tested = await client.post("/api/indexers/InField/test")
    assert tested.json()["ok"] is False
    _no_secret_in(tested.text)

    logged = _logged(caplog)
    assert "Invalid API Key ********" in logged  # the failures are logged, masked
    _no_secret_in(logged)
