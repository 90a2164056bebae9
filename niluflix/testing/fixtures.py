"""pytest fixtures for real parts; see the package docstring."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from niluflix.testing.nats_server import nats_for_tests
from niluflix.testing.postgres import drop_schema, postgres_for_tests

if TYPE_CHECKING:  # imported by the fixture: a run without Supabase tests does not load its server
    from niluflix.testing.supabase import SupabaseProject


@dataclass(frozen=True)
class Database:
    url: str
    schema: str
    backend: str


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver's canned-answer server listens on loopback by address, on a free port."""
    return ("127.0.0.1", 0)


@pytest.fixture(scope="session")
def nats_url() -> Iterator[str]:
    with nats_for_tests() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_for_tests() as url:
        yield url


@pytest.fixture(scope="session")
def _supabase_session(postgres_url: str) -> Iterator["SupabaseProject"]:
    from niluflix.testing.supabase import loopback_supabase

    with loopback_supabase(postgres_url) as project:
        yield project


@pytest.fixture
def supabase_project(_supabase_session: "SupabaseProject") -> "SupabaseProject":
    """A loopback Supabase project with the schema of infra/supabase/migrations, empty for each test: no
    users, no rows, tokens living an hour, listening. One database serves the session (creating one per test
    would cost a second each); a test that needs a second project uses `loopback_supabase` itself."""
    _supabase_session.reset()
    return _supabase_session


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:
    """A fresh database for one service, once on SQLite and once on PostgreSQL (own schema)."""
    if request.param == "sqlite":
        yield Database(url=f"sqlite:///{tmp_path / 'service.db'}", schema="main", backend="sqlite")
        return
    url = request.getfixturevalue("postgres_url")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        yield Database(url=url, schema=schema, backend="postgresql")
    finally:
        drop_schema(url, schema)


@pytest.fixture
def unique() -> str:
    """A short unique token for stream, bucket and subject names shared on one NATS server."""
    return uuid.uuid4().hex[:10]


NILUFLIX_STREAMS = ("DOWNLOAD_EVENTS", "LIBRARY_EVENTS", "KV_NILUFLIX_SETTINGS")


async def purge_niluflix_state(url: str) -> None:
    """Delete NiluFlix's streams and settings bucket, so each test starts from an empty NATS."""
    import nats
    from nats.js.errors import NotFoundError

    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        for name in NILUFLIX_STREAMS:
            try:
                await js.delete_stream(name)
            except NotFoundError:
                pass
    finally:
        await nc.close()


@pytest.fixture
async def clean_nats(nats_url: str) -> str:
    """The test NATS server with no NiluFlix streams or settings left from an earlier test."""
    await purge_niluflix_state(nats_url)
    return nats_url
