"""The offline demo's shows: episode releases and season packs, seeded by the demo swarm and found on its
Torznab indexer by `tvsearch` as Jackett and Prowlarr answer it."""

import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import libtorrent as lt
import pytest

from niluflix.demo.show_releases import DEMO_SHOWS, show_items
from niluflix.demo.swarm import Swarm
from niluflix.demo.torznab import DEFAULT_API_KEY, DEMO_TV_SEARCH, TORZNAB_NS, TorznabItem, TorznabServer


@pytest.fixture(scope="module")
def items(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[TorznabItem]]:
    with Swarm(tmp_path_factory.mktemp("swarm")) as swarm:
        yield show_items(swarm, threading.Event())


@pytest.fixture(scope="module")
def indexer(items: list[TorznabItem]) -> Iterator[TorznabServer]:
    with TorznabServer(items, tv_search=DEMO_TV_SEARCH) as server:
        yield server


def search(indexer: TorznabServer, **params: str) -> list[ET.Element]:
    response = httpx.get(indexer.url, params={"apikey": DEFAULT_API_KEY, **params}, timeout=10)
    assert response.status_code == 200, response.text
    return list(ET.fromstring(response.content).iter("item"))


def attrs(item: ET.Element) -> dict[str, str]:
    return {a.get("name"): a.get("value") for a in item.iter(f"{{{TORZNAB_NS}}}attr")}


def test_every_episode_has_a_release_and_every_season_a_pack(items: list[TorznabItem]) -> None:
    names = {i.title for i in items}
    episodes = sum(n for show in DEMO_SHOWS for n in show.seasons.values())
    packs = sum(len(show.seasons) for show in DEMO_SHOWS)

    assert len(items) == episodes + packs
    assert "Caminandes.S01E02.720p.WEB.x264-NILU" in names
    assert "Blender.Studio.Shorts.S02E01.720p.WEB.x264-NILU" in names
    assert "Caminandes.S01.1080p.WEB.x264-NILU" in names
    assert all(i.category == 5040 and i.torrent and i.magnet_uri for i in items)


def test_a_season_pack_holds_each_episode_named_by_it_and_files_to_skip(items: list[TorznabItem]) -> None:
    [pack] = [i for i in items if i.title == "Caminandes.S01.1080p.WEB.x264-NILU"]
    assert pack.torrent is not None
    info = lt.bdecode(pack.torrent)[b"info"]
    folder = info[b"name"].decode()
    files = sorted("/".join([folder, *(p.decode() for p in f[b"path"])]) for f in info[b"files"])

    assert folder == "Caminandes.S01.1080p.WEB.x264-NILU"
    assert files == [
        f"{folder}/Caminandes.S01.1080p.WEB.x264-NILU.nfo",
        f"{folder}/Caminandes.S01E01.1080p.WEB.x264-NILU.mkv",
        f"{folder}/Caminandes.S01E02.1080p.WEB.x264-NILU.mkv",
        f"{folder}/Caminandes.S01E03.1080p.WEB.x264-NILU.mkv",
        f"{folder}/Sample/Caminandes.S01.1080p.WEB.x264-NILU.sample.mkv",
    ]


def test_caps_declare_tv_search(indexer: TorznabServer) -> None:
    caps = ET.fromstring(httpx.get(indexer.url, params={"t": "caps", "apikey": DEFAULT_API_KEY}).content)
    tv = caps.find("searching/tv-search")

    assert tv is not None and tv.attrib == {
        "available": "yes",
        "supportedParams": "q,season,ep,tvdbid,imdbid",
    }


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"q": "caminandes", "season": "1", "ep": "2"}, ["Caminandes.S01E02.720p.WEB.x264-NILU"]),
        (
            {"q": "caminandes", "season": "1"},
            [
                "Caminandes.S01E01.720p.WEB.x264-NILU",
                "Caminandes.S01E02.720p.WEB.x264-NILU",
                "Caminandes.S01E03.720p.WEB.x264-NILU",
                "Caminandes.S01.1080p.WEB.x264-NILU",
            ],
        ),
        (
            {"q": "blender studio shorts", "season": "2"},
            [
                "Blender.Studio.Shorts.S02E01.720p.WEB.x264-NILU",
                "Blender.Studio.Shorts.S02E02.720p.WEB.x264-NILU",
                "Blender.Studio.Shorts.S02.1080p.WEB.x264-NILU",
            ],
        ),
        ({"q": "caminandes", "season": "2"}, []),
        ({"q": "sintel"}, []),
    ],
)
def test_tvsearch_by_season_and_episode(indexer: TorznabServer, params: dict, found: list[str]) -> None:
    assert [i.findtext("title") for i in search(indexer, t="tvsearch", **params)] == found


def test_items_name_their_season_and_episode(indexer: TorznabServer) -> None:
    [episode] = search(indexer, t="tvsearch", q="caminandes", season="1", ep="3")
    pack = next(
        i for i in search(indexer, t="tvsearch", q="caminandes", season="1") if "S01." in i.findtext("title")
    )

    assert (attrs(episode)["season"], attrs(episode)["episode"], attrs(episode)["category"]) == (
        "1",
        "3",
        "5040",
    )
    assert attrs(pack)["season"] == "1" and "episode" not in attrs(pack)


def test_bad_season_or_episode_is_a_torznab_error(indexer: TorznabServer) -> None:
    response = httpx.get(indexer.url, params={"t": "tvsearch", "season": "one", "apikey": DEFAULT_API_KEY})

    assert response.status_code == 400
    assert ET.fromstring(response.content).get("code") == "201"


def test_tvsearch_by_tvdbid() -> None:
    magnet = "magnet:?xt=urn:btih:" + "a" * 40
    with TorznabServer(
        [
            TorznabItem(
                "Pioneer.One.S01E01.720p.WEB.x264-NILU",
                size=1,
                magnet_uri=magnet,
                tvdb_id=170551,
                category=5040,
            ),
            TorznabItem(
                "Other.Show.S01E01.720p.WEB.x264-NILU", size=1, magnet_uri=magnet, tvdb_id=1, category=5040
            ),
        ],
        tv_search=DEMO_TV_SEARCH,
    ) as server:
        found = search(server, t="tvsearch", tvdbid="170551", season="1", ep="1")

    assert [i.findtext("title") for i in found] == ["Pioneer.One.S01E01.720p.WEB.x264-NILU"]
    assert attrs(found[0])["tvdbid"] == "170551"
