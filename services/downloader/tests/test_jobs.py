"""Download jobs over NATS, as the gateway uses them: create, list, get, pause, resume, cancel, health.

The service runs for real (its lifespan, handlers, tick and outbox) on SQLite and on PostgreSQL; catalog
and search are real NATS responders fed by the test.
"""

import asyncio
import uuid

from downloader.tables import JobRow, OutboxRow
from sqlalchemy import func, select, update

from niluflix.contracts import downloads
from niluflix.contracts.common import ErrorCode
from niluflix.contracts.downloads import CreateDownload, JobList, JobRef, JobState, ListDownloads
from niluflix.db import make_async_engine

SINTEL = 45745


async def count_rows(service) -> int:
    """Rows in the jobs table, read with a connection of our own: what a restart would find."""
    engine = make_async_engine(service.settings.database_url, schema=service.settings.database_schema)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(select(func.count()).select_from(JobRow))).scalar_one()
    finally:
        await engine.dispose()


async def test_create_commits_the_job_before_replying(downloads_service):
    downloads_service.peers.catalog_down.add(SINTEL)
    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL, priority=5))

        assert job.state is JobState.QUEUED
        assert (job.tmdb_id, job.priority) == (SINTEL, 5)
        assert await count_rows(downloads_service) == 1
        fetched = await downloads_service.call(downloads.GET, JobRef(job_id=job.id))
        assert fetched.id == job.id
        events = await downloads_service.wait_events(job.id, lambda s: s == [downloads.QUEUED])
        assert events[0][1]["job"]["state"] == "queued"


async def test_a_title_with_an_active_job_gets_that_job_again(downloads_service):
    downloads_service.peers.catalog_down.add(SINTEL)
    async with downloads_service.running():
        first = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))
        racing = await asyncio.gather(
            *[downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL)) for _ in range(5)]
        )

        assert {j.id for j in racing} == {first.id}
        listed = await downloads_service.call(downloads.LIST, ListDownloads(), JobList)
        assert [j.id for j in listed.jobs] == [first.id]
        # The relay publishes in commit order: once a later job's event is out, every earlier one is.
        downloads_service.peers.catalog_down.add(SINTEL + 1)
        later = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL + 1))
        await downloads_service.wait_events(later.id, lambda s: s == [downloads.QUEUED])
        assert [s for s, _ in await downloads_service.events(first.id)] == [downloads.QUEUED]


async def test_two_replicas_racing_to_create_make_one_job(downloads_service):
    downloads_service.peers.catalog_down.add(SINTEL)
    async with downloads_service.running(replica_id="one"), downloads_service.running(replica_id="two"):
        jobs = await asyncio.gather(
            *[downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL)) for _ in range(10)]
        )

    assert len({j.id for j in jobs}) == 1
    assert await count_rows(downloads_service) == 1


async def test_pause_resume_and_cancel_a_queued_job(downloads_service):
    downloads_service.peers.catalog_down.add(SINTEL)
    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))

        paused = await downloads_service.call(downloads.PAUSE, JobRef(job_id=job.id))
        assert paused.state is JobState.PAUSED
        assert (await downloads_service.call(downloads.PAUSE, JobRef(job_id=job.id))).state is JobState.PAUSED

        resumed = await downloads_service.call(downloads.RESUME, JobRef(job_id=job.id))
        assert resumed.state is JobState.QUEUED  # it never had a torrent: back in the queue

        cancelled = await downloads_service.call(downloads.CANCEL, JobRef(job_id=job.id))
        assert cancelled.state is JobState.CANCELLED
        again = await downloads_service.call(downloads.CANCEL, JobRef(job_id=job.id))
        assert again.state is JobState.CANCELLED

        refused = await downloads_service.refused(downloads.RESUME, JobRef(job_id=job.id))
        assert refused.code is ErrorCode.CONFLICT
        refused = await downloads_service.refused(downloads.PAUSE, JobRef(job_id=job.id))
        assert refused.code is ErrorCode.CONFLICT

        await downloads_service.wait_events(job.id, lambda s: s == [downloads.QUEUED, downloads.CANCELLED])
        # A cancelled title can be asked for again: a new job.
        new = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))
        assert new.id != job.id


async def test_list_filters_by_state(downloads_service):
    for tmdb_id in (1, 2, 3):
        downloads_service.peers.catalog_down.add(tmdb_id)
    async with downloads_service.running():
        a = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=1))
        b = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=2))
        c = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=3))
        await downloads_service.call(downloads.PAUSE, JobRef(job_id=b.id))
        await downloads_service.call(downloads.CANCEL, JobRef(job_id=c.id))

        def ids(listing: JobList) -> set:
            return {j.id for j in listing.jobs}

        everything = await downloads_service.call(downloads.LIST, ListDownloads(), JobList)
        assert ids(everything) == {a.id, b.id, c.id}
        active = ListDownloads(states=[JobState.QUEUED, JobState.PAUSED])
        assert ids(await downloads_service.call(downloads.LIST, active, JobList)) == {a.id, b.id}
        ended = ListDownloads(states=[JobState.CANCELLED])
        assert ids(await downloads_service.call(downloads.LIST, ended, JobList)) == {c.id}


async def test_unknown_job_ids_are_not_found(downloads_service):
    async with downloads_service.running():
        for subject in (downloads.GET, downloads.PAUSE, downloads.RESUME, downloads.CANCEL):
            refused = await downloads_service.refused(subject, JobRef(job_id=uuid.uuid4()))
            assert refused.code is ErrorCode.NOT_FOUND, subject
            assert "no download job" in refused.message


async def test_a_bad_request_is_refused_as_such(downloads_service):
    async with downloads_service.running():
        refused = await downloads_service.refused(downloads.CREATE, JobRef(job_id=uuid.uuid4()))

        assert refused.code is ErrorCode.INVALID_REQUEST
        assert "tmdb_id" in refused.message


async def test_a_title_without_releases_fails_with_a_reason_the_user_reads(downloads_service):
    downloads_service.peers.add_title(SINTEL, "Sintel", 2010, releases=[])
    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))

        failed = await downloads_service.wait_job(job.id, lambda j: j.state is JobState.FAILED)
        assert failed.error == "no release found for Sintel (2010)"
        assert (failed.title, failed.year) == ("Sintel", 2010)
        events = await downloads_service.wait_events(
            job.id, lambda s: s == [downloads.QUEUED, downloads.FAILED]
        )
        assert events[1][1]["reason"] == "no release found for Sintel (2010)"
        refused = await downloads_service.refused(downloads.CANCEL, JobRef(job_id=job.id))
        assert refused.code is ErrorCode.CONFLICT


async def test_the_chosen_profile_and_the_original_language_reach_search(downloads_service):
    parasite = 496243
    downloads_service.peers.add_title(parasite, "Parasite", 2019, releases=[], original_language="ko")
    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=parasite, profile="4K"))
        default = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL + 2))

        assert (job.profile, default.profile) == ("4K", None)
        failed = await downloads_service.wait_job(job.id, lambda j: j.state is JobState.FAILED)
        assert failed.profile == "4K"
        asked = next(q for q in downloads_service.peers.searches if q.tmdb_id == parasite)
        assert (asked.profile, asked.original_language) == ("4K", "ko")
        events = await downloads_service.wait_events(
            job.id, lambda s: s == [downloads.QUEUED, downloads.FAILED]
        )
        assert events[0][1]["job"]["profile"] == "4K"


async def test_an_unknown_title_fails(downloads_service):
    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=999999))

        failed = await downloads_service.wait_job(job.id, lambda j: j.state is JobState.FAILED)
        assert "TMDB has no movie 999999" in failed.error


async def test_catalog_outage_is_waited_out(downloads_service):
    downloads_service.peers.add_title(SINTEL, "Sintel", 2010, releases=[])
    downloads_service.peers.catalog_down.add(SINTEL)
    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))

        waiting = await downloads_service.wait_job(job.id, lambda j: j.error is not None)
        assert waiting.state is JobState.QUEUED
        assert "TMDB does not answer" in waiting.error
        assert "trying again" in waiting.error

        downloads_service.peers.catalog_down.discard(SINTEL)
        failed = await downloads_service.wait_job(job.id, lambda j: j.state is JobState.FAILED)
        assert failed.error == "no release found for Sintel (2010)"
        assert downloads_service.peers.details_asked.count(SINTEL) >= 2


async def test_health_names_the_torrent_client_and_why(downloads_service):
    def runs_the_tick(health) -> bool:
        # Until this replica holds the tick's lease it is a standby, which opens no client to name.
        return health.ok and any(c.kind == "nats" and c.detail == "runs the tick" for c in health.checks)

    async with downloads_service.running():
        health = await downloads_service.wait_health(runs_the_tick)

    checks = {c.kind: c for c in health.checks}
    assert health.service == "downloader"
    assert checks["database"].ok
    assert checks["nats"].ok
    client = checks["torrent_client"]
    assert client.ok
    assert client.name == "embedded"
    assert client.detail  # the auto-configuration's reason, in words


async def test_an_event_published_again_after_a_crash_reaches_the_stream_once(downloads_service):
    downloads_service.peers.catalog_down.update({SINTEL, SINTEL + 1})
    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))
        await downloads_service.wait_events(job.id, lambda s: s == [downloads.QUEUED])

        # What a crash between the PubAck and marking the row sent leaves behind.
        engine = make_async_engine(
            downloads_service.settings.database_url, schema=downloads_service.settings.database_schema
        )
        try:
            async with engine.begin() as conn:
                await conn.execute(update(OutboxRow).where(OutboxRow.job_id == job.id).values(sent_at=None))
        finally:
            await engine.dispose()
        later = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL + 1))
        await downloads_service.wait_events(later.id, lambda s: s == [downloads.QUEUED])

    assert [s for s, _ in await downloads_service.events(job.id)] == [downloads.QUEUED]
    engine = make_async_engine(
        downloads_service.settings.database_url, schema=downloads_service.settings.database_schema
    )
    try:
        async with engine.connect() as conn:
            unsent = (
                await conn.execute(
                    select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
                )
            ).scalar_one()
    finally:
        await engine.dispose()
    assert unsent == 0


async def test_a_create_sent_again_with_its_request_id_answers_the_first_job(downloads_service):
    """A caller that crashed after the job was committed but before it recorded the answer asks again with the
    same key: it gets the first job, even once that job has ended, and no second one is made."""
    downloads_service.peers.catalog_down.add(SINTEL)
    key = uuid.uuid4()
    async with downloads_service.running():
        first = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL, request_id=key))
        await downloads_service.call(downloads.CANCEL, JobRef(job_id=first.id))
        again = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL, request_id=key))
        other = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=SINTEL))

        assert again.id == first.id
        assert again.state is JobState.CANCELLED
        assert other.id != first.id  # another request (no key, or another key) is a request of its own
        assert await count_rows(downloads_service) == 2
