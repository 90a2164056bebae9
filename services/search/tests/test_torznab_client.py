"""The Torznab client against real HTTP servers on loopback: the demo indexer and deliberately broken ones."""

from datetime import date

import pytest
from pytest_httpserver import HTTPServer
from search.errors import FeedTooLarge, IndexerHttpError, IndexerUnreachable, MalformedFeed, TorznabError
from search.indexers.base import SearchQuery
from werkzeug import Response

from niluflix.contracts.common import MediaType
from niluflix.demo.torznab import TorznabItem
from niluflix.testing.net import free_port

SINTEL = SearchQuery(title="Sintel", year=2010, imdb_id="tt1727587")


@pytest.fixture
def sintel_items(make_item) -> list[TorznabItem]:
    return [
        make_item("Sintel.2010.1080p.BluRay.x264-DEMO", imdb_id="tt1727587", tmdb_id=45745),
        make_item("Sintel.2010.720p.WEB-DL.AAC2.0.H.264-DEMO"),  # untagged: only a title search finds it
        make_item("Big.Buck.Bunny.2008.1080p.BluRay.x264-DEMO", imdb_id="tt1254207"),
    ]


async def test_searches_by_imdb_id_in_digits_when_caps_allow(torznab, indexer, sintel_items) -> None:
    server = torznab(sintel_items)
    releases = await indexer(server.url).search(SINTEL)
    assert [r.name for r in releases] == ["Sintel.2010.1080p.BluRay.x264-DEMO"]
    assert server.queries[-1] == {"t": "movie", "imdbid": "1727587", "cat": "2000"}


async def test_an_id_search_that_finds_nothing_retries_by_title_and_year(torznab, indexer, make_item) -> None:
    server = torznab([make_item("Sintel.2010.720p.WEB-DL-DEMO")])
    releases = await indexer(server.url).search(SINTEL)
    assert [r.name for r in releases] == ["Sintel.2010.720p.WEB-DL-DEMO"]
    assert server.queries[-1] == {"t": "movie", "q": "Sintel 2010", "cat": "2000"}


async def test_without_imdbid_support_searches_movies_by_title(torznab, indexer, sintel_items) -> None:
    server = torznab(sintel_items, imdb_search=False)
    releases = await indexer(server.url).search(SINTEL)
    assert {r.name for r in releases} == {
        "Sintel.2010.1080p.BluRay.x264-DEMO",
        "Sintel.2010.720p.WEB-DL.AAC2.0.H.264-DEMO",
    }
    assert [q["t"] for q in server.queries] == ["caps", "movie"]
    assert "imdbid" not in server.queries[-1]


async def test_without_movie_search_uses_plain_search(torznab, indexer, sintel_items) -> None:
    server = torznab(sintel_items, movie_search=False)
    releases = await indexer(server.url).search(SINTEL)
    assert len(releases) == 2
    assert server.queries[-1] == {"t": "search", "q": "Sintel 2010", "cat": "2000"}


async def test_titles_are_searched_as_words(torznab, indexer, make_item) -> None:
    server = torznab([make_item("Mr.and.Mrs.Smith.2005.1080p.BluRay-DEMO")], imdb_search=False)
    releases = await indexer(server.url).search(SearchQuery(title="Mr. & Mrs. Smith", year=2005))
    assert [r.name for r in releases] == ["Mr.and.Mrs.Smith.2005.1080p.BluRay-DEMO"]
    assert server.queries[-1]["q"] == "Mr and Mrs Smith 2005"


async def test_tv_searches_name_the_episode(torznab, indexer, make_item) -> None:
    server = torznab([make_item("The.Office.US.S03E05.720p.WEB-DL-NTb", category=5040)])
    query = SearchQuery(title="The Office US", media_type=MediaType.TV, season=3, episodes=(5,))
    releases = await indexer(server.url).search(query)
    assert [r.name for r in releases] == ["The.Office.US.S03E05.720p.WEB-DL-NTb"]
    assert server.queries[-1] == {"t": "search", "q": "The Office US S03E05", "cat": "5000"}


async def test_caps_are_read_once(torznab, indexer, sintel_items) -> None:
    server = torznab(sintel_items)
    client = indexer(server.url)
    await client.search(SINTEL)
    await client.search(SearchQuery(title="Big Buck Bunny", year=2008))
    assert [q["t"] for q in server.queries].count("caps") == 1


async def test_a_torrent_enclosure_downloads_the_torrent_file(torznab, indexer, http) -> None:
    torrent = (
        b"d8:announce0:4:infod6:lengthi1e4:name6:Sintel12:piece lengthi16384e6:pieces20:" + b"\0" * 20 + b"ee"
    )
    server = torznab(
        [TorznabItem("Sintel.2010.1080p.BluRay.x264-DEMO", size=len(torrent), seeders=3, torrent=torrent)]
    )
    [release] = await indexer(server.url).search(SearchQuery(title="Sintel", year=2010))
    assert release.magnet_uri is None
    response = await http.get(release.torrent_url)
    assert response.headers["content-type"] == "application/x-bittorrent"
    assert response.content == torrent


async def test_a_wrong_api_key_is_the_indexers_own_words(torznab, indexer, sintel_items) -> None:
    server = torznab(sintel_items)
    with pytest.raises(TorznabError) as caught:
        await indexer(server.url, api_key="wrong").search(SINTEL)
    assert caught.value.torznab_code == 100
    assert caught.value.message == "Invalid API Key (Torznab error 100)"


async def test_an_html_page_is_not_a_feed(httpserver: HTTPServer, indexer) -> None:
    httpserver.expect_request("/api").respond_with_data(
        b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in</body></html>",
        content_type="text/html; charset=utf-8",
    )
    with pytest.raises(MalformedFeed, match="an HTML page, not a Torznab feed"):
        await indexer(httpserver.url_for("/api")).search(SINTEL)


async def test_an_http_error_page_gives_the_status(httpserver: HTTPServer, indexer) -> None:
    # werkzeug's own reason phrases are in capitals; nginx's, which an indexer's proxy sends, are not
    page = Response(
        b"<html><body><h1>502 Bad Gateway</h1></body></html>", "502 Bad Gateway", content_type="text/html"
    )
    httpserver.expect_request("/api").respond_with_response(page)
    with pytest.raises(IndexerHttpError, match="HTTP 502 Bad Gateway"):
        await indexer(httpserver.url_for("/api")).search(SINTEL)


async def test_an_error_document_with_an_error_status_keeps_its_words(
    httpserver: HTTPServer, indexer
) -> None:
    httpserver.expect_request("/api").respond_with_data(
        b'<?xml version="1.0"?>\n<error code="429" description="Indexer Query Limit reached." />',
        status=429,
        content_type="application/rss+xml",
    )
    with pytest.raises(TorznabError, match="Indexer Query Limit reached"):
        await indexer(httpserver.url_for("/api")).search(SINTEL)


@pytest.mark.parametrize("send_length", [True, False], ids=["declared", "streamed"])
async def test_an_oversized_answer_is_refused(httpserver: HTTPServer, indexer, send_length: bool) -> None:
    body = b"<caps>" + b" " * (256 * 1024) + b"</caps>"
    # A body from a generator has no Content-Length: the server sends it chunked.
    answer = Response(body if send_length else iter([body]), content_type="application/rss+xml")
    httpserver.expect_request("/api").respond_with_response(answer)
    with pytest.raises(FeedTooLarge, match="larger than 0.0625 MiB"):
        await indexer(httpserver.url_for("/api"), max_feed_bytes=64 * 1024).caps()


async def test_a_refused_connection_says_so_without_the_api_key(indexer) -> None:
    url = f"http://127.0.0.1:{free_port()}/api"
    with pytest.raises(IndexerUnreachable, match="cannot reach the indexer") as caught:
        await indexer(url, api_key="s3cret-key").search(SINTEL)
    assert "s3cret-key" not in caught.value.message
    assert caught.value.message == (
        "cannot reach the indexer: nothing answers at that address and port (connection refused)"
    )


async def test_a_host_name_that_does_not_resolve_says_so(indexer) -> None:
    # `.invalid` never resolves (RFC 2606), with or without internet
    with pytest.raises(IndexerUnreachable) as caught:
        await indexer("http://indexer.invalid/api").search(SINTEL)
    assert caught.value.message == (
        "cannot reach the indexer: its host name does not resolve (a typo, or no internet?)"
    )


async def test_the_api_key_goes_as_a_parameter_beside_the_urls_own(httpserver: HTTPServer, indexer) -> None:
    httpserver.expect_request("/api").respond_with_data(
        b'<caps><searching><search available="yes" supportedParams="q"/></searching></caps>'
    )
    await indexer(httpserver.url_for("/api") + "?passkey=p1", api_key="k1").caps()
    query = httpserver.log[-1][0].args
    assert (query["passkey"], query["apikey"], query["t"]) == ("p1", "k1", "caps")


FARGO = SearchQuery(
    title="Fargo", media_type=MediaType.TV, imdb_id="tt2802850", tvdb_id=269613, season=1, episodes=(2,)
)


async def test_a_tv_episode_is_asked_for_by_the_ids_the_caps_allow_and_the_tags_are_read(
    torznab, indexer, make_item
) -> None:
    server = torznab(
        [
            make_item(
                "Fargo.S01E02.720p.HDTV.x264-KILLERS", category=5040, tvdb_id=269613, season=1, episode=2
            ),
            make_item(
                "Fargo.S01E03.720p.HDTV.x264-KILLERS", category=5040, tvdb_id=269613, season=1, episode=3
            ),
            make_item(
                "Legion.S01E02.720p.HDTV.x264-KILLERS", category=5040, tvdb_id=320724, season=1, episode=2
            ),
        ],
        tv_search="q,season,ep,tvdbid",
    )
    [found] = await indexer(server.url).search(FARGO)
    assert server.queries[-1] == {
        "t": "tvsearch",
        "tvdbid": "269613",
        "season": "1",
        "ep": "2",
        "cat": "5000",
    }
    assert (found.name, found.tvdb_id, found.season, found.episode) == (
        "Fargo.S01E02.720p.HDTV.x264-KILLERS",
        269613,
        1,
        2,
    )


async def test_an_episode_nobody_offers_alone_is_found_in_its_season_pack(
    torznab, indexer, make_item
) -> None:
    server = torznab(
        [make_item("Fargo.S01.1080p.BluRay.x264-ROVERS", category=5040, imdb_id="tt2802850")],
        tv_search="q,season,ep,imdbid",
    )
    releases = await indexer(server.url).search(FARGO)
    assert [r.name for r in releases] == ["Fargo.S01.1080p.BluRay.x264-ROVERS"]
    assert [{k: v for k, v in q.items() if k != "cat"} for q in server.queries[1:]] == [
        {"t": "tvsearch", "imdbid": "2802850", "season": "1", "ep": "2"},
        {"t": "tvsearch", "q": "Fargo", "season": "1", "ep": "2"},
        {"t": "tvsearch", "imdbid": "2802850", "season": "1"},
    ]


async def test_tv_search_by_words_alone_names_the_episode(torznab, indexer, make_item) -> None:
    server = torznab([make_item("Fargo.S01E02.720p.HDTV.x264-KILLERS", category=5040)], tv_search="q")
    releases = await indexer(server.url).search(FARGO)
    assert [r.name for r in releases] == ["Fargo.S01E02.720p.HDTV.x264-KILLERS"]
    assert server.queries[-1] == {"t": "tvsearch", "q": "Fargo S01E02", "cat": "5000"}


async def test_a_daily_show_is_asked_for_by_its_air_date(torznab, indexer, make_item) -> None:
    server = torznab(
        [
            make_item("The.Daily.Show.2023.10.17.720p.WEB.h264-EDITH", category=5040),
            make_item("The.Daily.Show.2023.10.18.720p.WEB.h264-EDITH", category=5040),
        ],
        tv_search="q,season,ep",
    )
    query = SearchQuery(
        title="The Daily Show", media_type=MediaType.TV, season=2023, air_date=date(2023, 10, 17)
    )
    releases = await indexer(server.url).search(query)
    assert [r.name for r in releases] == ["The.Daily.Show.2023.10.17.720p.WEB.h264-EDITH"]
    assert server.queries[-1] == {
        "t": "tvsearch",
        "q": "The Daily Show",
        "season": "2023",
        "ep": "10/17",
        "cat": "5000",
    }
