""" "Test connection" for the built-in providers through the API: a mirror before saving it, the saved address
after, failures as a message a user can act on, and clear refusals for an unknown provider or a bad address.

The search service here is the real one (on the tests' own NATS server), asking loopback servers that speak
YTS's, EZTV's and apibay's real JSON; no test reaches a provider's real site.
"""

from collections.abc import Iterator

import httpx
import pytest

from niluflix.testing.providers import (
    EztvEpisode,
    EztvServer,
    TpbServer,
    TpbTorrent,
    YtsMovie,
    YtsServer,
    YtsTorrent,
)

DEFAULT_YTS = "https://yts.mx/api/v2"


@pytest.fixture
def yts() -> Iterator[YtsServer]:
    movies = [YtsMovie("Sintel", 2010, "tt1727587", torrents=[YtsTorrent("720p"), YtsTorrent("1080p")])]
    with YtsServer(movies) as server:
        yield server


async def test_a_mirror_is_tested_before_saving_and_the_saved_address_after(
    client: httpx.AsyncClient, search, yts: YtsServer
) -> None:
    before = await client.post("/api/providers/yts/test", json={"base_url": yts.base_url})

    assert before.status_code == 200
    assert before.json()["ok"] is True
    assert before.json()["message"] == "Works: movies by IMDb id or title; 2 releases in a sample search"
    assert before.json()["releases"] == 2
    # Testing saved nothing: the provider is still off, at its default address.
    saved = (await client.get("/api/settings")).json()["providers"]["yts"]
    assert saved == {"enabled": False, "base_url": DEFAULT_YTS}

    change = await client.put("/api/settings", json={"providers": {"yts": {"base_url": yts.base_url}}})
    assert change.status_code == 200
    # Right after the save, without a body: the address just saved is the one asked, switched off or not.
    after = await client.post("/api/providers/YTS/test")
    assert (after.json()["ok"], after.json()["releases"]) == (True, 2)
    empty = await client.post("/api/providers/yts/test", json={})
    assert empty.json()["ok"] is True
    assert [path for path, _ in yts.queries] == ["/api/v2/list_movies.json"] * 3


async def test_a_failing_provider_is_a_message_not_an_error(client: httpx.AsyncClient, search) -> None:
    with (
        TpbServer([TpbTorrent("Sintel.2010.1080p.BluRay.x264-GRP")]) as tpb,
        EztvServer([EztvEpisode("The Flash S07E18 720p HDTV x264-SYNCOPY EZTV", "3107288", 7, 18)]) as eztv,
    ):
        tpb.trouble.status = 503
        eztv.trouble.body = b"<!doctype html><html><body>Domain for sale</body></html>"

        down = await client.post("/api/providers/tpb/test", json={"base_url": tpb.base_url})
        parked = await client.post("/api/providers/eztv/test", json={"base_url": eztv.base_url})

    assert down.status_code == 200
    assert (down.json()["ok"], down.json()["message"]) == (
        False,
        f"Failed: HTTP 503 Service Unavailable from {tpb.base_url}/q.php",
    )
    assert parked.status_code == 200
    assert (parked.json()["ok"], parked.json()["message"]) == (
        False,
        (
            f"Failed: not EZTV's API at {eztv.base_url}/get-torrents: an HTML page, not the API's JSON;"
            " check the base URL"
        ),
    )


async def test_an_unknown_provider_is_404_and_an_address_that_is_not_http_is_422(
    client: httpx.AsyncClient,
) -> None:
    unknown = await client.post("/api/providers/rarbg/test", json={"base_url": "https://rarbg.to/api"})
    assert unknown.status_code == 404
    assert unknown.json() == {
        "detail": "no built-in provider is called 'rarbg'; they are yts, eztv, tpb",
        "code": "not_found",
    }

    bad = await client.post("/api/providers/tpb/test", json={"base_url": "apibay.org"})
    assert bad.status_code == 422
    assert bad.json() == {
        "detail": "base_url: must be an http:// or https:// URL, got 'apibay.org'",
        "code": "invalid_request",
    }


async def test_without_a_search_service_the_test_is_unavailable(client: httpx.AsyncClient, yts) -> None:
    r = await client.post("/api/providers/yts/test", json={"base_url": yts.base_url})
    assert r.status_code == 503
    assert r.json()["detail"] == "no service answers search.v1.providers.test"
    assert yts.queries == []
