"""The downloader's NATS subjects (`niluflix.contracts.downloads`); replicas share them in one queue group."""

import logging

from faststream.nats import NatsRouter

from downloader.deps import EngineDep, IntakeDep, StoreDep
from downloader.jobs.store import title_label, to_job
from niluflix.contracts import downloads
from niluflix.contracts.downloads import CreateDownload, Job, JobList, JobRef, ListDownloads
from niluflix.messaging import rpc_queue, rpc_router

QUEUE = rpc_queue("downloader")

# Each user action once, in words: with the engine's lines the log tells each download's story.
log = logging.getLogger("downloader.actions")


def build_router() -> NatsRouter:
    router = rpc_router()

    @router.subscriber(downloads.CREATE, queue=QUEUE)
    async def create(req: CreateDownload, intake: IntakeDep, engine: EngineDep) -> Job:
        """Queue a download; the reply is sent only after the job is committed.

        A request for what an active job brings answers with that job; a movie already downloaded is a
        conflict unless the request says replace.
        """
        job = await intake.create(req)
        picker = f"found for {req.origin}" if req.origin else "picked by hand"
        how = f"the release {req.release.name}, {picker}" if req.release else "the best release"
        log.info("download of %s asked for (job %s): %s", title_label(job), job.id, how)
        if not job.title:
            engine.describe(job.id, job.tmdb_id, job.media_type)
        engine.wake()
        return job

    @router.subscriber(downloads.LIST, queue=QUEUE)
    async def list_jobs(req: ListDownloads, store: StoreDep) -> JobList:
        rows = await store.list_jobs(req.states, req.limit, tmdb_id=req.tmdb_id, media_type=req.media_type)
        return JobList(jobs=[to_job(r) for r in rows])

    @router.subscriber(downloads.GET, queue=QUEUE)
    async def get(req: JobRef, store: StoreDep) -> Job:
        return to_job(await store.get(req.job_id))

    @router.subscriber(downloads.PAUSE, queue=QUEUE)
    async def pause(req: JobRef, store: StoreDep, engine: EngineDep) -> Job:
        row = await store.pause(req.job_id)
        await engine.paused(row)
        log.info("paused the download of %s (job %s)", title_label(row), row.id)
        return to_job(row)

    @router.subscriber(downloads.RESUME, queue=QUEUE)
    async def resume(req: JobRef, store: StoreDep, engine: EngineDep) -> Job:
        row = await store.resume(req.job_id)
        await engine.resumed(row)
        log.info("resumed the download of %s (job %s)", title_label(row), row.id)
        return to_job(row)

    @router.subscriber(downloads.CANCEL, queue=QUEUE)
    async def cancel(req: JobRef, store: StoreDep, engine: EngineDep) -> Job:
        """Cancel an active download and delete its partial data; a finished one answers Conflict."""
        row = await store.cancel(req.job_id)
        await engine.cancelled(row)
        log.info(
            "cancelled the download of %s (job %s); its partial data is deleted", title_label(row), row.id
        )
        return to_job(row)

    return router
