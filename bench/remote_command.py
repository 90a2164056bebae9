"""A command from the phone to a download started at home: from the row inserted in `remote_downloads` to the
downloader's `downloads.v1.create` (the job created), with the home online and subscribed to realtime (goal
< 2 s on loopback) and with polling only (goal < poll interval + 1 s). Printed as each mode's worst latency
over its goal.

A loopback Supabase project (PostgREST, GoTrue and Realtime on the real PostgreSQL), the real gateway under
uvicorn, and a stand-in downloader on NATS that answers `downloads.v1.create` with a queued job and notes when.

    .venv/bin/python bench/remote_command.py [--commands 5] [--poll 3]
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

from niluflix.contracts import downloads
from niluflix.contracts.downloads import CreateDownload, Job, JobState
from niluflix.messaging import rpc_queue, rpc_router
from niluflix.testing.nats_server import embedded_nats
from niluflix.testing.net import free_port
from niluflix.testing.postgres import postgres_for_tests
from niluflix.testing.supabase import loopback_supabase

warnings.filterwarnings("ignore", category=DeprecationWarning)  # supabase-py's own internals

EMAIL, PASSWORD = "owner@example.com", "a long enough password 1"


async def serve(settings: GatewaySettings) -> tuple[uvicorn.Server, asyncio.Task]:
    app = create_app(settings)
    server = uvicorn.Server(server_config(app, settings))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    return server, task


async def mode(
    project, nats_url: str, data_dir: Path, *, realtime: bool, poll: float, commands: int
) -> list[float]:
    created: dict[int, float] = {}
    broker = NatsBroker(nats_url)
    router = rpc_router()

    @router.subscriber(downloads.CREATE, queue=rpc_queue("downloader"))
    async def create(req: CreateDownload) -> Job:
        created.setdefault(req.tmdb_id, time.perf_counter())
        now = datetime.now(UTC)
        return Job(id=uuid4(), tmdb_id=req.tmdb_id, state=JobState.QUEUED, created_at=now, updated_at=now)

    broker.include_router(router)
    await broker.start()
    settings = GatewaySettings(
        nats_url=nats_url,
        data_dir=data_dir,
        port=free_port(),
        remote_realtime=realtime,
        remote_poll_seconds=poll,
        remote_poll_subscribed_seconds=60,
    )
    server, task = await serve(settings)
    latencies = []
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.port}", timeout=30) as http:
            body = {
                "supabase_url": project.url,
                "anon_key": project.anon_key,
                "email": EMAIL,
                "password": PASSWORD,
            }
            status = (await http.post("/api/remote/enable", json=body)).json()
            if realtime:
                while not (await http.get("/api/remote/status")).json()["realtime"]:
                    await asyncio.sleep(0.05)
            phone = await project.async_sign_in(EMAIL, PASSWORD)
            for n in range(commands):
                await asyncio.sleep(poll * 0.37)  # land at varied points of the poll cycle
                tmdb_id = 1000 + n
                row = {
                    "desktop_app_id": status["desktop_app_id"],
                    "action": "download",
                    "media_type": "movie",
                    "tmdb_id": tmdb_id,
                    "payload": {"title": f"Bench {n}"},
                }
                sent = time.perf_counter()
                await phone.table("remote_downloads").insert(row).execute()
                while tmdb_id not in created:
                    await asyncio.sleep(0.005)
                latencies.append(created[tmdb_id] - sent)
            await http.post("/api/remote/disable")
    finally:
        server.should_exit = True
        await task
        await broker.stop()
    return latencies


async def run(commands: int, poll: float) -> None:
    logging.disable(logging.INFO)  # the services' own lines would bury the figures
    with postgres_for_tests() as pg, loopback_supabase(pg) as project, embedded_nats() as nats_url:
        project.create_user(EMAIL, PASSWORD)
        with tempfile.TemporaryDirectory() as tmp:
            subscribed = await mode(
                project, nats_url, Path(tmp) / "a", realtime=True, poll=15, commands=commands
            )
            polling = await mode(
                project, nats_url, Path(tmp) / "b", realtime=False, poll=poll, commands=commands
            )

    print(f"remote command → job created at home, {commands} commands each, loopback Supabase")
    goal_rt, goal_poll = 2.0, poll + 1.0
    for name, found, goal in (
        ("subscribed (realtime)", subscribed, goal_rt),
        (f"polling every {poll:g} s", polling, goal_poll),
    ):
        worst, median = max(found), sorted(found)[len(found) // 2]
        print(
            f"  {name:24} median {median * 1000:6.0f} ms, worst {worst * 1000:6.0f} ms; "
            f"goal < {goal:g} s: worst / goal = {worst / goal:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=5)
    parser.add_argument("--poll", type=float, default=3.0, help="the polling mode's interval, seconds")
    args = parser.parse_args()
    asyncio.run(run(args.commands, args.poll))


if __name__ == "__main__":
    main()
