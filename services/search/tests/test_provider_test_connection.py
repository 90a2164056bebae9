"""'Test connection' for the built-in providers as the gateway asks it: `search.v1.providers.test` over real
NATS, answered by the search service from loopback servers speaking YTS's, EZTV's and apibay's real JSON."""

import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from faststream import TestApp
from faststream.nats import NatsBroker
from pydantic import ValidationError
from search.indexers.pool import IndexerPool
from search.main import create_app
from search.settings import SearchSettings

from niluflix.contracts.search import TEST_PROVIDER, IndexerTestResult, TestProvider
from niluflix.contracts.settings import ProvidersSettings
from niluflix.messaging import make_broker, request
from niluflix.testing.net import free_port
from niluflix.testing.providers import (
    EztvEpisode,
    EztvServer,
    TpbServer,
    TpbTorrent,
    YtsMovie,
    YtsServer,
    YtsTorrent,
)

TIMEOUT = 1  # the search service's indexer timeout in these tests, seconds


@pytest.fixture
def yts() -> Iterator[YtsServer]:
    movies = [
        YtsMovie("Sintel", 2010, "tt1727587", torrents=[YtsTorrent("720p"), YtsTorrent("1080p")]),
        YtsMovie("Tears of Steel", 2012, "tt2285752", torrents=[YtsTorrent("1080p", "web")]),
    ]
    with YtsServer(movies) as server:
        yield server


@pytest.fixture
def eztv() -> Iterator[EztvServer]:
    episodes = [
        EztvEpisode("The Flash S07E18 720p HDTV x264-SYNCOPY EZTV", "3107288", 7, 18),
        EztvEpisode("The Flash S07E17 720p HDTV x264-SYNCOPY EZTV", "3107288", 7, 17),
    ]
    with EztvServer(episodes) as server:
        yield server


@pytest.fixture
def tpb() -> Iterator[TpbServer]:
    torrents = [
        TpbTorrent("Sintel.2010.1080p.BluRay.x264-GRP", category=207),
        TpbTorrent("Tears.of.Steel.2012.720p.BluRay.x264-GRP", category=207),
        TpbTorrent("Sintel.2010.720p.BluRay.x264-GRP", category=201),  # not HD Movies: not listed
        TpbTorrent("The.Flash.S07E18.720p.HDTV.x264-SYNCOPY", category=208),
    ]
    with TpbServer(torrents) as server:
        yield server


@pytest.fixture
def saved(yts: YtsServer, eztv: EztvServer, tpb: TpbServer) -> ProvidersSettings:
    """Every provider saved with its loopback address, and switched off: a test works either way."""
    return ProvidersSettings.model_validate(
        {
            key: {"enabled": False, "base_url": s.base_url}
            for key, s in (("yts", yts), ("eztv", eztv), ("tpb", tpb))
        }
    )


@pytest.fixture
async def client(
    private_nats: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: ProvidersSettings
) -> AsyncIterator[NatsBroker]:
    monkeypatch.setenv("NILUFLIX_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("NILUFLIX_INDEXERS", "[]")
    monkeypatch.setenv("NILUFLIX_PROVIDERS", saved.model_dump_json())
    settings = SearchSettings(
        nats_url=private_nats, data_dir=tmp_path, indexer_timeout=TIMEOUT, watch_settings=False
    )
    async with TestApp(create_app(settings)), make_broker(private_nats, name="test-client") as broker:
        yield broker


async def test_connection(
    client: NatsBroker, provider: str, base_url: str | None = None
) -> IndexerTestResult:
    ask = TestProvider(provider=provider, base_url=base_url)
    return await request(client, TEST_PROVIDER, ask, IndexerTestResult, timeout=10)


test_connection.__test__ = False  # called by the tests, not one itself


async def test_each_provider_at_its_saved_address_says_what_it_offers_and_found(
    client: NatsBroker, yts: YtsServer, eztv: EztvServer, tpb: TpbServer
) -> None:
    results = {key: await test_connection(client, key) for key in ("yts", "eztv", "tpb")}

    assert {key: (r.ok, r.message) for key, r in results.items()} == {
        "yts": (True, "Works: movies by IMDb id or title; 3 releases in a sample search"),
        "eztv": (True, "Works: TV episodes by the show's IMDb id; 2 releases in a sample search"),
        "tpb": (True, "Works: movies by IMDb id or title, TV by title; 2 releases in a sample search"),
    }
    assert (results["yts"].releases, results["yts"].categories) == (3, [2000])
    # One small listing each, from the endpoint the searches use.
    assert yts.queries == [("/api/v2/list_movies.json", {"limit": "10"})]
    assert eztv.queries == [("/api/get-torrents", {"limit": "20", "page": "1"})]
    assert tpb.queries == [("/q.php", {"q": "category:207"})]


async def test_a_mirror_is_tested_before_it_is_saved(client: NatsBroker, yts: YtsServer) -> None:
    with YtsServer([YtsMovie("Sintel", 2010, "tt1727587", torrents=[YtsTorrent("2160p")])]) as mirror:
        result = await test_connection(client, "yts", mirror.base_url + "/")

    assert (result.ok, result.releases) == (True, 1)
    assert len(mirror.queries) == 1 and yts.queries == []


@pytest.mark.parametrize("status", [502, 503])
async def test_an_http_error_names_the_status_and_the_address(
    client: NatsBroker, tpb: TpbServer, status: int
) -> None:
    tpb.trouble.status = status

    result = await test_connection(client, "tpb")

    reason = {502: "Bad Gateway", 503: "Service Unavailable"}[status]
    assert (result.ok, result.message) == (False, f"Failed: HTTP {status} {reason} from {tpb.base_url}/q.php")


async def test_a_wrong_base_url_is_told_apart_from_a_broken_site(client: NatsBroker, yts: YtsServer) -> None:
    # A path the site does not serve, e.g. an old API version: a 404 there.
    old_api = yts.base_url.replace("/api/v2", "/api/v1")
    missing = await test_connection(client, "yts", old_api)
    assert (missing.ok, missing.message) == (
        False,
        f"Failed: HTTP 404 Not Found from {old_api}/list_movies.json; check the base URL",
    )

    # A page that answers 200 with HTML, as a parked domain or a captcha wall does.
    yts.trouble.body = b"<!doctype html><html><body>Just a moment...</body></html>"
    html = await test_connection(client, "yts")
    assert (html.ok, html.message) == (
        False,
        (
            f"Failed: not YTS's API at {yts.base_url}/list_movies.json: an HTML page, not the API's JSON;"
            " check the base URL"
        ),
    )
    assert (html.capabilities, html.releases) == (None, 0)


@pytest.mark.parametrize(
    ("key", "foreign"),
    [
        ("yts", {"page": 1, "results": [{"id": 603, "title": "The Matrix"}]}),  # TMDB's JSON
        ("eztv", {"page": 1, "results": [{"id": 603, "title": "The Matrix"}]}),
        ("tpb", {"status": "ok", "data": {"movie_count": 0}}),  # YTS's JSON on apibay's address
    ],
)
async def test_another_sites_json_is_not_taken_for_the_providers(
    client: NatsBroker, yts: YtsServer, eztv: EztvServer, tpb: TpbServer, key: str, foreign: dict
) -> None:
    server = {"yts": yts, "eztv": eztv, "tpb": tpb}[key]
    server.trouble.body, server.trouble.body_type = json.dumps(foreign).encode(), "application/json"

    result = await test_connection(client, key)

    name = {"yts": "YTS", "eztv": "EZTV", "tpb": "The Pirate Bay"}[key]
    assert not result.ok
    assert result.message.startswith(f"Failed: not {name}'s API at {server.base_url}/")
    assert result.message.endswith(
        f"the answer is not in the {name} API's shape (1 errors); check the base URL"
    )


async def test_a_provider_that_never_answers_fails_within_the_timeout(
    client: NatsBroker, eztv: EztvServer
) -> None:
    eztv.trouble.delay = 30

    started = time.monotonic()
    result = await test_connection(client, "eztv")

    assert time.monotonic() - started < TIMEOUT + 2
    assert (result.ok, result.message) == (
        False,
        f"Failed: no answer from {eztv.base_url}/get-torrents within {TIMEOUT} s",
    )


async def test_a_dead_address_or_a_rate_limit_is_said_in_words(client: NatsBroker, yts: YtsServer) -> None:
    dead = f"http://127.0.0.1:{free_port()}/api/v2"
    unreachable = await test_connection(client, "yts", dead)
    assert not unreachable.ok
    assert unreachable.message.startswith("Failed: cannot reach the indexer: ")
    assert unreachable.message.endswith(f"({dead}/list_movies.json)")

    yts.trouble.rate_limit, yts.trouble.retry_after = 1, "90"
    limited = await test_connection(client, "yts")
    assert (
        limited.message
        == f"Failed: rate limited (HTTP 429), asked to wait 90 s ({yts.base_url}/list_movies.json)"
    )


async def test_credentials_in_a_mirrors_address_are_not_repeated(client: NatsBroker) -> None:
    port = free_port()
    result = await test_connection(client, "tpb", f"http://user:hunter2@127.0.0.1:{port}")
    assert not result.ok and "hunter2" not in result.message
    assert f"(http://127.0.0.1:{port}/q.php)" in result.message


def test_a_base_url_that_is_not_http_is_refused_as_the_settings_refuse_it() -> None:
    with pytest.raises(ValidationError, match="must be an http:// or https:// URL"):
        TestProvider(provider="yts", base_url="ftp://yts.mx/api/v2")
    with pytest.raises(ValidationError, match="'yts', 'eztv' or 'tpb'"):
        TestProvider(provider="rarbg")


async def test_a_failed_test_leaves_the_providers_search_record_alone(
    http: httpx.AsyncClient, yts: YtsServer
) -> None:
    """The test is not a search: failures there neither rest a switched-on provider nor count towards it."""
    pool = IndexerPool(http, timeout=TIMEOUT, max_feed_bytes=1 << 20)
    pool.configure([], ProvidersSettings.model_validate({"yts": {"enabled": True, "base_url": yts.base_url}}))
    yts.trouble.status = 503

    for _ in range(3):
        assert not (await pool.test_provider("yts")).ok

    assert pool.backoff.state("YTS").failures == 0
    checks = {c.name: (c.ok, c.detail) for c in await pool.health()}
    assert checks["indexer:YTS"] == (True, "ready: movie search by IMDb id")
