"""The TMDB client against a loopback server speaking TMDB v3."""

import logging
import socket
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from catalog.errors import TitleNotFound, TmdbError, TmdbKeyRejected, TmdbRateLimited
from catalog.tmdb.client import TmdbClient

from niluflix.contracts.catalog import GetTitle, ListTitles, SearchTitles
from niluflix.contracts.common import ErrorCode
from niluflix.retry_after import retry_after_seconds
from niluflix.testing.net import free_port
from niluflix.testing.tmdb_server import TmdbMovie, TmdbServer


def client(http: httpx.AsyncClient, tmdb: TmdbServer, *, key: str | None = None, **kwargs) -> TmdbClient:
    return TmdbClient(http, base_url=tmdb.base_url, api_key=key or tmdb.api_key, **kwargs)


async def test_popular_with_a_v3_key(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    page = await client(http, tmdb).popular(ListTitles())

    assert [t.title for t in page.results] == ["Big Buck Bunny", "Sintel", "Tears of Steel"]
    assert (page.page, page.total_pages, page.total_results) == (1, 1, 3)
    bunny, sintel, steel = page.results
    assert (bunny.tmdb_id, bunny.year) == (10378, 2008)
    assert bunny.poster_url == "https://image.tmdb.org/t/p/w500/bbb.jpg"
    assert sintel.backdrop_url == "https://image.tmdb.org/t/p/w1280/sintel-wide.jpg"
    assert sintel.overview == "A girl searches for her dragon."
    assert sintel.vote_average == 7.1
    assert steel.year is None and steel.poster_url is None  # TMDB's "" date and null poster
    assert tmdb.requests[-1].auth == "api_key"


async def test_details_with_a_v4_token(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    sintel = await client(http, tmdb, key=tmdb.read_token).details(GetTitle(tmdb_id=45745))

    assert sintel.title == "Sintel"
    assert sintel.release_date == date(2010, 9, 27)
    assert (sintel.year, sintel.runtime, sintel.imdb_id) == (2010, 15, "tt1727587")
    assert sintel.genres == ["Animation", "Fantasy"]
    # The title itself is not an alternative; the others are, in TMDB's order.
    assert sintel.alternative_titles == ["Sintel: The Dragon Girl", "Durian Open Movie"]
    request = tmdb.requests[-1]
    assert request.auth == "bearer"
    assert request.params == {"append_to_response": "alternative_titles,external_ids"}


async def test_details_carry_the_original_language(http: httpx.AsyncClient) -> None:
    parasite = TmdbMovie(id=496243, title="Parasite", original_title="기생충", original_language="ko")
    with TmdbServer([parasite]) as tmdb:
        details = await client(http, tmdb).details(GetTitle(tmdb_id=496243))

    assert (details.original_title, details.original_language) == ("기생충", "ko")


async def test_trending_and_search(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    tmdb_client = client(http, tmdb)

    trending = await tmdb_client.trending(ListTitles())
    found = await tmdb_client.search(SearchTitles(query="  dragon girl "))

    assert [t.title for t in trending.results] == ["Tears of Steel", "Sintel", "Big Buck Bunny"]
    assert [t.title for t in found.results] == ["Sintel"]
    assert tmdb.requests[-1].params == {"query": "dragon girl", "page": "1", "include_adult": "false"}


async def test_a_wrong_key_is_reported_as_such(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    with pytest.raises(TmdbKeyRejected) as caught:
        await client(http, tmdb, key="not-the-key").popular(ListTitles())

    assert "TMDB rejected the API key" in caught.value.message
    assert caught.value.code is ErrorCode.UPSTREAM


async def test_an_unknown_movie_is_not_found(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    with pytest.raises(TitleNotFound) as caught:
        await client(http, tmdb).details(GetTitle(tmdb_id=999999))

    assert caught.value.code is ErrorCode.NOT_FOUND
    assert "999999" in caught.value.message


async def test_a_wrong_base_url_is_not_a_missing_title(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    wrong = TmdbClient(http, base_url=tmdb.base_url.removesuffix("/3") + "/4", api_key=tmdb.api_key)

    with pytest.raises(TmdbError, match="base URL"):
        await wrong.popular(ListTitles())


@pytest.mark.parametrize("retry_after", ["1", "HTTP-DATE"])
async def test_rate_limit_is_waited_out(http: httpx.AsyncClient, tmdb: TmdbServer, retry_after: str) -> None:
    if retry_after == "HTTP-DATE":
        retry_after = format_datetime(datetime.now(UTC) + timedelta(seconds=1), usegmt=True)
    tmdb.rate_limit_next(1, retry_after=retry_after)

    page = await client(http, tmdb).popular(ListTitles())

    assert page.results[0].title == "Big Buck Bunny"
    assert tmdb.count("/movie/popular") == 2


async def test_rate_limit_gives_up_after_three_tries(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    tmdb.rate_limit_next(5, retry_after="0")

    with pytest.raises(TmdbRateLimited) as caught:
        await client(http, tmdb).popular(ListTitles())

    assert caught.value.code is ErrorCode.UPSTREAM
    assert tmdb.count("/movie/popular") == 3


async def test_rate_limit_longer_than_a_request_may_wait(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    tmdb.rate_limit_next(1, retry_after="60")

    with pytest.raises(TmdbRateLimited, match="try again in 60 s"):
        await client(http, tmdb).popular(ListTitles())

    assert tmdb.count("/movie/popular") == 1  # no pointless wait, no second try


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<html>Bad gateway</html>", "unreadable"),
        ('{"page": 1, "results": [{"title": "no id"}], "total_pages": 1, "total_results": 1}', "unreadable"),
    ],
)
async def test_garbage_is_an_upstream_error(
    http: httpx.AsyncClient, tmdb: TmdbServer, body: str, reason: str
) -> None:
    tmdb.respond_next(200, body)

    with pytest.raises(TmdbError, match=reason) as caught:
        await client(http, tmdb).popular(ListTitles())

    assert caught.value.code is ErrorCode.UPSTREAM


async def test_server_error_carries_tmdbs_message(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    tmdb.respond_next(503, {"status_code": 9, "status_message": "Service offline.", "success": False})

    with pytest.raises(TmdbError, match=r"HTTP 503.*Service offline"):
        await client(http, tmdb).popular(ListTitles())


async def test_unreachable_tmdb_names_tmdb_and_never_the_key(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    key = "feedfacefeedfacefeedfacefeedface"
    nobody = TmdbClient(http, base_url=f"http://127.0.0.1:{free_port()}/3", api_key=key)

    with caplog.at_level(logging.DEBUG), pytest.raises(TmdbError) as caught:
        await nobody.details(GetTitle(tmdb_id=1))

    assert caught.value.message.startswith("TMDB cannot be reached")
    assert key not in caught.value.message
    assert key not in caplog.text
    assert "cannot be reached" in nobody.health().detail and not nobody.health().ok


async def test_timeout_is_an_upstream_error(http: httpx.AsyncClient) -> None:
    # A listening socket nobody accepts from: the connection hangs until the timeout.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(0)
        port = silent.getsockname()[1]
        slow = TmdbClient(http, base_url=f"http://127.0.0.1:{port}/3", api_key="k" * 32, timeout=0.3)
        with pytest.raises(TmdbError, match=r"did not answer within 0\.3 s"):
            await slow.popular(ListTitles())


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("", None),
        ("7", 7.0),
        ("0", 0.0),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # already past
        ("soon", None),
    ],
)
def test_retry_after(header: str | None, seconds: float) -> None:
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert retry_after_seconds(header, now=now) == seconds


async def test_a_mirror_password_and_an_echoed_key_never_show(
    http: httpx.AsyncClient, tmdb: TmdbServer
) -> None:
    # A TMDB mirror behind a password, in its base URL, answering with an error that repeats what it got.
    mirror = tmdb.base_url.replace("http://", "http://niluflix:mirror-pass-8800@", 1)
    said = f"Service offline for {tmdb.api_key} at {mirror}/movie/popular?api_key={tmdb.api_key}"
    tmdb.respond_next(503, {"status_code": 9, "status_message": said, "success": False})
    behind = TmdbClient(http, base_url=mirror, api_key=tmdb.api_key)

    with pytest.raises(TmdbError) as caught:
        await behind.popular(ListTitles())

    shown = f"{caught.value.message}\n{behind.health().detail}\n{behind.source_id}"
    assert "mirror-pass-8800" not in shown and tmdb.api_key not in shown
    assert caught.value.message.startswith(
        "TMDB answered HTTP 503 for /movie/popular: Service offline for ********"
    )
    assert behind.health().detail.startswith("TMDB at http://niluflix:********@127.0.0.1:")
