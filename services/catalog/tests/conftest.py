"""Real parts for the catalog's tests: a loopback TMDB, a migrated database, a private NATS server."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from catalog.cache import ResponseCache
from catalog.main import MIGRATIONS

from niluflix.db import make_async_engine, migrate
from niluflix.testing.nats_server import embedded_nats
from niluflix.testing.tmdb_server import TmdbMovie, TmdbServer

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


@pytest.fixture(autouse=True)
def _no_tmdb_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own TMDB key in the environment must not turn the sample tests into TMDB calls.
    monkeypatch.delenv("NILUFLIX_TMDB_API_KEY", raising=False)
    monkeypatch.delenv("NILUFLIX_TMDB_BASE_URL", raising=False)


@pytest.fixture
def tmdb() -> Iterator[TmdbServer]:
    with TmdbServer(MOVIES) as server:
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
def private_nats(tmp_path: Path) -> Iterator[str]:
    """A NATS server for one test.

    The catalog's subjects, queue group and the settings bucket are fixed names: on the shared server
    another catalog (an end-to-end test) could answer our requests, and a settings change made here
    would reach other services under test.
    """
    with embedded_nats(store_dir=tmp_path / "nats") as url:
        yield url
