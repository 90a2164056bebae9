"""Real parts for the catalog's tests: a loopback TMDB, a migrated database, a private NATS server."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from catalog.cache import ResponseCache
from catalog.episode_index import EpisodeIndex
from catalog.main import MIGRATIONS

from niluflix.db import make_async_engine, migrate
from niluflix.testing.nats_server import embedded_nats
from niluflix.testing.tmdb_server import TmdbEpisode, TmdbMovie, TmdbSeason, TmdbServer, TmdbShow

SINTEL = TmdbMovie(
    id=45745,
    title="Sintel",
    original_title="Sintel",
    release_date="2010-09-27",
    overview="A girl searches for her dragon.",
    poster_path="/sintel.jpg",
    backdrop_path="/sintel-wide.jpg",
    vote_average=7.1,
    vote_count=1200,
    popularity=30.5,
    trending=12.0,
    runtime=15,
    imdb_id="tt1727587",
    genres=["Animation", "Fantasy"],
    alternative_titles=["Sintel", "Sintel: The Dragon Girl", "Durian Open Movie"],
)
MOVIES = [
    SINTEL,
    TmdbMovie(
        id=10378,
        title="Big Buck Bunny",
        release_date="2008-05-30",
        poster_path="/bbb.jpg",
        popularity=50.0,
        trending=5.0,
        runtime=10,
        imdb_id="tt1254207",
        genres=["Animation", "Comedy"],
    ),
    TmdbMovie(id=133701, title="Tears of Steel", release_date="", popularity=20.0, trending=40.0),
]


PIONEER_ONE = TmdbShow(
    id=30804,
    name="Pioneer One",
    first_air_date="2010-06-16",
    status="Ended",
    networks=["VODO"],
    overview="A Mars capsule falls to Earth with a man inside.",
    poster_path="/pioneer.jpg",
    popularity=12.0,
    trending=3.0,
    trending_day=30.0,
    episode_run_time=[35],
    imdb_id="tt1748166",
    tvdb_id=170551,
    genres=["Drama", "Science Fiction"],
    alternative_titles=["Pioneer One", "Pioneer 1"],
    seasons=[
        TmdbSeason(1, [TmdbEpisode(n, f"Part {n}", f"2010-{5 + n:02d}-16", runtime=35) for n in range(1, 7)]),
        TmdbSeason(0, [TmdbEpisode(1, "Making Of", "2011-01-01", still_path="/making-of.jpg")]),
    ],
)
# An anime whose "Absolute" episode group counts a special (an OVA) in the run, so its numbers are
# not the air order's: S02E01 is 4 by the group, 3 by air order.
LLAMA_QUEST = TmdbShow(
    id=61234,
    name="Llama Quest",
    original_name="ラマ・クエスト",
    original_language="ja",
    first_air_date="2019-04-05",
    status="Ended",
    popularity=8.0,
    trending=9.0,
    seasons=[
        TmdbSeason(0, [TmdbEpisode(1, "The Hot Spring OVA", "2019-08-01")]),
        TmdbSeason(1, [TmdbEpisode(n, f"Step {n}", f"2019-04-{4 + n:02d}") for n in (1, 2)]),
        TmdbSeason(2, [TmdbEpisode(n, f"Leap {n}", f"2020-04-{4 + n:02d}") for n in (1, 2)]),
    ],
    absolute_order=[(1, 1), (1, 2), (0, 1), (2, 1), (2, 2)],
)
SHOWS = [PIONEER_ONE, LLAMA_QUEST]


@pytest.fixture
def pioneer_one() -> TmdbShow:
    """The ended show the loopback TMDB serves: season 1 of six parts, a special."""
    return PIONEER_ONE


@pytest.fixture
def llama_quest() -> TmdbShow:
    """The anime the loopback TMDB serves, with an "Absolute" episode group."""
    return LLAMA_QUEST


@pytest.fixture(autouse=True)
def _no_tmdb_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own TMDB key in the environment must not turn the sample tests into TMDB calls.
    monkeypatch.delenv("NILUFLIX_TMDB_API_KEY", raising=False)
    monkeypatch.delenv("NILUFLIX_TMDB_BASE_URL", raising=False)


@pytest.fixture
def tmdb() -> Iterator[TmdbServer]:
    with TmdbServer(MOVIES, shows=SHOWS) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def migrated(database):
    migrate(database.url, schema=database.schema, migrations=MIGRATIONS)
    return database


@pytest.fixture
async def cache(migrated) -> AsyncIterator[ResponseCache]:
    engine = make_async_engine(migrated.url, schema=migrated.schema)
    try:
        yield ResponseCache(engine, keep=30 * 24 * 3600)
    finally:
        await engine.dispose()


@pytest.fixture
def episodes(cache: ResponseCache) -> EpisodeIndex:
    return EpisodeIndex(cache._engine)


@pytest.fixture
def private_nats(tmp_path: Path) -> Iterator[str]:
    """A NATS server for one test.

    The catalog's subjects, queue group and the settings bucket are fixed names: on the shared server
    another catalog (an end-to-end test) could answer our requests, and a settings change made here
    would reach other services under test.
    """
    with embedded_nats(store_dir=tmp_path / "nats") as url:
        yield url
