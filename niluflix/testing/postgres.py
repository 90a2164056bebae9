"""PostgreSQL for tests: $NILUFLIX_TEST_POSTGRES_URL, else 127.0.0.1:5432/test, else testcontainers."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


@contextmanager
def postgres_for_tests() -> Iterator[str]:
    url = os.environ.get("NILUFLIX_TEST_POSTGRES_URL")
    if url:
        if not _answers(url):
            raise RuntimeError(f"NILUFLIX_TEST_POSTGRES_URL={url} does not answer")
        print(f"[niluflix tests] PostgreSQL: {url} (from NILUFLIX_TEST_POSTGRES_URL)")
        yield url
        return
    local = "postgresql://postgres@127.0.0.1:5432/test"
    if _answers(local):
        print(f"[niluflix tests] PostgreSQL: local server {local}")
        yield local
        return
    try:
        import docker
        from testcontainers.postgres import PostgresContainer

        docker.from_env(timeout=2).ping()
    except Exception as exc:
        raise RuntimeError(
            "no PostgreSQL: set NILUFLIX_TEST_POSTGRES_URL, run one on 127.0.0.1:5432, or a Docker engine"
        ) from exc
    with PostgresContainer("postgres:16-alpine", driver=None) as pg:
        url = pg.get_connection_url()
        print(f"[niluflix tests] PostgreSQL: testcontainers {url}")
        yield url


def drop_schema(url: str, schema: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
