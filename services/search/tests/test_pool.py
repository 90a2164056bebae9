"""Every indexer at once, each under its own timeout, against several real Torznab servers on loopback."""

import httpx
import pytest
from search.errors import AllIndexersFailed, InvalidSearch, NoIndexers
from search.finder import ReleaseFinder
from search.indexers.pool import IndexerPool

from niluflix.contracts.search import FindReleases
from niluflix.contracts.settings import IndexerSettings
from niluflix.demo.torznab import DEFAULT_API_KEY

SINTEL = FindReleases(tmdb_id=45745, title="Sintel", year=2010, imdb_id="tt1727587")
TIMEOUT = 0.5


def settings(
    name: str, url: str, api_key: str | None = DEFAULT_API_KEY, enabled: bool = True
) -> IndexerSettings:
    return IndexerSettings(name=name, url=url, api_key=api_key, enabled=enabled)


@pytest.fixture
def pool(http: httpx.AsyncClient) -> IndexerPool:
    return IndexerPool(http, timeout=TIMEOUT, max_feed_bytes=1 << 20)


async def test_a_slow_and_a_failing_indexer_leave_the_others_results(pool, torznab, make_item) -> None:
    good = torznab(
        [
            make_item("Sintel.2010.1080p.BluRay.x264-A", seeders=20, imdb_id="tt1727587"),
            make_item("Sintel.2010.720p.BluRay.x264-A", seeders=90, imdb_id="tt1727587"),
        ]
    )
    other = torznab(
        [
            make_item("Sintel.2010.2160p.UHD.BluRay.x265-B", seeders=40, imdb_id="tt1727587"),
            make_item("Sintel.2010.1080p.BluRay.x264-A", seeders=35, imdb_id="tt1727587"),
        ]
    )  # same torrent
    slow = torznab([make_item("Sintel.2010.1080p.WEB-DL-SLOW", seeders=999, imdb_id="tt1727587")], delay=5)
    locked = torznab(
        [make_item("Sintel.2010.1080p.WEB-DL-LOCKED", seeders=999, imdb_id="tt1727587")], api_key="k"
    )
    pool.configure(
        [
            settings("Good", good.url),
            settings("Slow", slow.url),
            settings("Locked", locked.url),
            settings("Other", other.url),
        ]
    )

    reply = await ReleaseFinder(pool).find(SINTEL)

    assert [(r.name, r.indexer, r.seeders) for r in reply.releases] == [
        ("Sintel.2010.1080p.BluRay.x264-A", "Other", 35),  # the duplicate with more seeders
        ("Sintel.2010.720p.BluRay.x264-A", "Good", 90),
        ("Sintel.2010.2160p.UHD.BluRay.x265-B", "Other", 40),
    ]
    results = {r.indexer: r for r in reply.indexers}
    assert [r.indexer for r in reply.indexers] == ["Good", "Slow", "Locked", "Other"]
    assert (results["Good"].ok, results["Good"].count, results["Good"].error) == (True, 2, None)
    assert (results["Other"].ok, results["Other"].count) == (True, 2)
    assert (results["Slow"].ok, results["Slow"].error) == (False, "no answer within 0.5 s")
    assert (results["Locked"].ok, results["Locked"].error) == (False, "Invalid API Key (Torznab error 100)")

    checks = {c.name: c for c in await pool.health()}
    assert checks["indexer:Good"].ok and checks["indexer:Good"].detail.startswith("2 releases in ")
    assert not checks["indexer:Slow"].ok and checks["indexer:Slow"].detail == "no answer within 0.5 s"
    assert checks["indexer:Locked"].detail == "Invalid API Key (Torznab error 100)"


async def test_rejected_releases_come_back_with_reasons(pool, torznab, make_item) -> None:
    server = torznab(
        [
            make_item("Sintel.2010.1080p.BluRay.x264-A", seeders=0),
            make_item("Sintel.2010.720p.BluRay.x264-A", seeders=3),
        ],
        imdb_search=False,
    )
    pool.configure([settings("Demo", server.url)])
    reply = await ReleaseFinder(pool).find(SINTEL)
    assert [r.name for r in reply.releases] == ["Sintel.2010.720p.BluRay.x264-A"]
    assert [(r.name, [x.message for x in r.rejections]) for r in reply.rejected] == [
        ("Sintel.2010.1080p.BluRay.x264-A", ["no seeders"])
    ]
    assert reply.releases[0].parsed.resolution == "720p"


async def test_every_indexer_failing_is_an_error_not_an_empty_list(pool, torznab, make_item) -> None:
    a = torznab([make_item("Sintel.2010.1080p-A")], api_key="other")
    b = torznab([make_item("Sintel.2010.1080p-B")], delay=5)
    pool.configure([settings("A", a.url), settings("B", b.url)])
    with pytest.raises(AllIndexersFailed) as caught:
        await ReleaseFinder(pool).find(SINTEL)
    assert caught.value.message == (
        "every indexer failed (A: Invalid API Key (Torznab error 100); B: no answer within 0.5 s)"
    )


async def test_no_enabled_indexer_is_a_clear_error(pool, torznab) -> None:
    finder = ReleaseFinder(pool)
    with pytest.raises(NoIndexers, match="no indexer is configured"):
        await finder.find(SINTEL)
    pool.configure([settings("Off", torznab().url, enabled=False)])
    with pytest.raises(NoIndexers):
        await finder.find(SINTEL)
    assert [(c.name, c.ok, c.detail) for c in await pool.health()] == [
        ("indexers", True, "no indexer yet: add an indexer in Settings"),
        ("indexer:Off", True, "disabled"),
    ]


async def test_a_blank_title_is_refused(pool, torznab) -> None:
    pool.configure([settings("Demo", torznab().url)])
    with pytest.raises(InvalidSearch, match="a title is needed"):
        await ReleaseFinder(pool).find(FindReleases(tmdb_id=1, title="  "))


async def test_reconfiguring_keeps_unchanged_indexers_and_their_caps(pool, torznab, make_item) -> None:
    server = torznab([make_item("Sintel.2010.1080p-A", imdb_id="tt1727587")], api_key="first")
    pool.configure([settings("Demo", server.url, api_key="first")])
    finder = ReleaseFinder(pool)
    await finder.find(SINTEL)
    pool.configure(
        [settings("Demo", server.url, api_key="first"), settings("Off", server.url, enabled=False)]
    )
    await finder.find(SINTEL)
    assert [q["t"] for q in server.queries] == ["caps", "movie", "movie"]

    server.api_key = "second"
    pool.configure([settings("Demo", server.url, api_key="second")])
    reply = await finder.find(SINTEL)
    assert reply.indexers[0].ok
    assert [q["t"] for q in server.queries][-2:] == ["caps", "movie"]


async def test_health_asks_an_unused_indexer_for_its_caps(pool, torznab) -> None:
    ready = torznab(imdb_search=False)
    pool.configure([settings("Ready", ready.url), settings("Locked", ready.url, api_key="nope")])
    checks = [(c.name, c.kind, c.ok, c.detail) for c in await pool.health()]
    assert checks == [
        ("indexer:Ready", "indexer", True, "ready: movie search by title"),
        ("indexer:Locked", "indexer", False, "Invalid API Key (Torznab error 100)"),
    ]
