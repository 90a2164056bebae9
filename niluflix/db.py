"""Database plumbing every service shares; the tables themselves belong to each service.

One `database_url` per service: a SQLite file under the data directory by default, PostgreSQL in
Compose, where each service gets its own schema (`search_path`), so no service sees another's tables.
Schema changes go through each service's Alembic migrations, run at start by `migrate()`.
"""

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from sqlalchemy import DateTime, TypeDecorator, create_engine, event, text
from sqlalchemy.engine import URL, Dialect, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from niluflix.private_files import private_sqlite

if TYPE_CHECKING:
    from niluflix.secretbox import SecretBox

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class UtcDateTime(TypeDecorator[datetime]):
    """The column type of every timestamp: aware UTC datetimes on both databases (SQLite hands back naive
    ones, and a naive one written would be read back as if it were UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _with_driver(url: str, *, asynchronous: bool) -> URL:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite" if asynchronous else "sqlite")
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    raise ValueError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _prepare(url: str, schema: str) -> dict:
    if not _SCHEMA_NAME.match(schema):
        raise ValueError(f"bad schema name {schema!r}")
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            private_sqlite(Path(database))  # 0600, and so its -wal and -shm files
        return {"timeout": 30}
    return {"options": f"-csearch_path={schema}"}


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # WAL lets readers go on while the downloader writes each tick; foreign keys are off by default.
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()


def make_async_engine(url: str, *, schema: str) -> AsyncEngine:
    engine = create_async_engine(_with_driver(url, asynchronous=True), connect_args=_prepare(url, schema))
    if is_sqlite(url):
        _sqlite_pragmas(engine.sync_engine)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def migrate(
    url: str, *, schema: str, migrations: Path, box: "SecretBox | None" = None, revision: str = "head"
) -> None:
    """Bring the service's tables up to date (blocking; call before serving).

    `box`: the service's `SecretBox`, for a migration that seals a column kept in clear before (it reads it
    as `context.config.attributes["box"]`). `revision`: tests bring tables to an older one, as an older
    version left them."""
    connect_args = _prepare(url, schema)
    engine = create_engine(_with_driver(url, asynchronous=False), connect_args=connect_args)
    if is_sqlite(url):
        _sqlite_pragmas(engine)
    else:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            cfg.attributes["box"] = box
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()


def run_migrations_online(target_metadata) -> None:
    """The body of every service's `migrations/env.py`: run on the connection `migrate()` passes in."""
    from alembic import context

    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
