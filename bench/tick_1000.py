"""Tracking 1,000 active torrents: one downloader tick against the one status query it makes.

Real parts: the embedded libtorrent engine holding 1,000 torrents (magnets nobody seeds, so they stay
active), 1,000 downloading jobs in the downloader's own SQLite database, NATS for the progress tick.
The baseline is `list_all()` alone, measured in the same run; the tick is the downloader's whole
`DownloadEngine.tick()` (the query, matching every job, writing what changed, publishing the tick).

Nobody seeds these torrents, so from one tick to the next nothing changes and the tick writes no row.
A second figure is the tick when every job's progress changed, as with 1,000 torrents that all move:
before each of those ticks every row is set to a stale progress, so the tick writes all 1,000.
"""

import asyncio
import hashlib
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from downloader.clients.autoconfig import ClientChoice
from downloader.clients.base import TorrentSource
from downloader.clients.embedded import EmbeddedClient
from downloader.jobs.client_slot import ClientSlot
from downloader.jobs.engine import DownloadEngine
from downloader.jobs.releases import ReleaseFinder
from downloader.jobs.store import JobStore, ProgressUpdate
from downloader.main import MIGRATIONS
from downloader.settings import DownloaderSettings

from niluflix.contracts.downloads import CreateDownload
from niluflix.contracts.search import Release
from niluflix.db import make_async_engine, make_sessionmaker, migrate
from niluflix.messaging import make_broker
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings
from niluflix.testing.nats_server import embedded_nats

TORRENTS = 1000
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))


class CountingClient:
    """The real client, counting the status queries a tick makes."""

    def __init__(self, client: EmbeddedClient) -> None:
        self._client = client
        self.list_calls = 0

    def __getattr__(self, name: str):
        return getattr(self._client, name)

    async def list_all(self):
        self.list_calls += 1
        return await self._client.list_all()


async def measure(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    await fn()
    return time.perf_counter() - wall, time.process_time() - cpu


async def run(tmp: Path, nats_url: str) -> None:
    os.environ["NILUFLIX_SECRET_KEY"] = ""
    settings = DownloaderSettings(
        nats_url=nats_url,
        data_dir=tmp / "data",
        database_url=f"sqlite:///{tmp / 'downloader.db'}",
        stall_timeout=3600,
    )
    await asyncio.to_thread(migrate, settings.database_url, schema="main", migrations=MIGRATIONS)
    db = make_async_engine(settings.database_url, schema="main")
    box = SecretBox.from_env_or_file(settings.data_dir)
    store = JobStore(make_sessionmaker(db), box)
    embedded = EmbeddedClient(tmp / "embedded")
    await embedded.start()
    client = CountingClient(embedded)
    broker = make_broker(nats_url, name="bench")
    await broker.connect()
    live = LiveSettings(broker.connection.jetstream(), box)
    await live.start()
    try:
        print(f"adding {TORRENTS} torrents and jobs...", flush=True)
        save_dir = tmp / "downloads"
        job_ids = []
        for i in range(TORRENTS):
            info_hash = hashlib.sha1(f"niluflix-bench-{i}".encode()).hexdigest()
            magnet = f"magnet:?xt=urn:btih:{info_hash}&dn=Movie.{i}.2010.1080p.BluRay.x264-NILU"
            await embedded.add(TorrentSource(magnet_uri=magnet), save_dir)
            job = await store.create(CreateDownload(tmdb_id=100_000 + i))
            await store.choose_release(
                job.id,
                Release(
                    name=f"Movie.{i}.2010.1080p.BluRay.x264-NILU",
                    indexer="bench",
                    magnet_uri=magnet,
                    info_hash=info_hash,
                ),
            )
            await store.mark_added(job.id, info_hash, str(save_dir))
            job_ids.append(job.id)

        async def choose(_settings):
            return ClientChoice(client=client, kind="embedded", reason="benchmark")

        async with httpx.AsyncClient() as http:
            engine = DownloadEngine(
                settings=settings,
                store=store,
                live=live,
                slot=ClientSlot(choose),
                finder=ReleaseFinder(broker, timeout=5, search_timeout=5),
                http=http,
                broker=broker,
            )
            assert len(await embedded.list_all()) == TORRENTS
            await engine.tick()  # warm: first sight of every torrent
            queries, ticks = [], []
            for _ in range(ROUNDS):
                queries.append(await measure(embedded.list_all))
                before = client.list_calls
                ticks.append(await measure(engine.tick))
                assert client.list_calls - before == 1, "a tick must make exactly one status query"
            stale = [
                ProgressUpdate(
                    job_id=job_id,
                    progress=0.0,
                    size=None,
                    downloaded=-1,
                    speed_bps=0,
                    eta_seconds=None,
                    peers=0,
                )
                for job_id in job_ids
            ]
            writes = []
            for _ in range(ROUNDS):
                await store.apply_progress(stale)
                writes.append(await measure(engine.tick))
                assert all(j.downloaded >= 0 for j in await store.active_jobs()), "a row was not written"
        q_wall, q_cpu = (statistics.median(x) for x in zip(*queries))
        t_wall, t_cpu = (statistics.median(x) for x in zip(*ticks))
        w_wall, w_cpu = (statistics.median(x) for x in zip(*writes))
        print(f"{TORRENTS} active torrents, embedded engine, {ROUNDS} rounds (medians):")
        print("status queries per tick: 1")
        print(f"the one status query alone: {q_wall * 1000:.1f} ms wall, {q_cpu * 1000:.1f} ms CPU")
        print(f"one whole tick:             {t_wall * 1000:.1f} ms wall, {t_cpu * 1000:.1f} ms CPU")
        print(f"tick / query: {t_cpu / q_cpu:.2f}x CPU, {t_wall / q_wall:.2f}x wall")
        print(f"a tick writing all {TORRENTS} rows: {w_wall * 1000:.1f} ms wall, {w_cpu * 1000:.1f} ms CPU")
        print(f"that tick / query: {w_cpu / q_cpu:.2f}x CPU, {w_wall / q_wall:.2f}x wall")
    finally:
        await live.stop()
        await broker.stop()
        await embedded.close()
        await db.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="niluflix-bench-") as tmp, embedded_nats() as nats_url:
        asyncio.run(run(Path(tmp), nats_url))


if __name__ == "__main__":
    main()
