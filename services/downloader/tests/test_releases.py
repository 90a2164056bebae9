"""Choosing a release and fetching its torrent, against a loopback HTTP server like an indexer's."""

from collections.abc import AsyncIterator

import httpx
import pytest
from downloader.errors import PeerUnavailable, ReleaseUnusable
from downloader.jobs.releases import fetch_source, pick, why_picked
from pytest_httpserver import HTTPServer
from werkzeug import Response

from niluflix.contracts.search import ParsedRelease, Release
from niluflix.testing.net import free_port

TORRENT = (
    b"d8:announce35:http://127.0.0.1:1/announce4:infod6:lengthi1e4:name1:x12:piece lengthi16384e6:pieces20:"
    + b"\0" * 20
    + b"ee"
)
MAGNET = "magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=Sintel"


def redirect(location: str) -> Response:
    return Response(status=302, headers={"Location": location})


@pytest.fixture
def indexer(httpserver: HTTPServer) -> str:
    """Answers the way Jackett and Prowlarr answer a download link."""
    answers = {
        "/file": Response(TORRENT, content_type="application/x-bittorrent"),
        "/magnet": redirect(MAGNET),
        "/hop": redirect("/file?apikey=secret"),
        "/loop": redirect("/loop"),
        "/gone": Response(b"not found", status=404, content_type="text/plain"),
        "/busy": Response(b"try later", status=503, content_type="text/plain"),
        "/html": Response(b"<html>login</html>", content_type="text/html"),
    }
    for path, response in answers.items():
        httpserver.expect_request(path).respond_with_response(response)
    return httpserver.url_for("").rstrip("/")


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


@pytest.mark.parametrize("path", ["/file?apikey=secret", "/hop?apikey=secret"])
async def test_a_torrent_url_gives_the_torrent_file(http, indexer, path):
    source = await fetch_source(http, indexer + path)
    assert source.torrent == TORRENT


async def test_a_torrent_url_redirecting_to_a_magnet_is_followed_as_a_magnet(http, indexer):
    source = await fetch_source(http, indexer + "/magnet?apikey=secret")
    assert source.magnet_uri == MAGNET


@pytest.mark.parametrize(
    ("path", "error", "words"),
    [
        ("/gone", ReleaseUnusable, "HTTP 404"),
        ("/html", ReleaseUnusable, "not a torrent file"),
        ("/loop", ReleaseUnusable, "redirects too many times"),
        ("/busy", PeerUnavailable, "HTTP 503"),
    ],
)
async def test_a_bad_torrent_url_says_whether_to_drop_the_release_or_wait(http, indexer, path, error, words):
    with pytest.raises(error) as caught:
        await fetch_source(http, f"{indexer}{path}?apikey=secret")
    assert words in caught.value.message
    assert "secret" not in caught.value.message


async def test_an_indexer_that_does_not_answer_is_waited_for(http):
    with pytest.raises(PeerUnavailable):
        await fetch_source(http, f"http://127.0.0.1:{free_port()}/file?apikey=secret")


def release(name: str, *, info_hash: str | None = None, magnet: bool = True) -> Release:
    return Release(
        name=name,
        indexer="Loopback",
        info_hash=info_hash,
        magnet_uri=f"magnet:?xt=urn:btih:{info_hash or 'cd' * 20}" if magnet else None,
    )


@pytest.mark.parametrize(
    ("offered", "blocked_hashes", "blocked_names", "chosen"),
    [
        ([release("A"), release("B")], set(), set(), "A"),
        ([release("A", info_hash="aa" * 20), release("B")], {"aa" * 20}, set(), "B"),
        ([release("Sintel.2010.1080p"), release("B")], set(), {"sintel.2010.1080p"}, "B"),
        ([release("A", magnet=False), release("B")], set(), set(), "B"),
        ([release("A", info_hash="AA" * 20)], {"aa" * 20}, set(), None),
        ([], set(), set(), None),
    ],
)
def test_pick_takes_the_best_release_not_blocklisted(offered, blocked_hashes, blocked_names, chosen):
    picked = pick(offered, blocked_hashes, blocked_names)
    assert (picked.name if picked else None) == chosen


def test_why_a_release_was_picked_is_said_in_words() -> None:
    def release(name: str, resolution: str, seeders: int, score: float) -> Release:
        parsed = ParsedRelease(resolution=resolution, source="BluRay", codec="x264")
        return Release(
            name=name,
            indexer="Demo",
            magnet_uri="magnet:?xt=urn:btih:" + "a" * 40,
            seeders=seeders,
            parsed=parsed,
            score=score,
        )

    best, next_best = release("A.1080p", "1080p", 42, 130.5), release("A.720p", "720p", 1, 90)
    assert why_picked(best, [best, next_best]) == (
        "the best of 2 accepted releases (1080p, BluRay, x264, 42 seeders, score 130.5)"
    )
    assert why_picked(next_best, [best, next_best]) == (
        "number 2 of 2 accepted releases (those above failed before or have no link) "
        "(720p, BluRay, x264, 1 seeder, score 90)"
    )
    assert why_picked(best, [best]).startswith("the only release accepted (1080p")
