"""The built-in providers (YTS, EZTV, The Pirate Bay) against loopback servers speaking each site's real JSON."""

from collections.abc import Callable, Iterator
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from search.errors import FeedTooLarge, IndexerHttpError, IndexerRateLimited, MalformedFeed
from search.finder import ReleaseFinder
from search.indexers.base import SearchQuery
from search.indexers.pool import IndexerPool
from search.indexers.providers import EztvProvider, TpbProvider, YtsProvider

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import FindReleases
from niluflix.contracts.settings import ProvidersSettings
from niluflix.testing.providers import (
    EztvEpisode,
    EztvServer,
    TpbServer,
    TpbTorrent,
    YtsMovie,
    YtsServer,
    YtsTorrent,
    fake_hash,
)

SINTEL = SearchQuery(title="Sintel", year=2010, imdb_id="tt1727587")
FLASH = SearchQuery(title="The Flash", media_type=MediaType.TV, imdb_id="tt3107288", season=7, episodes=(18,))
MAX = 1 << 20


@pytest.fixture
def serve() -> Iterator[Callable]:
    started = []

    def start(server):
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


def magnet_params(uri: str) -> dict[str, list[str]]:
    assert uri.startswith("magnet:?")
    return parse_qs(urlsplit(uri).query)


async def test_yts_gives_a_release_per_quality_with_a_magnet(serve, http: httpx.AsyncClient) -> None:
    yts = serve(
        YtsServer(
            [
                YtsMovie(
                    "Sintel",
                    2010,
                    "tt1727587",
                    torrents=[
                        YtsTorrent("720p", "bluray", seeds=80, size_bytes=500_000_000),
                        YtsTorrent("1080p", "web", seeds=40, audio_channels="5.1", video_codec="x265"),
                    ],
                ),
                YtsMovie("Sintel Returns", 2012, "tt9999999", torrents=[YtsTorrent("1080p")]),
            ]
        )
    )
    releases = await YtsProvider(yts.base_url, http, max_bytes=MAX).search(SINTEL)

    assert [(r.name, r.seeders, r.size, r.imdb_id) for r in releases] == [
        ("Sintel (2010) [720p] [BluRay] [x264] [YTS.MX]", 80, 500_000_000, "tt1727587"),
        ("Sintel (2010) [1080p] [WEBRip] [x265] [5.1] [YTS.MX]", 40, 1_600_000_000, "tt1727587"),
    ]
    first = releases[0]
    assert first.info_hash == fake_hash("yts", "tt1727587", "720p", "bluray")  # lower-cased from YTS's upper
    params = magnet_params(first.magnet_uri)
    assert params["xt"] == [f"urn:btih:{first.info_hash}"]
    assert params["dn"] == [first.name]
    assert "udp://tracker.opentrackr.org:1337/announce" in params["tr"]
    assert first.torrent_url.endswith(f"/torrent/download/{first.info_hash.upper()}")
    assert yts.queries == [("/api/v2/list_movies.json", {"query_term": "tt1727587", "limit": "50"})]


async def test_yts_searches_by_title_without_an_imdb_id_and_finds_nothing_for_tv(serve, http) -> None:
    yts = serve(YtsServer([YtsMovie("Sintel", 2010, "tt1727587", torrents=[YtsTorrent("1080p")])]))
    provider = YtsProvider(yts.base_url, http, max_bytes=MAX)

    found = await provider.search(SearchQuery(title="Sintel", year=2010))
    missing = await provider.search(SearchQuery(title="Nothing Like It"))  # YTS leaves `movies` out
    tv = await provider.search(FLASH)

    assert [r.name for r in found] == ["Sintel (2010) [1080p] [BluRay] [x264] [YTS.MX]"]
    assert (missing, tv) == ([], [])
    assert [q for _, q in yts.queries] == [
        {"query_term": "Sintel", "limit": "50"},
        {"query_term": "Nothing Like It", "limit": "50"},
    ]


async def test_eztv_finds_the_episode_by_the_shows_imdb_id(serve, http) -> None:
    eztv = serve(
        EztvServer(
            [
                EztvEpisode("The Flash S07E18 720p HDTV x264-SYNCOPY EZTV", "3107288", 7, 18, seeds=12),
                EztvEpisode("The Flash S07E18 1080p WEB H264-GGEZ EZTV", "3107288", 7, 18, seeds=30),
                EztvEpisode("The Flash S07E17 720p HDTV x264-SYNCOPY EZTV", "3107288", 7, 17),
                EztvEpisode("Other Show S07E18 720p HDTV x264-LOL EZTV", "1234567", 7, 18),
            ]
        )
    )
    provider = EztvProvider(eztv.base_url, http, max_bytes=MAX)

    releases = await provider.search(FLASH)

    assert [(r.name, r.seeders, r.size, r.imdb_id) for r in releases] == [
        ("The Flash S07E18 720p HDTV x264-SYNCOPY", 12, 700_000_000, "tt3107288"),
        ("The Flash S07E18 1080p WEB H264-GGEZ", 30, 700_000_000, "tt3107288"),
    ]
    assert releases[0].info_hash == fake_hash("eztv", "The Flash S07E18 720p HDTV x264-SYNCOPY EZTV")
    assert releases[0].magnet_uri.startswith(f"magnet:?xt=urn:btih:{releases[0].info_hash}")
    assert eztv.queries == [("/api/get-torrents", {"imdb_id": "3107288", "limit": "100", "page": "1"})]
    # Movies, and shows without an IMDb id, are not in EZTV's API: no request at all.
    assert await provider.search(SINTEL) == []
    assert await provider.search(SearchQuery(title="The Flash", media_type=MediaType.TV)) == []
    assert len(eztv.queries) == 1


async def test_eztv_keeps_the_seasons_packs_and_the_wanted_episodes_with_their_numbers(serve, http) -> None:
    eztv = serve(
        EztvServer(
            [
                EztvEpisode(
                    "The Flash S07 1080p WEB H264-GGEZ EZTV", "3107288", 7, 0
                ),  # EZTV's pack: episode 0
                EztvEpisode("The Flash S07E18 720p HDTV x264-SYNCOPY EZTV", "3107288", 7, 18),
                EztvEpisode("The Flash S07E19 720p HDTV x264-SYNCOPY EZTV", "3107288", 7, 19),
                EztvEpisode("The Flash S07E20 720p HDTV x264-SYNCOPY EZTV", "3107288", 7, 20),
                EztvEpisode("The Flash S06 1080p WEB H264-GGEZ EZTV", "3107288", 6, 0),
            ]
        )
    )
    provider = EztvProvider(eztv.base_url, http, max_bytes=MAX)
    releases = await provider.search(replace(FLASH, episodes=(18, 19)))
    assert [(r.name, r.season, r.episode) for r in releases] == [
        ("The Flash S07 1080p WEB H264-GGEZ", 7, None),
        ("The Flash S07E18 720p HDTV x264-SYNCOPY", 7, 18),
        ("The Flash S07E19 720p HDTV x264-SYNCOPY", 7, 19),
    ]


async def test_eztv_without_torrents_for_a_show_is_an_empty_answer(serve, http) -> None:
    eztv = serve(EztvServer([]))
    assert await EztvProvider(eztv.base_url, http, max_bytes=MAX).search(FLASH) == []


async def test_tpb_asks_by_imdb_id_then_by_title_and_keeps_video_only(serve, http) -> None:
    tpb = serve(
        TpbServer(
            [
                TpbTorrent("Sintel.2010.1080p.BluRay.x264-GRP", category=207, seeders=55, size=1_500_000_000),
                TpbTorrent("Sintel 2010 Soundtrack FLAC", category=101),
                TpbTorrent("Sintel.2010.S01E01.720p.HDTV-X", category=205),
                TpbTorrent("Sintel (2010) 720p", category=201, seeders=9, imdb="tt1727587"),
            ]
        )
    )
    provider = TpbProvider(tpb.base_url, http, max_bytes=MAX)

    by_id = await provider.search(SINTEL)
    by_title = await provider.search(SearchQuery(title="Sintel", year=2010, imdb_id="tt0000042"))

    assert [(r.name, r.seeders, r.imdb_id) for r in by_id] == [("Sintel (2010) 720p", 9, "tt1727587")]
    assert [(r.name, r.seeders, r.size, r.leechers) for r in by_title] == [
        ("Sintel.2010.1080p.BluRay.x264-GRP", 55, 1_500_000_000, 4),
        ("Sintel (2010) 720p", 9, 2_000_000_000, 4),
    ]
    hit = by_title[0]
    assert hit.info_hash == fake_hash("tpb", hit.name)
    params = magnet_params(hit.magnet_uri)
    assert params["xt"] == [f"urn:btih:{hit.info_hash}"] and params["dn"] == [hit.name]
    assert [q for _, q in tpb.queries] == [
        {"q": "tt1727587", "cat": "200"},
        {"q": "tt0000042", "cat": "200"},  # apibay's "No results returned" item, then by words
        {"q": "Sintel 2010", "cat": "200"},
    ]


async def test_tpb_tv_search_uses_season_and_episode(serve, http) -> None:
    tpb = serve(
        TpbServer(
            [
                TpbTorrent("The.Flash.2014.S07E18.720p.HDTV.x264-SYNCOPY", category=208),
                TpbTorrent(
                    "The.Flash.2014.S07E18.720p.HDTV.x264-SYNCOPY.mp4", category=207
                ),  # filed as movie
            ]
        )
    )
    releases = await TpbProvider(tpb.base_url, http, max_bytes=MAX).search(FLASH)
    assert [r.name for r in releases] == ["The.Flash.2014.S07E18.720p.HDTV.x264-SYNCOPY"]
    assert tpb.queries[0][1] == {"q": "The Flash S07E18", "cat": "200"}


@pytest.mark.parametrize("kind", ["yts", "eztv", "tpb"])
async def test_a_provider_that_answers_garbage_says_so(serve, http, kind: str) -> None:
    server, provider_type = {"yts": (YtsServer, YtsProvider), "eztv": (EztvServer, EztvProvider)}.get(
        kind, (TpbServer, TpbProvider)
    )
    site = serve(server())
    provider = provider_type(site.base_url, http, max_bytes=MAX)
    query = FLASH if kind == "eztv" else SINTEL

    site.trouble.body = b"<!doctype html><html><body>Just a moment...</body></html>"
    with pytest.raises(MalformedFeed, match="an HTML page, not the API's JSON"):
        await provider.search(query)

    site.trouble.body = b'{"unexpected": true}' if kind != "eztv" else b'{"torrents": [{"nope": 1}]}'
    with pytest.raises(MalformedFeed, match=f"not in the {provider.name} API's shape"):
        await provider.search(query)

    site.trouble.body, site.trouble.status = None, 502
    with pytest.raises(IndexerHttpError, match="HTTP 502"):
        await provider.search(query)


async def test_an_oversized_answer_is_refused(serve, http) -> None:
    tpb = serve(TpbServer())
    tpb.trouble.body = b"[" + b" " * (200 * 1024) + b"]"
    with pytest.raises(FeedTooLarge, match="larger than 0.0625 MiB"):
        await TpbProvider(tpb.base_url, http, max_bytes=64 * 1024).search(SINTEL)


async def test_a_rate_limited_provider_reports_how_long_to_wait(serve, http) -> None:
    yts = serve(YtsServer([YtsMovie("Sintel", 2010, "tt1727587", torrents=[YtsTorrent("1080p")])]))
    yts.trouble.rate_limit, yts.trouble.retry_after = 1, "90"
    provider = YtsProvider(yts.base_url, http, max_bytes=MAX)

    with pytest.raises(IndexerRateLimited, match="asked to wait 90 s") as caught:
        await provider.search(SINTEL)
    assert caught.value.retry_after == 90
    assert len(await provider.search(SINTEL)) == 1  # the server lets us in again


async def test_switched_on_providers_join_the_search_and_off_ones_do_not(serve, http) -> None:
    yts = serve(
        YtsServer([YtsMovie("Sintel", 2010, "tt1727587", torrents=[YtsTorrent("1080p", "bluray", seeds=70)])])
    )
    tpb = serve(TpbServer([TpbTorrent("Sintel.2010.720p.BluRay.x264-GRP", imdb="tt1727587", seeders=20)]))
    eztv = serve(EztvServer())
    pool = IndexerPool(http, timeout=2, max_feed_bytes=MAX)
    providers = ProvidersSettings.model_validate(
        {
            "yts": {"enabled": True, "base_url": yts.base_url},
            "tpb": {"enabled": True, "base_url": tpb.base_url},
            "eztv": {"enabled": False, "base_url": eztv.base_url},
        }
    )
    pool.configure([], providers)

    reply = await ReleaseFinder(pool).find(
        FindReleases(tmdb_id=45745, title="Sintel", year=2010, imdb_id="tt1727587")
    )

    assert {(r.indexer, r.ok, r.count) for r in reply.indexers} == {
        ("YTS", True, 1),
        ("The Pirate Bay", True, 1),
    }
    assert {(r.indexer, r.name) for r in reply.releases} == {
        ("YTS", "Sintel (2010) [1080p] [BluRay] [x264] [YTS.MX]"),
        ("The Pirate Bay", "Sintel.2010.720p.BluRay.x264-GRP"),
    }
    assert eztv.queries == []
    checks = {c.name: (c.ok, c.detail) for c in await pool.health()}
    assert checks["indexer:YTS"] == (True, "1 releases in " + checks["indexer:YTS"][1].split(" in ")[1])
    assert "indexer:EZTV" not in checks  # off and never on: not worth a line on the health page
