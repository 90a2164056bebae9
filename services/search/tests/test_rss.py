"""RSS polling: one request per enabled indexer per cycle, new items published once, and `search.v1.judge`.

Real parts: loopback Torznab servers, an EZTV-format server, a NATS server of our own with JetStream.
"""

import asyncio

import httpx
import nats
import pytest
from faststream.nats import NatsBroker
from search.indexers.pool import IndexerPool
from search.main import create_app
from search.rss.poller import RssPoller
from search.settings import SearchSettings

from niluflix.contracts import search
from niluflix.contracts.search import FindReleases, JudgeReleases, Release, ReleaseList, ReleasesSeen
from niluflix.contracts.settings import IndexerSettings
from niluflix.demo.torznab import DEFAULT_API_KEY, TV
from niluflix.messaging import request


async def seen_events(nats_url: str) -> list[ReleasesSeen]:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        info = await js.stream_info(search.EVENTS_STREAM)
        events = []
        for seq in range(max(info.state.first_seq, 1), info.state.last_seq + 1):
            msg = await js.get_msg(search.EVENTS_STREAM, seq)
            events.append(ReleasesSeen.model_validate_json(msg.data))
        return events
    finally:
        await nc.close()


def feed_reads(server) -> list[dict[str, str]]:
    return [q for q in server.queries if q.get("t") == "search" and not q.get("q")]


async def test_one_request_per_indexer_per_cycle_and_each_new_item_once(
    torznab, make_item, private_nats
) -> None:
    first = torznab([make_item("Some.Show.S01E01.1080p.WEB-DL.x264-A", category=TV + 40)])
    second = torznab([make_item("Other.Show.S02E05.720p.HDTV.x264-B", category=TV + 30)])
    nc = await nats.connect(private_nats)
    async with httpx.AsyncClient(timeout=10) as http:
        pool = IndexerPool(http, timeout=5, max_feed_bytes=10 << 20)
        pool.configure(
            [
                IndexerSettings(name="First", url=first.url, api_key=DEFAULT_API_KEY),
                IndexerSettings(name="Second", url=second.url, api_key=DEFAULT_API_KEY),
            ]
        )
        poller = RssPoller(pool, nc.jetstream(), every=900, timeout=5)
        assert await poller.poll() == 2
        assert await poller.poll() == 0  # nothing new: nothing published
        first.add(make_item("Some.Show.S01E02.1080p.WEB-DL.x264-A", category=TV + 40))
        assert await poller.poll() == 1
    await nc.close()

    # Three cycles, three requests to each indexer: no caps request, no per-show search.
    for server in (first, second):
        assert len(server.queries) == 3, server.queries
        assert all(q == {"t": "search", "q": "", "cat": str(TV), "limit": "100"} for q in server.queries)
    events = await seen_events(private_nats)
    names = [(e.indexer, [r.name for r in e.releases]) for e in events]
    assert sorted(names) == [
        ("First", ["Some.Show.S01E01.1080p.WEB-DL.x264-A"]),
        ("First", ["Some.Show.S01E02.1080p.WEB-DL.x264-A"]),
        ("Second", ["Other.Show.S02E05.720p.HDTV.x264-B"]),
    ]
    parsed = next(
        r.parsed for e in events for r in e.releases if r.name.endswith("S01E02.1080p.WEB-DL.x264-A")
    )
    assert (parsed.title, parsed.season, parsed.episodes, parsed.resolution) == ("Some Show", 1, [2], "1080p")


async def test_a_broken_feed_costs_only_its_own_items(torznab, make_item, private_nats, httpserver) -> None:
    good = torznab([make_item("Some.Show.S01E01.1080p.WEB-DL.x264-A", category=TV)])
    httpserver.expect_request("/api").respond_with_data("<html>login</html>", content_type="text/html")
    nc = await nats.connect(private_nats)
    async with httpx.AsyncClient(timeout=10) as http:
        pool = IndexerPool(http, timeout=5, max_feed_bytes=10 << 20)
        pool.configure(
            [
                IndexerSettings(name="Good", url=good.url, api_key=DEFAULT_API_KEY),
                IndexerSettings(name="Broken", url=httpserver.url_for("/api"), api_key="k"),
            ]
        )
        assert await RssPoller(pool, nc.jetstream(), every=900, timeout=5).poll() == 1
    await nc.close()
    assert [e.indexer for e in await seen_events(private_nats)] == ["Good"]


async def test_the_service_polls_on_its_schedule_and_judges_releases(
    torznab, make_item, private_nats, tmp_path, monkeypatch
) -> None:
    server = torznab([make_item("Some.Show.S01E01.1080p.WEB-DL.x264-A", category=TV)])
    monkeypatch.setenv("NILUFLIX_SEARCH_RSS_INTERVAL", "0.3")
    monkeypatch.setenv(
        "NILUFLIX_INDEXERS", f'[{{"name": "Loop", "url": "{server.url}", "api_key": "{DEFAULT_API_KEY}"}}]'
    )
    app = create_app(SearchSettings(nats_url=private_nats, data_dir=tmp_path, watch_settings=False))
    async with app.lifespan_context():
        await app.start()
        try:
            await asyncio.sleep(1.2)
            assert 3 <= len(feed_reads(server)) <= 6  # at start, then every 0.3 s
            broker = NatsBroker(private_nats)
            await broker.connect()
            try:
                query = FindReleases(tmdb_id=1, media_type="tv", title="Some Show", season=1, episode=2)
                offered = [
                    Release(name=name, indexer="Loop", size=1_500_000_000, seeders=20, magnet_uri="magnet:?x")
                    for name in (
                        "Some.Show.S01E02.1080p.WEB-DL.x264-A",
                        "Some.Show.S01E03.1080p.WEB-DL.x264-A",
                    )
                ]
                judged = await request(
                    broker,
                    search.JUDGE,
                    JudgeReleases(request=query, releases=offered),
                    ReleaseList,
                    timeout=10,
                )
            finally:
                await broker.stop()
        finally:
            await app.stop()
    assert [r.name for r in judged.releases] == ["Some.Show.S01E02.1080p.WEB-DL.x264-A"]
    assert [r.rejections[0].code for r in judged.rejected] == ["wrong_episode"]
    # Judging asks no indexer.
    assert not [q for q in server.queries if q.get("q")]
    assert [e.indexer for e in await seen_events(private_nats)] == ["Loop"]


async def test_items_whose_publishing_failed_go_out_at_the_next_cycle(
    torznab, make_item, private_nats
) -> None:
    server = torznab([make_item("Some.Show.S01E01.1080p.WEB-DL.x264-A", category=TV)])
    nc = await nats.connect(private_nats)
    js = nc.jetstream()
    async with httpx.AsyncClient(timeout=10) as http:
        pool = IndexerPool(http, timeout=5, max_feed_bytes=10 << 20)
        pool.configure([IndexerSettings(name="Loop", url=server.url, api_key=DEFAULT_API_KEY)])
        poller = RssPoller(pool, js, every=900, timeout=5)
        assert await poller.poll() == 1
        # The stream vanishes (a NATS restarted without its store): the new item cannot go out...
        await js.delete_stream(search.EVENTS_STREAM)
        server.add(make_item("Some.Show.S01E02.1080p.WEB-DL.x264-A", category=TV))
        with pytest.raises(Exception, match="no response"):
            await poller.poll()
        # ...and goes out at the next cycle, the stream made again; the one published before stays seen.
        assert await poller.poll() == 1
    await nc.close()
    assert [[r.name for r in e.releases] for e in await seen_events(private_nats)] == [
        ["Some.Show.S01E02.1080p.WEB-DL.x264-A"]
    ]
