"""Downloads: the queue, the history, live progress, and pause / resume / cancel."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Path

from gateway.api.models import JobProgressView, ProgressView
from gateway.api.problems import doc
from gateway.deps import GatewayState, StateDep
from niluflix.contracts import downloads
from niluflix.contracts.downloads import (
    Job,
    JobList,
    JobRef,
    JobState,
    ListDownloads,
    ProgressTick,
)

router = APIRouter(prefix="/api/downloads", tags=["downloads"], responses=doc(502, 503))

ACTIVE = [JobState.QUEUED, JobState.DOWNLOADING, JobState.PAUSED]
FINISHED = [JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED]
JobId = Annotated[UUID, Path(description="The download job's id")]
# What a tick knows of a job: the fields it may hold newer than the job's row.
LIVE_FIELDS = {"state", "progress", "downloaded", "size", "speed_bps", "eta_seconds", "peers"}


def with_live_progress(jobs: list[Job], tick: ProgressTick | None) -> list[Job]:
    """Each job with the newest of its tick entry and its own row (a job paused after the tick keeps its row)."""
    if tick is None:
        return jobs
    ticked = {p.job_id: p for p in tick.jobs}
    merged = []
    for job in jobs:
        progress = ticked.get(job.id)
        if progress is None or job.updated_at > tick.at:
            merged.append(job)
            continue
        live = progress.model_dump(include=LIVE_FIELDS)
        if live["size"] is None:
            del live["size"]  # a tick that does not know the size yet must not hide the one the row has
        merged.append(job.model_copy(update=live))
    return merged


@router.get("/active", response_model=JobList)
async def active(state: StateDep) -> JobList:
    jobs = await state.call(downloads.LIST, ListDownloads(states=ACTIVE), JobList)
    # The newest tick is already in memory: the queue shows live numbers without a second request.
    return JobList(jobs=with_live_progress(jobs.jobs, state.hub.latest_tick))


@router.get("/history", response_model=JobList)
async def history(state: StateDep) -> JobList:
    return await state.call(downloads.LIST, ListDownloads(states=FINISHED), JobList)


def progress_view(jobs: list[Job], tick: ProgressTick | None) -> ProgressView:
    """Each active job's live numbers with its title, so a job with no tick yet shows too."""
    views = [
        JobProgressView(
            job_id=job.id,
            **job.model_dump(include=LIVE_FIELDS | {"tmdb_id", "title", "year", "release_name"}),
        )
        for job in with_live_progress(jobs, tick)
    ]
    return ProgressView(at=tick.at if tick else None, jobs=views)


@router.get("/progress", response_model=ProgressView)
async def progress(state: StateDep) -> ProgressView:
    jobs = await state.call(downloads.LIST, ListDownloads(states=ACTIVE), JobList)
    return progress_view(jobs.jobs, state.hub.latest_tick)


@router.get("/{job_id}", response_model=Job, responses=doc(404))
async def get_job(state: StateDep, job_id: JobId) -> Job:
    return await state.call(downloads.GET, JobRef(job_id=job_id), Job)


@router.delete("/{job_id}", response_model=Job, responses=doc(404, 409))
async def cancel(state: StateDep, job_id: JobId) -> Job:
    return await change_job(state, "cancel", job_id)


@router.post("/{job_id}/pause", response_model=Job, responses=doc(404, 409))
async def pause(state: StateDep, job_id: JobId) -> Job:
    return await change_job(state, "pause", job_id)


@router.post("/{job_id}/resume", response_model=Job, responses=doc(404, 409))
async def resume(state: StateDep, job_id: JobId) -> Job:
    return await change_job(state, "resume", job_id)


JobChange = Literal["cancel", "pause", "resume"]
CHANGE_SUBJECTS: dict[str, str] = {
    "cancel": downloads.CANCEL,
    "pause": downloads.PAUSE,
    "resume": downloads.RESUME,
}


async def change_job(state: GatewayState, change: JobChange, job_id: UUID) -> Job:
    """Pause, resume or cancel a download, here or from a phone (remote/commands.py)."""
    return await state.call(CHANGE_SUBJECTS[change], JobRef(job_id=job_id), Job)
