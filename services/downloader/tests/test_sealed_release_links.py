"""A job's release links carry indexer keys (Torznab download links, `apikey=`) and trackers' passkeys: they
are sealed in the jobs table, old rows sealed by the migration, and the database files are the service
user's alone (0600)."""

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from downloader.jobs.store import JobStore
from downloader.main import MIGRATIONS
from downloader.tables import JobRow
from sqlalchemy import create_engine, text

from niluflix.contracts import downloads
from niluflix.contracts.downloads import CreateDownload, JobState
from niluflix.db import make_async_engine, make_sessionmaker, migrate
from niluflix.demo.swarm import MiB, Swarm
from niluflix.demo.torznab import TorznabItem, TorznabServer
from niluflix.secretbox import SecretBox
from niluflix.testing.fixtures import Database

TEARS = 133701
KEY = "indexer-key-in-link-8086"
PASSKEY = "0123456789abcdef0123456789abcdef"


def _stored_links(database: Database) -> list[tuple[str | None, str | None]]:
    url = (
        database.url.replace("sqlite://", "sqlite+pysqlite://", 1)
        if database.backend == "sqlite"
        else database.url
    )
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            if database.backend == "postgresql":
                conn.execute(text(f'SET search_path TO "{database.schema}"'))
            return [
                tuple(r) for r in conn.execute(text("SELECT release_magnet, release_torrent_url FROM jobs"))
            ]
    finally:
        engine.dispose()


def _sqlite_files(database: Database) -> list[Path]:
    path = Path(database.url.removeprefix("sqlite:///"))
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


async def test_a_picked_release_link_is_sealed_at_rest_and_still_fetched(
    downloads_service, database: Database, swarm: Swarm, offer
):
    seeded = swarm.seed("Tears.of.Steel.2012.720p.WEB-DL.x264-NILU", MiB, single_file=True)
    downloads_service.peers.add_title(TEARS, "Tears of Steel", 2012, releases=[])
    with TorznabServer(
        [TorznabItem(seeded.name, seeded.size, torrent=seeded.torrent)], api_key=KEY
    ) as indexer:
        link = indexer.download_url(0)
        assert KEY in link  # as Jackett and Prowlarr give them
        picked = offer(seeded, magnet=False, torrent_url=link)
        async with downloads_service.running():
            job = await downloads_service.call(
                downloads.CREATE, CreateDownload(tmdb_id=TEARS, release=picked)
            )
            done = await downloads_service.wait_job(job.id, lambda j: j.state is JobState.COMPLETED)

    assert KEY not in done.model_dump_json()
    ((magnet, url),) = _stored_links(database)
    assert magnet is None and url is not None and KEY not in url
    if database.backend == "sqlite":
        files = _sqlite_files(database)
        assert files, "no database file"
        for path in files:
            assert KEY.encode() not in path.read_bytes(), path
            assert path.stat().st_mode & 0o777 == 0o600, path


async def test_links_stored_in_clear_by_an_older_version_are_sealed_by_the_migration(
    database: Database,
) -> None:
    migrate(database.url, schema=database.schema, migrations=MIGRATIONS, revision="0004")
    torrent_url = f"http://127.0.0.1:9117/dl/x/?jackett_apikey={KEY}&path=abc"
    magnet = "magnet:?xt=urn:btih:" + "b" * 40 + f"&tr=https%3A%2F%2Ft.example%2Fannounce%2F{PASSKEY}"
    job_id = uuid.uuid4()
    async_engine = make_async_engine(database.url, schema=database.schema)
    try:
        # (a Core insert of the columns revision 0004 has: the ORM row would name later columns too)
        async with async_engine.begin() as conn:
            await conn.execute(
                sa.insert(JobRow.__table__).values(
                    id=job_id,
                    tmdb_id=TEARS,
                    media_type="movie",
                    state="queued",
                    release_name="Tears.of.Steel.2012.720p.WEB-DL.x264-NILU",
                    release_torrent_url=torrent_url,
                    release_magnet=magnet,
                )
            )
    finally:
        await async_engine.dispose()
    assert _stored_links(database) == [(magnet, torrent_url)]  # as an older version kept them

    with pytest.raises(RuntimeError, match="no secret box"):
        migrate(database.url, schema=database.schema, migrations=MIGRATIONS)  # never left in clear unnoticed
    box = SecretBox(Fernet.generate_key())
    migrate(database.url, schema=database.schema, migrations=MIGRATIONS, box=box)

    ((sealed_magnet, sealed_url),) = _stored_links(database)
    assert KEY not in sealed_url and PASSKEY not in sealed_magnet
    if database.backend == "sqlite":
        for path in _sqlite_files(database):
            contents = path.read_bytes()
            assert KEY.encode() not in contents and PASSKEY.encode() not in contents, path
    async_engine = make_async_engine(database.url, schema=database.schema)
    try:
        store = JobStore(make_sessionmaker(async_engine), box)
        assert store.release_links(await store.get(job_id)) == (magnet, torrent_url)
    finally:
        await async_engine.dispose()


def test_a_new_sqlite_database_and_its_wal_files_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask, which would make them world-readable
    try:
        url = f"sqlite:///{tmp_path / 'data' / 'downloader.db'}"
        migrate(url, schema="main", migrations=MIGRATIONS)
    finally:
        os.umask(old)
    files = _sqlite_files(Database(url=url, schema="main", backend="sqlite"))
    assert files
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
