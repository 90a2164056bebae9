"""Which episodes a follow wants, how show names compare, and when an episode that found nothing is searched
again: on the downloader's real database (SQLite and PostgreSQL)."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from downloader.monitoring.store import FollowStore
from downloader.monitoring.titles import normalise
from downloader.monitoring.wanted import is_out, missing, seasons_to_check

from niluflix.contracts.catalog import EpisodeDetails, SeasonDetails, SeasonSummary, TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.follows import Follow, FollowMode, SetFollow
from niluflix.db import make_async_engine, make_sessionmaker, migrate

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
MIGRATIONS = Path(__file__).parents[1] / "downloader" / "migrations"


def episode(
    season: int, number: int, airs_at: datetime | None, air_date: date | None = None
) -> EpisodeDetails:
    return EpisodeDetails(
        episode_id=season * 100 + number, show_id=1, season=season, episode=number,
        airs_at=airs_at, air_date=air_date or (airs_at.date() if airs_at else None),
    )  # fmt: skip


def follow(
    mode: FollowMode, seasons: list[int] = (), created_at: datetime = NOW - timedelta(days=3)
) -> Follow:
    return Follow(tmdb_id=1, title="Show", mode=mode, seasons=list(seasons), created_at=created_at)


SEASONS = [
    SeasonDetails(tmdb_id=1, season=0, episodes=[episode(0, 1, NOW - timedelta(days=100))]),
    SeasonDetails(
        tmdb_id=1, season=1, episodes=[episode(1, n, NOW - timedelta(days=400 - n)) for n in (1, 2)]
    ),
    SeasonDetails(
        tmdb_id=1,
        season=2,
        episodes=[
            episode(2, 1, NOW - timedelta(days=10)),
            episode(2, 2, NOW - timedelta(hours=2)),
            episode(2, 3, NOW + timedelta(minutes=5)),
            episode(2, 4, None, air_date=NOW.date()),  # no time given: the catalog's airs_at decides
            episode(2, 5, None),
        ],
    ),
]


def keys(episodes: list[EpisodeDetails]) -> list[tuple[int, int]]:
    return [(e.season, e.episode) for e in episodes]


def test_every_episode_out_and_not_had_but_no_specials() -> None:
    wanted = missing(follow(FollowMode.ALL), SEASONS, {(1, 2)}, NOW)
    assert keys(wanted) == [(1, 1), (2, 1), (2, 2)]


def test_future_episodes_are_those_out_after_the_follow() -> None:
    assert keys(missing(follow(FollowMode.FUTURE), SEASONS, set(), NOW)) == [(2, 2)]


def test_chosen_seasons_include_specials_when_chosen() -> None:
    assert keys(missing(follow(FollowMode.SEASONS, [0, 1]), SEASONS, set(), NOW)) == [(0, 1), (1, 1), (1, 2)]


def test_an_episode_is_out_at_the_catalogs_airs_at_and_never_without_one() -> None:
    at = NOW + timedelta(minutes=5)
    assert not is_out(episode(2, 3, at), NOW)
    assert is_out(episode(2, 3, at), at)
    # A date alone is the catalog's to turn into a time (noon UTC the next day); no airs_at: not out.
    assert not is_out(episode(2, 4, None, air_date=NOW.date() - timedelta(days=3)), NOW)
    assert not is_out(episode(2, 5, None), NOW)


def test_the_seasons_each_mode_looks_at() -> None:
    details = TitleDetails(
        tmdb_id=1, media_type=MediaType.TV, title="Show",
        seasons=[SeasonSummary(season=n, air_date=date(2020 + n, 1, 1)) for n in (0, 1, 2, 3)],
        last_episode=episode(2, 2, NOW - timedelta(hours=2)), next_episode=episode(2, 3, NOW + timedelta(days=1)),
    )  # fmt: skip
    assert seasons_to_check(follow(FollowMode.ALL), details) == [1, 2, 3]
    assert seasons_to_check(follow(FollowMode.SEASONS, [0, 3]), details) == [0, 3]
    # Season 3 starts in 2023, before the follow: only the current season.
    assert seasons_to_check(follow(FollowMode.FUTURE), details) == [2]


@pytest.mark.parametrize(
    ("show", "release"),
    [
        ("Marvel's Agents of S.H.I.E.L.D.", "Marvels.Agents.of.S.H.I.E.L.D"),
        ("The Office (US)", "The.Office"),
        ("Law & Order: Special Victims Unit", "Law.and.Order.Special.Victims.Unit"),
        ("Pokémon", "Pokemon"),
    ],
)
def test_show_names_match_as_releases_spell_them(show: str, release: str) -> None:
    assert normalise(show) == normalise(release)


def test_different_shows_stay_different() -> None:
    assert normalise("The Office") != normalise("The Office Christmas")


@pytest.fixture
async def store(database):
    migrate(database.url, schema=database.schema, migrations=MIGRATIONS)
    engine = make_async_engine(database.url, schema=database.schema)
    yield FollowStore(make_sessionmaker(engine))
    await engine.dispose()


async def test_nothing_found_waits_an_hour_then_six_then_a_day(store: FollowStore) -> None:
    await store.save(SetFollow(tmdb_id=1), "Show")
    waits = []
    now = NOW
    for _ in range(4):
        again = await store.nothing_found(1, (2, 2), now)
        waits.append(again - now)
        assert (2, 2) in await store.waiting(1, now)
        assert (2, 2) not in await store.waiting(1, again)
        now = again
    assert waits == [timedelta(hours=1), timedelta(hours=6), timedelta(days=1), timedelta(days=1)]
    await store.found(1, [(2, 2)])
    assert await store.waiting(1, now - timedelta(days=30)) == set()


async def test_following_again_keeps_the_first_date_and_unfollowing_forgets(store: FollowStore) -> None:
    first = await store.save(SetFollow(tmdb_id=7, mode=FollowMode.FUTURE), "Show")
    again = await store.save(SetFollow(tmdb_id=7, mode=FollowMode.SEASONS, seasons=[3, 1, 3]), "Show")
    assert again.created_at == first.created_at
    assert (again.mode, again.seasons) == (FollowMode.SEASONS, [1, 3])
    await store.nothing_found(7, (1, 1), NOW)
    await store.remove(7)
    assert await store.all() == []
    assert await store.waiting(7, NOW) == set()
