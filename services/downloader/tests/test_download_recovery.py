"""What must not lose or repeat a download: a killed process, a dead or switched torrent client, replicas."""

import asyncio
import os
import signal
import sys
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from pydantic import SecretStr

from niluflix.contracts import downloads
from niluflix.contracts.downloads import CreateDownload, JobList, JobRef, JobState, ListDownloads
from niluflix.contracts.settings import TorrentClientKind, TorrentClientSettings
from niluflix.demo.swarm import MiB, Swarm
from niluflix.errors import Unavailable
from niluflix.testing.net import free_port

SINTEL = 45745
STARTED_TO_DONE = [downloads.QUEUED, downloads.STARTED, downloads.COMPLETED]


def client_check(health):
    return next(c for c in health.checks if c.kind == "torrent_client")


async def test_a_killed_service_restarts_into_one_job_one_torrent_one_completion(
    downloads_service, swarm: Swarm, offer, same_files, tmp_path: Path
):
    seeded = swarm.seed("Sintel.2010.1080p.BluRay.x264-NILU", 8 * MiB, upload_limit=256 * 1024)
    downloads_service.peers.add_title(SINTEL, "Sintel", 2010, [offer(seeded)])
    settings = downloads_service.settings
    env = {
        **os.environ,
        "NILUFLIX_NATS_URL": settings.nats_url,
        "NILUFLIX_DATA_DIR": str(settings.data_dir),
        "NILUFLIX_DOWNLOADER_DATABASE_URL": settings.database_url,
        "NILUFLIX_DOWNLOADER_DATABASE_SCHEMA": settings.database_schema,
        "NILUFLIX_DOWNLOADER_TICK_SECONDS": "0.1",
        "NILUFLIX_DOWNLOADER_LEASE_BUCKET": settings.lease_bucket,
        "NILUFLIX_DOWNLOADER_LEASE_TTL": "1",
    }
    log = tmp_path / "downloader.log"

    async def start() -> asyncio.subprocess.Process:
        with log.open("ab") as out:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "downloader", env=env, stdout=out, stderr=out
            )
        for _ in range(300):
            try:
                await downloads_service.call(downloads.LIST, ListDownloads(), JobList, timeout=1)
                return proc
            except Unavailable:
                assert proc.returncode is None, log.read_text()
                await asyncio.sleep(0.05)
        pytest.fail(f"the downloader did not answer: {log.read_text()}")

    proc = await start()
    try:
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))
        before = await downloads_service.wait_job(
            job.id, lambda j: j.state is JobState.DOWNLOADING and j.downloaded > 0
        )
        proc.send_signal(signal.SIGKILL)  # no shutdown code runs, as in a crash
        await proc.wait()
        assert before.progress < 1.0

        swarm.seeder.set_upload_limit(seeded.info_hash, 0)
        proc = await start()
        done = await downloads_service.wait_job(job.id, lambda j: j.state is JobState.COMPLETED)
        await downloads_service.wait_events(job.id, lambda s: s == STARTED_TO_DONE)
        listed = await downloads_service.call(downloads.LIST, ListDownloads(), JobList)
    finally:
        if proc.returncode is None:
            proc.terminate()
            await proc.wait()

    assert [j.id for j in listed.jobs] == [job.id]
    assert done.info_hash == seeded.info_hash
    same_files(seeded, settings.downloads_dir / "movies")
    # The embedded engine keeps one resume file per torrent it holds.
    resume_files = sorted(p.name for p in (settings.client_data_dir / "embedded").glob("*.resume"))
    assert resume_files == [f"{seeded.info_hash}.resume"]
    assert [s for s, _ in await downloads_service.events(job.id)] == STARTED_TO_DONE


async def test_a_dead_torrent_client_keeps_jobs_until_a_working_one_is_set(
    downloads_service, swarm: Swarm, offer
):
    seeded = swarm.seed("Sintel.2010.720p.WEB-DL.x264-NILU", 2 * MiB)
    downloads_service.peers.add_title(SINTEL, "Sintel", 2010, [offer(seeded)])
    dead = f"http://127.0.0.1:{free_port()}/transmission/rpc"
    await downloads_service.configure(
        torrent_client=TorrentClientSettings(kind=TorrentClientKind.TRANSMISSION, url=dead)
    )

    async with downloads_service.running():
        health = await downloads_service.wait_health(
            lambda h: not client_check(h).ok and "Error" in client_check(h).detail
        )
        assert not health.ok
        assert client_check(health).name == "transmission"
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))
        still = await downloads_service.call(downloads.GET, JobRef(job_id=job.id))
        assert still.state is JobState.QUEUED

        await downloads_service.configure()  # the user switches to the built-in engine
        await downloads_service.wait_job(job.id, lambda j: j.state is JobState.COMPLETED)
        health = await downloads_service.wait_health(lambda h: h.ok)
        assert client_check(health).name == "embedded"
    await downloads_service.wait_events(job.id, lambda s: s == STARTED_TO_DONE)


async def test_a_new_torrent_client_setting_applies_without_restart(downloads_service, transmission):
    async with downloads_service.running():
        await downloads_service.wait_health(lambda h: client_check(h).name == "embedded" and h.ok)

        await downloads_service.configure(
            torrent_client=TorrentClientSettings(
                kind=TorrentClientKind.TRANSMISSION,
                url=transmission.url,
                username=transmission.username,
                password=SecretStr(transmission.password) if transmission.password else None,
            )
        )
        health = await downloads_service.wait_health(
            lambda h: client_check(h).name == "transmission" and h.ok
        )
        assert transmission.url in client_check(health).detail


async def test_one_replica_ticks_and_another_takes_over_when_it_stops(downloads_service, swarm: Swarm, offer):
    first_release = swarm.seed("Sintel.2010.720p.WEB-DL.x264-NILU", MiB)
    second_release = swarm.seed("Tears.of.Steel.2012.720p.WEB-DL.x264-NILU", MiB)
    downloads_service.peers.add_title(SINTEL, "Sintel", 2010, [offer(first_release)])
    downloads_service.peers.add_title(SINTEL + 1, "Tears of Steel", 2012, [offer(second_release)])

    async with AsyncExitStack() as stack:
        a = await stack.enter_async_context(downloads_service.running(replica_id="a"))
        engine_a = a.context.get("engine")
        while not engine_a.leader:
            await asyncio.sleep(0.05)
        b_stack = AsyncExitStack()
        b = await b_stack.enter_async_context(downloads_service.running(replica_id="b"))
        engine_b = b.context.get("engine")
        try:
            job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))
            await downloads_service.wait_job(job.id, lambda j: j.state is JobState.COMPLETED)
            assert engine_a.leader and not engine_b.leader
            assert b.context.get("health").slot.client is None  # the standby runs no torrent client

            await stack.aclose()  # replica a stops and hands the lease over
            second = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL + 1))
            await downloads_service.wait_job(second.id, lambda j: j.state is JobState.COMPLETED)
            assert engine_b.leader
        finally:
            await b_stack.aclose()
    for j in (job, second):
        await downloads_service.wait_events(j.id, lambda s: s == STARTED_TO_DONE)
