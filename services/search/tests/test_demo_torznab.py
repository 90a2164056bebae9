"""The demo Torznab server speaks the format the way Jackett and Prowlarr do (the offline demo relies on it)."""

import xml.etree.ElementTree as ET

import httpx
import pytest

from niluflix.demo.torznab import DEFAULT_API_KEY, TORZNAB_NS, TorznabItem

KEY = {"apikey": DEFAULT_API_KEY}


def titles(response: httpx.Response) -> list[str]:
    return [i.findtext("title") for i in ET.fromstring(response.content).iter("item")]


@pytest.fixture
def catalog(make_item) -> list[TorznabItem]:
    return [
        make_item("Sintel.2010.1080p.BluRay.x264-DEMO", imdb_id="tt1727587", tmdb_id=45745),
        make_item("Big.Buck.Bunny.2008.720p.BluRay.x264-DEMO", imdb_id="1254207"),
        make_item("The.Office.US.S03E05.720p.WEB-DL-NTb", category=5040),
    ]


async def test_caps_declare_movie_search_by_q_and_imdbid(torznab, http) -> None:
    caps = ET.fromstring((await http.get(torznab().url, params={"t": "caps", **KEY})).content)
    searching = {node.tag: node.attrib for node in caps.find("searching")}
    assert searching["movie-search"] == {"available": "yes", "supportedParams": "q,imdbid"}
    assert searching["search"] == {"available": "yes", "supportedParams": "q"}


async def test_items_carry_torznab_attributes(torznab, http, catalog) -> None:
    response = await http.get(torznab(catalog).url, params={"t": "movie", "imdbid": "tt1727587", **KEY})
    assert response.headers["content-type"].startswith("application/rss+xml")
    [item] = ET.fromstring(response.content).iter("item")
    attrs = {a.get("name"): a.get("value") for a in item.iter(f"{{{TORZNAB_NS}}}attr")}
    assert attrs["imdbid"] == "tt1727587" and attrs["imdb"] == "1727587" and attrs["tmdbid"] == "45745"
    assert attrs["seeders"] == "10" and attrs["peers"] == "13"
    assert attrs["magneturl"].startswith("magnet:?xt=urn:btih:") and len(attrs["infohash"]) == 40
    assert item.find("enclosure").get("type") == "application/x-bittorrent"


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"t": "movie", "imdbid": "1727587"}, ["Sintel.2010.1080p.BluRay.x264-DEMO"]),
        ({"t": "movie", "imdbid": "tt1254207"}, ["Big.Buck.Bunny.2008.720p.BluRay.x264-DEMO"]),
        ({"t": "movie", "q": "buck bunny 2008"}, ["Big.Buck.Bunny.2008.720p.BluRay.x264-DEMO"]),
        ({"t": "movie", "q": "bunny 2009"}, []),
        ({"t": "movie"}, ["Sintel.2010.1080p.BluRay.x264-DEMO", "Big.Buck.Bunny.2008.720p.BluRay.x264-DEMO"]),
        ({"t": "search", "q": "office"}, ["The.Office.US.S03E05.720p.WEB-DL-NTb"]),
        ({"t": "search", "q": "office", "cat": "2000"}, []),
        ({"t": "search", "cat": "5000", "limit": "1"}, ["The.Office.US.S03E05.720p.WEB-DL-NTb"]),
        ({"t": "search", "offset": "2"}, ["The.Office.US.S03E05.720p.WEB-DL-NTb"]),
    ],
)
async def test_searches_filter_by_words_ids_and_categories(torznab, http, catalog, params, found) -> None:
    assert titles(await http.get(torznab(catalog).url, params={**params, **KEY})) == found


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"t": "caps", "apikey": "wrong"}, 401, "100"),
        ({"t": "search"}, 401, "100"),
        ({"apikey": DEFAULT_API_KEY}, 400, "200"),
        ({"t": "movie", "imdbid": "tt-x", "apikey": DEFAULT_API_KEY}, 400, "201"),
        ({"t": "music", "apikey": DEFAULT_API_KEY}, 400, "202"),
    ],
)
async def test_errors_are_torznab_error_documents(torznab, http, params, status, code) -> None:
    response = await http.get(torznab().url, params=params)
    assert response.status_code == status
    assert ET.fromstring(response.content).tag == "error"
    assert ET.fromstring(response.content).get("code") == code


async def test_items_added_while_running_are_found(torznab, http, make_item) -> None:
    server = torznab()
    assert titles(await http.get(server.url, params={"t": "search", **KEY})) == []
    server.add(make_item("Cosmos.Laundromat.2015.1080p.WEB-DL-DEMO"))
    assert titles(await http.get(server.url, params={"t": "search", "q": "cosmos", **KEY})) == [
        "Cosmos.Laundromat.2015.1080p.WEB-DL-DEMO"
    ]


async def test_torrent_files_need_the_api_key(torznab, http) -> None:
    server = torznab([TorznabItem("Sintel.2010.1080p-DEMO", size=4, torrent=b"d1:ai1ee")])
    assert (await http.get(server.download_url(0))).content == b"d1:ai1ee"
    assert (await http.get(server.download_url(0).replace(DEFAULT_API_KEY, "wrong"))).status_code == 401


def test_an_item_needs_a_way_to_download_it() -> None:
    with pytest.raises(ValueError, match="needs a magnet URI or .torrent bytes"):
        TorznabItem("Sintel.2010.1080p-DEMO", size=1)
