"""How long a show's answers stay in the cache, through the real cache and a loopback TMDB."""

import logging
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from catalog.airing import airs_at
from catalog.cache import ResponseCache
from catalog.tables import CachedAnswer
from catalog.tmdb.client import TmdbClient
from catalog.tmdb.lifetimes import CacheLifetimes
from sqlalchemy import select, update

from niluflix.contracts.catalog import GetSeason, GetTitle
from niluflix.contracts.common import MediaType
from niluflix.testing.tmdb_server import TmdbEpisode, TmdbSeason, TmdbServer, TmdbShow

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
SLACK = timedelta(seconds=30)  # between the answer and the test's look at it


def client(http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, **kwargs) -> TmdbClient:
    return TmdbClient(http, base_url=tmdb.base_url, api_key=tmdb.api_key, cache=cache, **kwargs)


async def lifetime(cache: ResponseCache, path: str) -> tuple[datetime, datetime]:
    """(fetched_at, expires_at) of the cached answer to `path`."""
    async with cache._engine.connect() as conn:
        row = (
            await conn.execute(
                select(CachedAnswer.fetched_at, CachedAnswer.expires_at).where(
                    CachedAnswer.request.startswith(path + "?")
                )
            )
        ).one()
    return row.fetched_at, row.expires_at


def assert_lasts(stored: tuple[datetime, datetime], expected: timedelta) -> None:
    fetched, expires = stored
    assert abs((expires - fetched) - expected) < SLACK, f"lasts {expires - fetched}, not {expected}"


def show(today: date, *, status: str = "Returning Series", third: date | None = None) -> TmdbShow:
    """Two episodes out, the third airing on `third` (today unless said), all in season 1; season 2
    fully out long ago."""
    third = third or today
    return TmdbShow(
        id=4100,
        name="Open Air",
        first_air_date="2020-01-01",
        status=status,
        seasons=[
            TmdbSeason(1, [TmdbEpisode(n, air_date="2020-01-0" + str(n)) for n in (1, 2, 3)]),
            TmdbSeason(
                2,
                [
                    TmdbEpisode(1, air_date=today - timedelta(days=14)),
                    TmdbEpisode(2, air_date=today - timedelta(days=7)),
                    TmdbEpisode(3, air_date=third),
                ],
            ),
        ],
    )


def ended_show() -> TmdbShow:
    return TmdbShow(
        id=4200,
        name="Long Done",
        first_air_date="2001-01-01",
        status="Ended",
        seasons=[TmdbSeason(1, [TmdbEpisode(n, air_date=f"2001-01-0{n}") for n in (1, 2)])],
    )


@pytest.fixture
def today() -> date:
    return datetime.now(UTC).date()


async def test_an_airing_show_is_asked_again_sooner_than_an_ended_one(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, today: date
) -> None:
    tmdb.add_show(show(today, third=today + timedelta(days=30)))
    tmdb.add_show(ended_show())
    tmdb_client = client(http, tmdb, cache)

    await tmdb_client.details(GetTitle(tmdb_id=4100, media_type=MediaType.TV))
    await tmdb_client.details(GetTitle(tmdb_id=4200, media_type=MediaType.TV))

    assert_lasts(await lifetime(cache, "/tv/4100"), 6 * HOUR)
    assert_lasts(await lifetime(cache, "/tv/4200"), 7 * DAY)


async def test_a_show_ended_with_a_next_episode_still_counts_as_airing(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, today: date
) -> None:
    # TMDB marks some shows Ended before their last episode is out.
    tmdb.add_show(show(today, status="Ended", third=today + timedelta(days=30)))

    await client(http, tmdb, cache).details(GetTitle(tmdb_id=4100, media_type=MediaType.TV))

    assert_lasts(await lifetime(cache, "/tv/4100"), 6 * HOUR)


async def test_a_season_with_an_episode_airing_today_expires_once_it_is_out(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, today: date
) -> None:
    tmdb.add_show(show(today))
    # The episode is out at noon UTC tomorrow, later than 6 h: the season lasts its 6 h.
    await client(http, tmdb, cache).season(GetSeason(tmdb_id=4100, season=2))
    assert_lasts(await lifetime(cache, "/tv/4100/season/2"), 6 * HOUR)

    # With a longer lifetime for airing shows, the episode being out ends it first.
    longer = CacheLifetimes(show_airing=3 * 24 * 3600)
    stale = datetime.now(UTC) - DAY
    async with cache._engine.begin() as conn:  # the entry of season 2 is due
        await conn.execute(update(CachedAnswer).values(expires_at=stale))
    season = await client(http, tmdb, cache, lifetimes=longer).season(GetSeason(tmdb_id=4100, season=2))

    _, expires = await lifetime(cache, "/tv/4100/season/2")
    out = airs_at(today)
    assert out is not None and out == season.episodes[2].airs_at
    assert out <= expires < out + timedelta(seconds=1)  # right after it is out


async def test_a_season_with_an_episode_of_no_date_lasts_as_an_airing_show(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, today: date
) -> None:
    undated = show(today)
    undated.seasons[1].episodes.append(TmdbEpisode(4, air_date=None))
    tmdb.add_show(undated)

    await client(http, tmdb, cache, lifetimes=CacheLifetimes(show_airing=3 * 24 * 3600)).season(
        GetSeason(tmdb_id=4100, season=2)
    )

    assert_lasts(await lifetime(cache, "/tv/4100/season/2"), 3 * DAY)


async def test_fully_aired_seasons(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, today: date
) -> None:
    tmdb.add_show(show(today))
    tmdb.add_show(ended_show())
    tmdb_client = client(http, tmdb, cache)

    await tmdb_client.season(GetSeason(tmdb_id=4100, season=1))
    await tmdb_client.season(GetSeason(tmdb_id=4200, season=1))

    # Out, but the show goes on: a day, TMDB may still add to it. Out and ended: long.
    assert_lasts(await lifetime(cache, "/tv/4100/season/1"), 24 * HOUR)
    assert_lasts(await lifetime(cache, "/tv/4200/season/1"), 7 * DAY)


async def test_an_expired_season_is_asked_again_and_shows_the_change(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, today: date
) -> None:
    tmdb.add_show(show(today))
    tmdb_client = client(http, tmdb, cache)
    before = await tmdb_client.season(GetSeason(tmdb_id=4100, season=2))
    named = show(today)
    named.seasons[1].episodes[2].name = "The Real Title"
    tmdb.add_show(named)

    cached = await tmdb_client.season(GetSeason(tmdb_id=4100, season=2))
    async with cache._engine.begin() as conn:
        await conn.execute(update(CachedAnswer).values(expires_at=datetime.now(UTC) - HOUR))
    after = await tmdb_client.season(GetSeason(tmdb_id=4100, season=2))

    assert before.episodes[2].name == cached.episodes[2].name == "Episode 3"
    assert after.episodes[2].name == "The Real Title"
    assert tmdb.count("/tv/4100/season/2") == 2


async def test_a_stale_season_is_served_while_tmdb_is_down(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, caplog: pytest.LogCaptureFixture
) -> None:
    tmdb.add_show(ended_show())
    never_fresh = CacheLifetimes(details=0, show_airing=0, show_ended=0)
    tmdb_client = client(http, tmdb, cache, lifetimes=never_fresh)
    fresh = await tmdb_client.season(GetSeason(tmdb_id=4200, season=1))
    tmdb.stop()

    with caplog.at_level(logging.WARNING, logger="catalog"):
        stale = await tmdb_client.season(GetSeason(tmdb_id=4200, season=1))

    assert stale == fresh
    assert "/tv/4200/season/1" in caplog.text
