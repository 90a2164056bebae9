"""Download endpoints against a stand-in downloader, and progress merged from ticks and jobs."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import httpx

from niluflix.contracts import downloads
from niluflix.contracts.downloads import (
    Job,
    JobList,
    JobProgress,
    JobRef,
    JobState,
    ListDownloads,
    ProgressTick,
)
from niluflix.errors import Conflict, NotFound
from niluflix.messaging import rpc_queue


class Downloader:
    """A downloader holding jobs in memory, answering the downloads.v1 subjects."""

    def __init__(self, peers, jobs: list[Job]) -> None:
        self.jobs = {j.id: j for j in jobs}
        self.asked_states: list[list[JobState] | None] = []
        queue = rpc_queue("downloader")

        @peers.router.subscriber(downloads.LIST, queue=queue)
        async def list_jobs(req: ListDownloads) -> JobList:
            self.asked_states.append(req.states)
            return JobList(
                jobs=[j for j in self.jobs.values() if req.states is None or j.state in req.states]
            )

        @peers.router.subscriber(downloads.GET, queue=queue)
        async def get(req: JobRef) -> Job:
            return self._job(req.job_id)

        @peers.router.subscriber(downloads.PAUSE, queue=queue)
        async def pause(req: JobRef) -> Job:
            return self._move(req.job_id, JobState.PAUSED)

        @peers.router.subscriber(downloads.RESUME, queue=queue)
        async def resume(req: JobRef) -> Job:
            return self._move(req.job_id, JobState.DOWNLOADING)

        @peers.router.subscriber(downloads.CANCEL, queue=queue)
        async def cancel(req: JobRef) -> Job:
            return self._move(req.job_id, JobState.CANCELLED)

    def _job(self, job_id: UUID) -> Job:
        if job_id not in self.jobs:
            raise NotFound(f"no download job {job_id}")
        return self.jobs[job_id]

    def _move(self, job_id: UUID, state: JobState) -> Job:
        job = self._job(job_id)
        if not job.state.active:
            raise Conflict(f"job {job_id} is {job.state}")
        self.jobs[job_id] = job = job.model_copy(update={"state": state})
        return job


async def test_active_history_and_job_commands(peers, client: httpx.AsyncClient, make_job) -> None:
    running = make_job(JobState.DOWNLOADING, progress=0.4)
    queued = make_job(JobState.QUEUED)
    done = make_job(JobState.COMPLETED, progress=1.0)
    failed = make_job(JobState.FAILED, error="no seeders")
    downloader = Downloader(peers, [running, queued, done, failed])
    await peers.start()

    active = (await client.get("/api/downloads/active")).json()["jobs"]
    assert {j["id"] for j in active} == {str(running.id), str(queued.id)}
    history = (await client.get("/api/downloads/history")).json()["jobs"]
    assert {j["id"] for j in history} == {str(done.id), str(failed.id)}
    assert set(downloader.asked_states[0]) == {JobState.QUEUED, JobState.DOWNLOADING, JobState.PAUSED}

    r = await client.get(f"/api/downloads/{running.id}")
    assert r.status_code == 200 and r.json()["progress"] == 0.4

    r = await client.post(f"/api/downloads/{running.id}/pause")
    assert r.status_code == 200 and r.json()["state"] == "paused"
    r = await client.post(f"/api/downloads/{running.id}/resume")
    assert r.json()["state"] == "downloading"
    r = await client.delete(f"/api/downloads/{queued.id}")
    assert r.status_code == 200 and r.json()["state"] == "cancelled"

    r = await client.post(f"/api/downloads/{done.id}/pause")
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    missing = uuid4()
    r = await client.get(f"/api/downloads/{missing}")
    assert r.status_code == 404 and r.json()["detail"] == f"no download job {missing}"


async def test_progress_merges_the_latest_tick_with_active_jobs(
    peers, client: httpx.AsyncClient, make_job
) -> None:
    earlier = datetime.now(UTC) - timedelta(minutes=1)
    ticking = make_job(
        JobState.DOWNLOADING, progress=0.1, updated_at=earlier, release_name="Sintel.2010.1080p"
    )
    waiting = make_job(JobState.QUEUED, updated_at=earlier)
    Downloader(peers, [ticking, waiting])
    await peers.start()

    r = await client.get("/api/downloads/progress")
    assert r.status_code == 200
    before = r.json()
    assert before["at"] is None
    assert {j["job_id"]: j["progress"] for j in before["jobs"]} == {
        str(ticking.id): 0.1,
        str(waiting.id): 0.0,
    }

    tick = ProgressTick(
        at=datetime.now(UTC),
        jobs=[
            JobProgress(
                job_id=ticking.id,
                state=JobState.DOWNLOADING,
                progress=0.55,
                downloaded=550,
                size=1000,
                speed_bps=2048,
                eta_seconds=12,
                peers=3,
            )
        ],
    )
    await peers.broker.publish(tick, downloads.PROGRESS)
    view = before
    async with asyncio.timeout(10):
        while view["at"] is None:
            await asyncio.sleep(0.02)
            view = (await client.get("/api/downloads/progress")).json()

    by_id = {j["job_id"]: j for j in view["jobs"]}
    assert by_id[str(ticking.id)]["progress"] == 0.55
    assert by_id[str(ticking.id)]["speed_bps"] == 2048
    assert by_id[str(ticking.id)]["title"] == "Sintel"
    assert by_id[str(ticking.id)]["release_name"] == "Sintel.2010.1080p"
    assert by_id[str(waiting.id)]["state"] == "queued" and by_id[str(waiting.id)]["progress"] == 0.0

    # The queue carries the same live numbers, so a page needs one request, not the queue and the tick.
    active = {j["id"]: j for j in (await client.get("/api/downloads/active")).json()["jobs"]}
    assert (active[str(ticking.id)]["progress"], active[str(ticking.id)]["speed_bps"]) == (0.55, 2048)
    assert active[str(ticking.id)]["created_at"] is not None
    assert (active[str(waiting.id)]["state"], active[str(waiting.id)]["progress"]) == ("queued", 0.0)


async def test_progress_without_a_downloader_is_503(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/downloads/progress")
    assert r.status_code == 503 and r.json()["code"] == "unavailable"
