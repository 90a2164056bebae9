"""An indexer that fails is counted, rests for longer each time it fails again, honours a 429's Retry-After,
and is forgiven by one success; while it rests it is skipped and the health page says until when and why.

The clock is a plain number the test moves, so minutes of rest pass in no time.
"""

from collections.abc import Iterator

import httpx
import pytest
from search.errors import AllIndexersFailed
from search.finder import ReleaseFinder
from search.indexers.backoff import Backoff, clock_time
from search.indexers.pool import IndexerPool
from search.indexers.transport import retry_after

from niluflix.contracts.search import FindReleases
from niluflix.contracts.settings import IndexerSettings, ProvidersSettings
from niluflix.testing.providers import TpbServer, YtsMovie, YtsServer, YtsTorrent

SINTEL = FindReleases(tmdb_id=45745, title="Sintel", year=2010, imdb_id="tt1727587")
MINUTE = 60
START = 1_800_000_000.0


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def yts() -> Iterator[YtsServer]:
    movie = YtsMovie("Sintel", 2010, "tt1727587", torrents=[YtsTorrent("1080p", seeds=40)])
    with YtsServer([movie]) as server:
        yield server


def pool_with(
    http: httpx.AsyncClient, clock: FakeClock, yts: YtsServer, *torznab: IndexerSettings
) -> IndexerPool:
    schedule = (0, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE)
    pool = IndexerPool(http, timeout=2, max_feed_bytes=1 << 20, backoff=Backoff(schedule, clock))
    providers = ProvidersSettings.model_validate({"yts": {"enabled": True, "base_url": yts.base_url}})
    pool.configure(list(torznab), providers)
    return pool


async def indexer_errors(pool: IndexerPool) -> dict[str, str | None]:
    reply = await ReleaseFinder(pool).find(SINTEL)
    return {r.indexer: r.error for r in reply.indexers}


async def yts_health(pool: IndexerPool) -> tuple[bool, str]:
    check = next(c for c in await pool.health() if c.name == "indexer:YTS")
    return check.ok, check.detail


async def test_a_429_rests_the_indexer_until_retry_after_then_it_is_asked_again(http, clock, yts) -> None:
    pool = pool_with(http, clock, yts)
    yts.trouble.rate_limit, yts.trouble.retry_after = 1, "600"
    pool.backoff.schedule = (0,)  # only the Retry-After can rest it here

    with pytest.raises(AllIndexersFailed, match="every indexer failed"):
        await ReleaseFinder(pool).find(SINTEL)
    until = clock_time(START + 600)
    rested = f"backing off until {until} (last error: rate limited (HTTP 429), asked to wait 600 s)"
    assert await yts_health(pool) == (False, rested)

    clock.now += 599
    with pytest.raises(AllIndexersFailed, match="backing off until"):
        await ReleaseFinder(pool).find(SINTEL)
    assert len(yts.queries) == 1  # skipped: the site was not asked while it asked us to wait

    clock.now += 2
    assert await indexer_errors(pool) == {"YTS": None}
    assert len(yts.queries) == 2
    assert (await yts_health(pool))[0] is True


async def test_repeated_failures_back_off_longer_each_time_and_a_success_forgives(http, clock, yts) -> None:
    pool = pool_with(http, clock, yts)
    yts.trouble.status = 502

    async def search_error() -> str:
        try:
            reply = await ReleaseFinder(pool).find(SINTEL)
        except AllIndexersFailed as exc:  # the reply is the error, naming each indexer's reason
            return exc.message
        return str(reply.indexers[0].error)

    assert "HTTP 502 Bad Gateway" in await search_error()  # 1st failure: may be a blip, no rest
    assert await yts_health(pool) == (False, "HTTP 502 Bad Gateway")
    assert "HTTP 502" in await search_error()  # 2nd: rests 5 minutes
    assert await yts_health(pool) == (
        False,
        f"backing off until {clock_time(START + 5 * MINUTE)} (last error: HTTP 502 Bad Gateway)",
    )
    asked = len(yts.queries)
    assert "backing off until" in await search_error()
    assert len(yts.queries) == asked

    clock.now += 5 * MINUTE + 1
    assert "HTTP 502" in await search_error()  # 3rd: rests 15 minutes
    assert pool.backoff.state("YTS").resting_until == clock.now + 15 * MINUTE
    clock.now += 15 * MINUTE + 1
    await search_error()  # 4th: 30 minutes
    clock.now += 30 * MINUTE + 1
    await search_error()  # 5th: the schedule's last step repeats
    state = pool.backoff.state("YTS")
    assert (state.failures, state.resting_until) == (5, clock.now + 30 * MINUTE)

    yts.trouble.status = None
    clock.now += 30 * MINUTE + 1
    assert await indexer_errors(pool) == {"YTS": None}
    assert pool.backoff.state("YTS").failures == 0
    ok, detail = await yts_health(pool)
    assert ok and detail.startswith("1 releases in ")

    yts.trouble.status = 500
    await search_error()  # counted from one again: no rest after a single failure
    assert not pool.backoff.state("YTS").resting(clock.now)


async def test_a_resting_indexer_does_not_hold_back_the_others(http, clock, yts, torznab, make_item) -> None:
    good = torznab([make_item("Sintel.2010.1080p.BluRay.x264-GOOD", imdb_id="tt1727587")])
    pool = pool_with(http, clock, yts, IndexerSettings(name="Good", url=good.url, api_key="niluflix-demo"))
    yts.trouble.status = 503
    await ReleaseFinder(pool).find(SINTEL)
    await ReleaseFinder(pool).find(SINTEL)

    reply = await ReleaseFinder(pool).find(SINTEL)

    assert [r.name for r in reply.releases] == ["Sintel.2010.1080p.BluRay.x264-GOOD"]
    errors = {r.indexer: r.error for r in reply.indexers}
    assert errors["Good"] is None
    assert errors["YTS"].startswith("backing off until ") and "HTTP 503" in errors["YTS"]


async def test_changed_settings_give_a_resting_indexer_a_fresh_start(http, clock, yts) -> None:
    pool = pool_with(http, clock, yts)
    yts.trouble.status = 500
    for _ in range(2):
        await indexer_errors_or_failure(pool)
    assert pool.backoff.state("YTS").resting(clock.now)

    with YtsServer(yts.movies) as mirror:
        fixed = ProvidersSettings.model_validate({"yts": {"enabled": True, "base_url": mirror.base_url}})
        pool.configure([], fixed)  # the user switched to a mirror

        assert await indexer_errors(pool) == {"YTS": None}
        assert len(mirror.queries) == 1


async def indexer_errors_or_failure(pool: IndexerPool) -> None:
    try:
        await ReleaseFinder(pool).find(SINTEL)
    except AllIndexersFailed:  # what the caller set up
        pass


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), ("Thu, 15 Jan 2027 08:02:00 GMT", 120.0), ("soon", None), (None, None)],
)
def test_retry_after_in_seconds_or_as_a_date(header: str | None, seconds: float | None) -> None:
    now = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC
    response = httpx.Response(429, headers={"Retry-After": header} if header else {})
    assert retry_after(response, now=now) == seconds


async def test_a_torznab_indexer_answering_429_rests_for_its_retry_after(http, clock) -> None:
    with TpbServer() as site:  # any loopback site will do: it answers 429 before anything else
        site.trouble.rate_limit, site.trouble.retry_after = 5, "300"
        pool = IndexerPool(http, timeout=2, max_feed_bytes=1 << 20, backoff=Backoff((0,), clock))
        pool.configure([IndexerSettings(name="Jackett", url=f"{site.base_url}/api")])

        with pytest.raises(AllIndexersFailed, match="Jackett: rate limited"):
            await ReleaseFinder(pool).find(SINTEL)
        (check,) = await pool.health()

    assert (check.ok, check.detail) == (
        False,
        f"backing off until {clock_time(START + 300)} (last error: rate limited (HTTP 429), asked to wait 300 s)",
    )
    assert len(site.queries) == 1
