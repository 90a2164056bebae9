"""Whole downloads with the embedded engine and the loopback swarm: from a request to files on disk.

Catalog and search are real NATS responders fed by the test; the torrent really moves over the peer
wire protocol; events are read back from the DOWNLOAD_EVENTS stream.
"""

import asyncio
import logging
from pathlib import Path

from downloader.tables import OutboxRow
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from niluflix.contracts import downloads
from niluflix.contracts.common import ErrorCode
from niluflix.contracts.downloads import CreateDownload, JobList, JobRef, JobState, ListDownloads
from niluflix.db import make_async_engine
from niluflix.demo.swarm import MiB, Swarm
from niluflix.demo.torznab import TorznabItem, TorznabServer

SINTEL, TEARS, BUNNY, ELEPHANTS = 45745, 133701, 10378, 9761
STARTED_TO_DONE = [downloads.QUEUED, downloads.STARTED, downloads.COMPLETED]


def is_state(state: JobState):
    return lambda job: job.state is state


def movies_dir(service) -> Path:
    return service.settings.downloads_dir / "movies"


async def test_a_download_goes_from_queued_to_completed_with_its_files(
    downloads_service, swarm: Swarm, offer, same_files
):
    seeded = swarm.seed("Sintel.2010.1080p.BluRay.x264-NILU", 3 * MiB, sample_size=MiB // 4, nfo=True)
    downloads_service.peers.add_title(SINTEL, "Sintel", 2010, [offer(seeded)])

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))
        done = await downloads_service.wait_job(job.id, is_state(JobState.COMPLETED))
        events = await downloads_service.wait_events(job.id, lambda s: s == STARTED_TO_DONE)

        refused = await downloads_service.refused(downloads.CANCEL, JobRef(job_id=job.id))
        assert refused.code is ErrorCode.CONFLICT

    assert (done.title, done.year, done.release_name) == ("Sintel", 2010, seeded.name)
    assert done.info_hash == seeded.info_hash
    assert (done.progress, done.size, done.downloaded) == (1.0, seeded.size, seeded.size)
    assert done.completed_at is not None

    started, completed = events[1][1], events[2][1]
    assert started["job"]["state"] == "downloading"
    assert completed["job"]["state"] == "completed"
    # What the organizer files it by, so it never asks catalog again.
    assert completed["facts"] == {
        "title": "Sintel",
        "year": 2010,
        "imdb_id": "tt0045745",
        "tvdb_id": None,
        "episodes": [],
    }
    save_dir = movies_dir(downloads_service)
    assert completed["content_path"] == str(save_dir / seeded.name)
    files = sorted((f["path"], f["size"]) for f in completed["files"])
    assert files == sorted((str(save_dir / f.path), f.size) for f in seeded.files)
    same_files(seeded, save_dir)

    ticks = [p for tick in downloads_service.progress for p in tick.jobs if p.job_id == job.id]
    assert ticks, "no progress tick mentioned the job"
    assert {p.state for p in ticks} <= {JobState.QUEUED, JobState.DOWNLOADING}


async def test_a_release_the_user_picked_is_fetched_by_its_torrent_url(
    downloads_service, swarm: Swarm, offer, same_files
):
    seeded = swarm.seed("Tears.of.Steel.2012.720p.WEB-DL.x264-NILU", 2 * MiB, single_file=True)
    downloads_service.peers.add_title(TEARS, "Tears of Steel", 2012, releases=[])  # search offers nothing
    with TorznabServer([TorznabItem(seeded.name, seeded.size, torrent=seeded.torrent)]) as indexer:
        picked = offer(seeded, magnet=False, torrent_url=indexer.download_url(0))
        async with downloads_service.running():
            job = await downloads_service.call(
                downloads.CREATE, CreateDownload(tmdb_id=TEARS, release=picked)
            )
            assert job.release_name == seeded.name
            done = await downloads_service.wait_job(job.id, is_state(JobState.COMPLETED))

    assert done.title == "Tears of Steel"
    same_files(seeded, movies_dir(downloads_service))


async def test_a_release_with_both_links_is_added_by_its_torrent_file(
    downloads_service, swarm: Swarm, offer, same_files, httpserver: HTTPServer
):
    seeded = swarm.seed("Tears.of.Steel.2012.720p.WEB-DL.x264-NILU", 2 * MiB, single_file=True)
    # The magnet names a torrent nobody seeds: only the .torrent file can bring the files.
    unseeded = swarm.create("Tears.of.Steel.2012.720p.WEB-DL.x264-GONE", MiB)
    httpserver.expect_request("/download/1").respond_with_data(
        seeded.torrent, content_type="application/x-bittorrent"
    )
    release = offer(seeded, torrent_url=httpserver.url_for("/download/1"))
    release.magnet_uri = unseeded.magnet
    downloads_service.peers.add_title(TEARS, "Tears of Steel", 2012, [release])
    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=TEARS))
        done = await downloads_service.wait_job(job.id, is_state(JobState.COMPLETED))

    assert done.info_hash == seeded.info_hash
    assert len(httpserver.log) == 1
    same_files(seeded, movies_dir(downloads_service))


async def test_a_torrent_file_the_indexer_refuses_falls_back_to_the_magnet(
    downloads_service, swarm: Swarm, offer, same_files, httpserver: HTTPServer, caplog
):
    caplog.set_level(logging.INFO)
    seeded = swarm.seed("Tears.of.Steel.2012.1080p.WEB-DL.x264-NILU", 2 * MiB, single_file=True)
    httpserver.expect_request("/download/1").respond_with_data("gone", status=404)
    release = offer(seeded, torrent_url=httpserver.url_for("/download/1?apikey=secret"))
    downloads_service.peers.add_title(TEARS, "Tears of Steel", 2012, [release])
    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=TEARS))
        done = await downloads_service.wait_job(job.id, is_state(JobState.COMPLETED))

    assert done.info_hash == seeded.info_hash
    same_files(seeded, movies_dir(downloads_service))
    assert (
        f"job {job.id} ({seeded.name}): its torrent file could not be used (the indexer refused the torrent "
        "file (HTTP 404)); adding its magnet instead"
    ) in story(caplog)
    assert not [line for line in story(caplog) if "secret" in line]


async def test_a_release_whose_torrent_file_and_magnet_both_fail_says_why(
    downloads_service, swarm: Swarm, offer, httpserver: HTTPServer
):
    seeded = swarm.create("Tears.of.Steel.2012.1080p.WEB-DL.x264-NILU", MiB)
    httpserver.expect_request("/download/1").respond_with_data("busy", status=503)
    release = offer(seeded, torrent_url=httpserver.url_for("/download/1"))
    release.magnet_uri = "magnet:?dn=no-info-hash"
    downloads_service.peers.add_title(TEARS, "Tears of Steel", 2012, [release])
    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=TEARS))
        failed = await downloads_service.wait_job(job.id, is_state(JobState.FAILED))

    assert failed.error.startswith("no other release found for Tears of Steel (2012) after 1 failed: ")
    assert (
        "its torrent file could not be used (the indexer could not serve the torrent file (HTTP 503)), "
        "nor its magnet (" in failed.error
    )


async def test_a_picked_release_started_while_catalog_was_away_completes_with_the_titles_facts(
    downloads_service, swarm: Swarm, offer
):
    seeded = swarm.seed("Tears.of.Steel.2012.720p.WEB-DL.x264-NILU", MiB, single_file=True)
    peers = downloads_service.peers
    peers.add_title(TEARS, "Tears of Steel", 2012, releases=[])
    peers.catalog_fails[TEARS] = 2  # away when the job is asked for and starts, back when it completes
    async with downloads_service.running():
        job = await downloads_service.call(
            downloads.CREATE, CreateDownload(tmdb_id=TEARS, release=offer(seeded))
        )
        done = await downloads_service.wait_job(job.id, is_state(JobState.COMPLETED))
        events = await downloads_service.wait_events(job.id, lambda s: s == STARTED_TO_DONE)

    assert peers.details_asked == [TEARS, TEARS, TEARS]
    assert events[1][1]["job"]["title"] == ""  # started without its title
    assert events[2][1]["facts"] == {
        "title": "Tears of Steel",
        "year": 2012,
        "imdb_id": "tt0133701",
        "tvdb_id": None,
        "episodes": [],
    }
    assert (done.title, done.year) == ("Tears of Steel", 2012)


async def test_jobs_start_in_priority_order_under_the_concurrency_limit(
    downloads_service, swarm: Swarm, offer
):
    await downloads_service.configure(max_concurrent_downloads=1)
    peers = downloads_service.peers
    for tmdb_id, name in (
        (BUNNY, "Big.Buck.Bunny.2008"),
        (ELEPHANTS, "Elephants.Dream.2006"),
        (TEARS, "Tears.of.Steel.2012"),
    ):
        seeded = swarm.seed(f"{name}.720p.WEB-DL.x264-NILU", MiB, single_file=True)
        peers.add_title(tmdb_id, name.replace(".", " ")[:-5], int(name[-4:]), [offer(seeded)])
    peers.hold = asyncio.Event()

    async with downloads_service.running():
        first = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=BUNNY, priority=0))
        # It holds the only slot while catalog answers.
        await downloads_service.wait_job(first.id, lambda j: j.waiting_for == "looking for a release")
        low = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=ELEPHANTS, priority=1))
        high = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=TEARS, priority=9))
        waiting = await downloads_service.call(
            downloads.LIST, ListDownloads(states=[JobState.QUEUED]), JobList
        )
        assert {j.id for j in waiting.jobs} == {first.id, low.id, high.id}
        for job in (low, high):
            slot = "waiting for a free download slot"
            await downloads_service.wait_job(job.id, lambda j, slot=slot: j.waiting_for == slot, timeout=10)
        assert not peers.searches

        peers.hold.set()
        for job in (first, low, high):
            await downloads_service.wait_job(job.id, is_state(JobState.COMPLETED))

    timeline = []
    for job in (first, low, high):
        for seq, subject, _ in await downloads_service.stream_events(job.id):
            if subject in (downloads.STARTED, downloads.COMPLETED):
                timeline.append((seq, subject.rsplit(".", 1)[1], job.id))
    order = [(what, job_id) for _, what, job_id in sorted(timeline)]
    assert order == [
        ("started", first.id),
        ("completed", first.id),
        ("started", high.id),
        ("completed", high.id),
        ("started", low.id),
        ("completed", low.id),
    ]
    for tick in downloads_service.progress:
        assert sum(p.state is JobState.DOWNLOADING for p in tick.jobs) <= 1


async def test_progress_ticks_drop_a_job_from_the_tick_that_completes_it(
    downloads_service, swarm: Swarm, offer
):
    await downloads_service.configure(max_concurrent_downloads=1)
    peers = downloads_service.peers
    first = swarm.seed("Big.Buck.Bunny.2008.720p.WEB-DL.x264-NILU", MiB, single_file=True)
    second = swarm.seed(
        "Elephants.Dream.2006.720p.WEB-DL.x264-NILU", MiB, single_file=True, upload_limit=512 * 1024
    )
    peers.add_title(BUNNY, "Big Buck Bunny", 2008, [offer(first)])
    peers.add_title(ELEPHANTS, "Elephants Dream", 2006, [offer(second)])

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=BUNNY))
        waiting = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=ELEPHANTS))
        done = await downloads_service.wait_job(job.id, is_state(JobState.COMPLETED))
        await downloads_service.wait_job(waiting.id, is_state(JobState.COMPLETED))

    ticks = list(downloads_service.progress)
    after = [tick for tick in ticks if tick.at >= done.completed_at]
    assert after, "no progress tick after the first job completed"
    # The tick that completed it is published after it completed: no tick from then on shows it.
    assert all(job.id not in {p.job_id for p in tick.jobs} for tick in after)
    shown = [p for tick in ticks for p in tick.jobs if p.job_id == job.id]
    assert shown and {p.state for p in shown} <= {JobState.QUEUED, JobState.DOWNLOADING}
    assert any(
        p.job_id == waiting.id and p.state is JobState.DOWNLOADING for tick in after for p in tick.jobs
    )


async def test_every_running_job_has_its_progress_written_and_published(
    downloads_service, swarm: Swarm, offer
):
    peers = downloads_service.peers
    titles = {BUNNY: "Big.Buck.Bunny.2008", ELEPHANTS: "Elephants.Dream.2006", TEARS: "Tears.of.Steel.2012"}
    sizes = {}
    for tmdb_id, name in titles.items():
        seeded = swarm.seed(
            f"{name}.1080p.BluRay.x264-NILU", 8 * MiB, single_file=True, upload_limit=128 * 1024
        )
        peers.add_title(tmdb_id, name.replace(".", " ")[:-5], int(name[-4:]), [offer(seeded)])
        sizes[tmdb_id] = seeded.size

    def moving(job) -> bool:
        return job.state is JobState.DOWNLOADING and job.downloaded > 0

    async with downloads_service.running():
        jobs = [await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=t)) for t in titles]
        for job in jobs:
            await downloads_service.wait_job(job.id, moving)
        # All three download at once: two ticks on, each one's row and the latest tick show its bytes.
        seen = len(downloads_service.progress)
        while len(downloads_service.progress) < seen + 2:
            await asyncio.sleep(0.05)
        listed = await downloads_service.call(downloads.LIST, ListDownloads(), JobList)
        tick = downloads_service.progress[-1]
        for job in jobs:
            await downloads_service.call(downloads.CANCEL, JobRef(job_id=job.id))

    rows = {j.id: j for j in listed.jobs}
    published = {p.job_id: p for p in tick.jobs}
    for job in jobs:
        assert moving(rows[job.id]), rows[job.id]
        assert published[job.id].state is JobState.DOWNLOADING
        assert 0 < published[job.id].downloaded < published[job.id].size == sizes[job.tmdb_id]


def story(caplog) -> list[str]:
    """The downloader's log at INFO, as `niluflix logs downloader` shows it."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("downloader") and r.levelno >= logging.INFO
    ]


async def test_pause_holds_a_download_and_resume_finishes_it(
    downloads_service, swarm: Swarm, offer, same_files, caplog
):
    caplog.set_level(logging.INFO)
    seeded = swarm.seed(
        "Big.Buck.Bunny.2008.1080p.BluRay.x264-NILU", 8 * MiB, single_file=True, upload_limit=256 * 1024
    )
    worse = swarm.seed("Big.Buck.Bunny.2008.720p.WEB-DL.x264-NILU", MiB, single_file=True)
    downloads_service.peers.add_title(BUNNY, "Big Buck Bunny", 2008, [offer(seeded), offer(worse)])

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=BUNNY))
        await downloads_service.wait_job(
            job.id, lambda j: j.state is JobState.DOWNLOADING and j.downloaded > 0
        )

        paused = await downloads_service.call(downloads.PAUSE, JobRef(job_id=job.id))
        assert paused.state is JobState.PAUSED
        held = await downloads_service.wait_job(job.id, lambda j: j.speed_bps == 0)
        assert held.state is JobState.PAUSED and held.progress < 1.0

        swarm.seeder.set_upload_limit(seeded.info_hash, 0)
        resumed = await downloads_service.call(downloads.RESUME, JobRef(job_id=job.id))
        assert resumed.state is JobState.DOWNLOADING
        await downloads_service.wait_job(job.id, is_state(JobState.COMPLETED))
        await downloads_service.wait_events(job.id, lambda s: s == STARTED_TO_DONE)

    same_files(seeded, movies_dir(downloads_service))
    # Each action of the user once, in words, and the pick with its reason.
    lines = story(caplog)
    said = [line for line in lines if str(job.id) in line or line.startswith("picked ")]
    assert said[0] == f"download of TMDB movie {BUNNY} asked for (job {job.id}): the best release"
    assert said.count(f"paused the download of Big Buck Bunny (2008) (job {job.id})") == 1
    assert said.count(f"resumed the download of Big Buck Bunny (2008) (job {job.id})") == 1
    picks = [line for line in lines if line.startswith("picked ")]
    assert len(picks) == 1 and picks[0].startswith(
        f"picked {seeded.name} for Big Buck Bunny (2008): the best of 2 accepted releases ("
    ), picks
    assert not [line for line in lines if "Received" in line or "Processed" in line]


async def test_cancel_removes_the_torrent_and_its_partial_data(
    downloads_service, swarm: Swarm, offer, caplog
):
    caplog.set_level(logging.INFO)
    seeded = swarm.seed("Elephants.Dream.2006.1080p.BluRay.x264-NILU", 8 * MiB, upload_limit=256 * 1024)
    downloads_service.peers.add_title(ELEPHANTS, "Elephants Dream", 2006, [offer(seeded)])
    partial = movies_dir(downloads_service) / seeded.name

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=ELEPHANTS))
        await downloads_service.wait_job(
            job.id, lambda j: j.state is JobState.DOWNLOADING and j.downloaded > 0
        )
        assert partial.exists()

        cancelled = await downloads_service.call(downloads.CANCEL, JobRef(job_id=job.id))

        assert cancelled.state is JobState.CANCELLED
        assert not partial.exists()
        await downloads_service.wait_events(
            job.id, lambda s: s == [downloads.QUEUED, downloads.STARTED, downloads.CANCELLED]
        )
        again = await downloads_service.wait_job(job.id, lambda j: True)
        assert again.state is JobState.CANCELLED
    cancelled_line = (
        f"cancelled the download of Elephants Dream (2006) (job {job.id}); its partial data is deleted"
    )
    assert story(caplog).count(cancelled_line) == 1


async def test_a_stalled_release_is_blocklisted_and_the_next_one_downloads(
    downloads_service, swarm: Swarm, offer, same_files
):
    dead = swarm.create("Sintel.2010.2160p.UHD.BluRay.x265-GONE", MiB)  # nobody seeds it
    alive = swarm.seed("Sintel.2010.1080p.BluRay.x264-NILU", 2 * MiB)
    downloads_service.peers.add_title(SINTEL, "Sintel", 2010, [offer(dead), offer(alive)])

    async with downloads_service.running(stall_timeout=1.0):
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))
        done = await downloads_service.wait_job(job.id, is_state(JobState.COMPLETED))
        events = await downloads_service.wait_events(
            job.id,
            lambda s: s == [downloads.QUEUED, downloads.STARTED, downloads.STARTED, downloads.COMPLETED],
        )

    assert done.release_name == alive.name
    assert [e[1]["job"]["release_name"] for e in events[1:3]] == [dead.name, alive.name]
    same_files(alive, movies_dir(downloads_service))
    assert not (movies_dir(downloads_service) / dead.name).exists()


async def test_a_job_fails_after_its_last_attempt_with_the_reason(downloads_service, swarm: Swarm, offer):
    dead = [swarm.create(f"Sintel.2010.{q}.BluRay.x264-GONE", MiB) for q in ("2160p", "1080p", "720p")]
    downloads_service.peers.add_title(SINTEL, "Sintel", 2010, [offer(d) for d in dead])

    async with downloads_service.running(stall_timeout=0.5, max_attempts=2):
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))
        failed = await downloads_service.wait_job(job.id, is_state(JobState.FAILED))
        events = await downloads_service.wait_events(job.id, lambda s: s[-1:] == [downloads.FAILED])

    assert failed.error.startswith("gave up after 2 release(s)")
    assert "no progress for 0.5 s" in failed.error
    assert [s for s, _ in events] == [
        downloads.QUEUED,
        downloads.STARTED,
        downloads.STARTED,
        downloads.FAILED,
    ]
    assert events[-1][1]["reason"] == failed.error


async def test_a_restart_mid_download_finishes_the_job_once(
    downloads_service, swarm: Swarm, offer, same_files
):
    seeded = swarm.seed("Cosmos.Laundromat.2015.1080p.WEB-DL.x264-NILU", 8 * MiB, upload_limit=256 * 1024)
    downloads_service.peers.add_title(SINTEL, "Cosmos Laundromat", 2015, [offer(seeded)])

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))
        before = await downloads_service.wait_job(
            job.id, lambda j: j.state is JobState.DOWNLOADING and j.downloaded > 0
        )
    assert before.progress < 1.0

    swarm.seeder.set_upload_limit(seeded.info_hash, 0)
    async with downloads_service.running() as app:
        done = await downloads_service.wait_job(job.id, is_state(JobState.COMPLETED))
        await downloads_service.wait_events(job.id, lambda s: s == STARTED_TO_DONE)
        torrents = await app.context.get("health").slot.client.list_all()
        listed = await downloads_service.call(downloads.LIST, ListDownloads(), JobList)

    assert [t.info_hash for t in torrents] == [seeded.info_hash]
    assert [j.id for j in listed.jobs] == [job.id]
    assert done.release_name == seeded.name
    same_files(seeded, movies_dir(downloads_service))
    # Once in the outbox, once on the stream, all sent: nothing left to publish again.
    engine = make_async_engine(
        downloads_service.settings.database_url, schema=downloads_service.settings.database_schema
    )
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(OutboxRow.subject, OutboxRow.sent_at).where(OutboxRow.job_id == job.id)
                )
            ).all()
    finally:
        await engine.dispose()
    assert sorted(s for s, _ in rows) == sorted(STARTED_TO_DONE)
    assert all(sent is not None for _, sent in rows)
    assert [s for s, _ in await downloads_service.events(job.id)] == STARTED_TO_DONE


async def test_a_torrent_the_client_lost_is_added_again_from_the_stored_release(
    downloads_service, swarm: Swarm, offer, same_files
):
    seeded = swarm.seed("Cosmos.Laundromat.2015.720p.WEB-DL.x264-NILU", 8 * MiB, upload_limit=256 * 1024)
    downloads_service.peers.add_title(SINTEL, "Cosmos Laundromat", 2015, [offer(seeded)])

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))
        await downloads_service.wait_job(
            job.id, lambda j: j.state is JobState.DOWNLOADING and j.downloaded > 0
        )
    # The client forgets everything it had (a wiped config, another machine's client).
    for resume in (downloads_service.settings.client_data_dir / "embedded").glob("*.resume"):
        resume.unlink()
    downloads_service.peers.releases[SINTEL] = []  # the release must come from the job, not a new search

    swarm.seeder.set_upload_limit(seeded.info_hash, 0)
    async with downloads_service.running():
        done = await downloads_service.wait_job(job.id, is_state(JobState.COMPLETED))
        await downloads_service.wait_events(job.id, lambda s: s == STARTED_TO_DONE)

    assert done.release_name == seeded.name
    same_files(seeded, movies_dir(downloads_service))
