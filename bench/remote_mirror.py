"""Mirroring a 5,000-item library into the user's Supabase project: requests per change set (goal 1 upsert)
against one upsert per item (the baseline: 5,000 requests), with the time each takes, measured in the same run.

A loopback Supabase project (PostgREST, GoTrue and Realtime on the real PostgreSQL), the real gateway under
uvicorn with remote access on, and stand-ins on NATS for the organizer's `library.v1.list` (5,000 movies) and
the downloader's `downloads.v1.list` (100 active jobs). Counted from the project's own request log:
- the first full mirror (every row; the existing rows of ours read page by page to find stale ones),
- a change set: a progress tick moving the 100 downloads,
- the baseline: the same rows upserted one request each through supabase-py; 5,000 requests by definition,
  timed on a sample (`--sample`, 250) and scaled, since one request costs tens of milliseconds here.

    .venv/bin/python bench/remote_mirror.py [--items 5000] [--sample 250]
"""

import argparse
import asyncio
import logging
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import httpx
import uvicorn
from faststream.nats import NatsBroker
from gateway.main import create_app, server_config
from gateway.settings import GatewaySettings

from niluflix.contracts import downloads, library
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import Job, JobList, JobProgress, JobState, ListDownloads, ProgressTick
from niluflix.contracts.library import LibraryItem, LibraryList, ListLibrary
from niluflix.messaging import rpc_queue, rpc_router
from niluflix.testing.nats_server import embedded_nats
from niluflix.testing.net import free_port
from niluflix.testing.postgres import postgres_for_tests
from niluflix.testing.supabase import loopback_supabase

warnings.filterwarnings("ignore", category=DeprecationWarning)  # supabase-py's own internals

EMAIL, PASSWORD = "owner@example.com", "a long enough password 1"
UPSERT = ("POST", "/rest/v1/shared_library")
ACTIVE_JOBS = 100


def rest_requests(project) -> int:
    return sum(
        n for (method, path), n in project.requests.items() if path.startswith("/rest/v1/shared_library")
    )


async def wait_quiet(project, seconds: float = 1.5) -> None:
    """Until the project has had no request to shared_library for `seconds`."""
    last, since = rest_requests(project), time.monotonic()
    while time.monotonic() - since < seconds:
        await asyncio.sleep(0.1)
        now = rest_requests(project)
        if now != last:
            last, since = now, time.monotonic()


async def run(items: int, sample: int) -> None:
    logging.disable(logging.INFO)  # the services' own lines would bury the figures
    now = datetime.now(UTC)
    # Half movies, half shows (an episode file each): the organizer answers each kind in its own reply.
    movies = [
        LibraryItem(
            id=uuid4(), media_type=MediaType.MOVIE if n % 2 else MediaType.TV, tmdb_id=10_000 + n,
            title=f"Title {n}", year=1950 + n % 70, folder=f"/m/{n}", path=f"/m/{n}/m.mkv", size=1,
            added_at=now, season=None if n % 2 else 1, episodes=[] if n % 2 else [1],
        )
        for n in range(items)
    ]  # fmt: skip
    jobs = [
        Job(id=uuid4(), tmdb_id=900_000 + n, title=f"Coming {n}", state=JobState.DOWNLOADING, progress=0.1,
            created_at=now, updated_at=now)
        for n in range(ACTIVE_JOBS)
    ]  # fmt: skip

    with postgres_for_tests() as pg, loopback_supabase(pg) as project, embedded_nats() as nats_url:
        project.create_user(EMAIL, PASSWORD)
        broker = NatsBroker(nats_url)
        router = rpc_router()

        @router.subscriber(library.LIST, queue=rpc_queue("organizer"))
        async def list_library(req: ListLibrary) -> LibraryList:
            found = [m for m in movies if req.media_type in (None, m.media_type)]
            end = req.offset + req.limit if req.limit is not None else None
            return LibraryList(items=found[req.offset : end])

        @router.subscriber(downloads.LIST, queue=rpc_queue("downloader"))
        async def list_jobs(_: ListDownloads) -> JobList:
            return JobList(jobs=jobs)

        broker.include_router(router)
        await broker.start()
        with tempfile.TemporaryDirectory() as tmp:
            settings = GatewaySettings(
                nats_url=nats_url, data_dir=Path(tmp), port=free_port(), remote_realtime=False,
                remote_progress_seconds=0.2, remote_resync_seconds=3600, remote_heartbeat_seconds=3600,
                remote_poll_seconds=3600,
            )  # fmt: skip
            app = create_app(settings)
            server = uvicorn.Server(server_config(app, settings))
            server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
            task = asyncio.create_task(server.serve())
            while not server.started:
                await asyncio.sleep(0.02)
            try:
                async with httpx.AsyncClient(
                    base_url=f"http://127.0.0.1:{settings.port}", timeout=60
                ) as http:
                    project.reset_requests()
                    started = time.perf_counter()
                    body = {"supabase_url": project.url, "anon_key": project.anon_key, "email": EMAIL,
                            "password": PASSWORD}  # fmt: skip
                    status = (await http.post("/api/remote/enable", json=body)).json()
                    while (await http.get("/api/remote/status")).json()[
                        "mirrored_items"
                    ] < items + ACTIVE_JOBS:
                        await asyncio.sleep(0.05)
                    full_s = time.perf_counter() - started
                    await wait_quiet(project)
                    full_upserts, full_all = project.requests[UPSERT], rest_requests(project)

                    project.reset_requests()
                    started = time.perf_counter()
                    tick = ProgressTick(
                        at=datetime.now(UTC),
                        jobs=[
                            JobProgress(job_id=j.id, state=JobState.DOWNLOADING, progress=0.5) for j in jobs
                        ],
                    )
                    await broker.publish(tick, downloads.PROGRESS)
                    while project.requests[UPSERT] < 1:
                        await asyncio.sleep(0.01)
                    change_s = time.perf_counter() - started
                    await wait_quiet(project)
                    change_upserts, change_all = project.requests[UPSERT], rest_requests(project)
            finally:
                server.should_exit = True
                await task
                await broker.stop()

        # The baseline: the same rows, one upsert request each.
        phone = await project.async_sign_in(EMAIL, PASSWORD)
        user_id = (await phone.auth.get_user()).user.id
        rows = [
            {"user_id": user_id, "desktop_app_id": status["desktop_app_id"],
             "media_type": m.media_type.value, "tmdb_id": m.tmdb_id, "title": m.title, "year": m.year,
             "download_status": "completed",
             "progress": 100.0, "detail": {"downloads": []}}
            for m in movies
        ]  # fmt: skip
        project.reset_requests()
        started = time.perf_counter()
        for row in rows[:sample]:
            await (
                phone.table("shared_library")
                .upsert(row, on_conflict="user_id,desktop_app_id,media_type,tmdb_id")
                .execute()
            )
        measured = project.requests[UPSERT]
        base_s = (time.perf_counter() - started) * items / measured
        base_upserts = items

    print(
        f"mirroring a {items:,}-title library (half movies, half shows) (+{ACTIVE_JOBS} active downloads) into a loopback Supabase"
    )
    print(
        f"  first full mirror:      {full_upserts} upsert, {full_all} requests in all, {full_s * 1000:.0f} ms"
    )
    print(f"  a change set ({ACTIVE_JOBS} moved): {change_upserts} upsert, {change_all} requests in all, "
          f"{change_s * 1000:.0f} ms")  # fmt: skip
    print(
        f"  one upsert per item:    {base_upserts} requests, {base_s * 1000:.0f} ms "
        f"(scaled from {measured} timed)"
    )
    print(
        f"  requests per change set: {change_upserts} (goal 1); vs one per item: 1 : {base_upserts // max(change_upserts, 1)}"
    )
    print(f"  full mirror time / per-item time: {full_s / base_s:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--sample", type=int, default=250, help="per-item upserts timed for the baseline")
    args = parser.parse_args()
    asyncio.run(run(args.items, min(args.sample, args.items)))


if __name__ == "__main__":
    main()
