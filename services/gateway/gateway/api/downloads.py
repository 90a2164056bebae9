"""Downloads: the queue, the history, live progress, and pause / resume / cancel."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from gateway.api.models import JobProgressView, ProgressView
from gateway.deps import StateDep
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

router = APIRouter(prefix="/api/downloads", tags=["downloads"])

ACTIVE = [JobState.QUEUED, JobState.DOWNLOADING, JobState.PAUSED]
FINISHED = [JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED]
JobId = Annotated[UUID, Path(description="The download job's id")]


@router.get("/active", response_model=JobList)
async def active(state: StateDep) -> JobList:
    return await state.call(downloads.LIST, ListDownloads(states=ACTIVE), JobList)


@router.get("/history", response_model=JobList)
async def history(state: StateDep) -> JobList:
    return await state.call(downloads.LIST, ListDownloads(states=FINISHED), JobList)


def merge_progress(jobs: list[Job], tick: ProgressTick | None) -> ProgressView:
    """Each active job with the newest of its tick entry and its own row, so a job with no tick yet shows."""
    ticked = {p.job_id: p for p in tick.jobs} if tick else {}
    views = []
    for job in jobs:
        progress = ticked.get(job.id)
        if progress is None or (tick is not None and job.updated_at > tick.at):
            progress = JobProgress(
                job_id=job.id,
                state=job.state,
                progress=job.progress,
                downloaded=job.downloaded,
                size=job.size,
                speed_bps=job.speed_bps,
                eta_seconds=job.eta_seconds,
                peers=job.peers,
            )
        views.append(
            JobProgressView(
                **progress.model_dump(),
                tmdb_id=job.tmdb_id,
                title=job.title,
                year=job.year,
                release_name=job.release_name,
            )
        )
    return ProgressView(at=tick.at if tick else None, jobs=views)


@router.get("/progress", response_model=ProgressView)
async def progress(state: StateDep) -> ProgressView:
    jobs = await state.call(downloads.LIST, ListDownloads(states=ACTIVE), JobList)
    return merge_progress(jobs.jobs, state.hub.latest_tick)


@router.get("/{job_id}", response_model=Job)
async def get_job(state: StateDep, job_id: JobId) -> Job:
    return await state.call(downloads.GET, JobRef(job_id=job_id), Job)


@router.delete("/{job_id}", response_model=Job)
async def cancel(state: StateDep, job_id: JobId) -> Job:
    return await state.call(downloads.CANCEL, JobRef(job_id=job_id), Job)


@router.post("/{job_id}/pause", response_model=Job)
async def pause(state: StateDep, job_id: JobId) -> Job:
    return await state.call(downloads.PAUSE, JobRef(job_id=job_id), Job)


@router.post("/{job_id}/resume", response_model=Job)
async def resume(state: StateDep, job_id: JobId) -> Job:
    return await state.call(downloads.RESUME, JobRef(job_id=job_id), Job)
