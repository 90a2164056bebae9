"""Live updates: NATS progress ticks and lifecycle events reach WebSocket clients; slow clients are bounded."""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import nats
from gateway.api.downloads import progress_view
from gateway.live.hub import Hub
from websockets.asyncio.client import connect

from niluflix.contracts import downloads, library
from niluflix.contracts.downloads import (
    DownloadCompleted,
    DownloadedFile,
    JobProgress,
    JobState,
    ProgressTick,
)
from niluflix.contracts.library import LibraryItem, LibraryItemAdded


async def receive(ws) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), 10))


async def test_progress_and_events_reach_every_client(gateway, peers, nats_url, make_job) -> None:
    await peers.start()
    job = make_job(JobState.COMPLETED, progress=1.0)
    async with connect(gateway.ws_url) as first, connect(gateway.ws_url) as second:
        tick = ProgressTick(
            at=datetime.now(UTC),
            jobs=[
                JobProgress(job_id=job.id, state=JobState.DOWNLOADING, progress=0.5, downloaded=5, size=10)
            ],
        )
        await peers.broker.publish(tick, downloads.PROGRESS)
        for ws in (first, second):
            message = await receive(ws)
            assert message["type"] == "progress"
            assert ProgressTick.model_validate(message["data"]) == tick

        # Lifecycle events go through JetStream, as the downloader and organizer publish them.
        nc = await nats.connect(nats_url)
        try:
            js = nc.jetstream()
            stream = f"GW_EVENTS_{uuid4().hex[:8]}"
            await js.add_stream(name=stream, subjects=["downloads.v1.events.>", "library.v1.events.>"])
            try:
                completed = DownloadCompleted(
                    job=job,
                    content_path="/data/torrents/movies/Sintel",
                    files=[DownloadedFile(path="/data/torrents/movies/Sintel/s.mkv", size=9)],
                )
                await js.publish(downloads.COMPLETED, completed.model_dump_json().encode())
                added = LibraryItemAdded(
                    item=LibraryItem(
                        id=uuid4(),
                        tmdb_id=45745,
                        title="Sintel",
                        year=2010,
                        folder="/m/Sintel (2010)",
                        path="/m/Sintel (2010)/Sintel (2010).mkv",
                        size=9,
                        job_id=job.id,
                        added_at=datetime.now(UTC),
                    )
                )
                await js.publish(library.ADDED, added.model_dump_json().encode())
            finally:
                await js.delete_stream(stream)
        finally:
            await nc.close()

        for ws in (first, second):
            message = await receive(ws)
            assert (message["type"], message["event"], message["subject"]) == (
                "event",
                "completed",
                downloads.COMPLETED,
            )
            assert DownloadCompleted.model_validate(message["data"]) == completed
            message = await receive(ws)
            assert (message["type"], message["event"]) == ("event", "added")
            assert LibraryItemAdded.model_validate(message["data"]) == added


async def test_a_client_that_left_is_forgotten(gateway, peers) -> None:
    await peers.start()
    async with connect(gateway.ws_url) as ws:
        assert gateway.state.hub.clients == 1
        await ws.close()
    tick = ProgressTick(at=datetime.now(UTC))
    async with asyncio.timeout(10):
        while gateway.state.hub.clients:
            await peers.broker.publish(tick, downloads.PROGRESS)
            await asyncio.sleep(0.02)
    async with connect(gateway.ws_url) as ws:
        await peers.broker.publish(tick, downloads.PROGRESS)
        assert (await receive(ws))["type"] == "progress"


def tick_at(text: str | None) -> datetime:
    assert text is not None
    return ProgressTick.model_validate(json.loads(text)["data"]).at


async def test_a_slow_client_keeps_only_the_newest_tick_and_does_not_hold_up_others() -> None:
    hub = Hub(feed_limit=8)
    slow, fast = hub.subscribe(), hub.subscribe()
    start = datetime.now(UTC)
    for n in range(100):
        hub.publish_progress(ProgressTick(at=start + timedelta(seconds=n)))
        assert tick_at(await fast.next()) == start + timedelta(seconds=n)
    assert tick_at(await slow.next()) == start + timedelta(seconds=99)
    assert hub.latest_tick is not None and hub.latest_tick.at == start + timedelta(seconds=99)


async def test_a_client_too_far_behind_on_events_is_cut_off_not_silently_skipped() -> None:
    hub = Hub(feed_limit=4)
    slow, fast = hub.subscribe(), hub.subscribe()
    for n in range(6):
        hub.publish_event("queued", downloads.QUEUED, {"n": n})
        assert json.loads(await fast.next())["data"] == {"n": n}
    assert slow.overflowed
    assert await slow.next() is None
    assert not fast.overflowed


def test_progress_prefers_what_is_newer_tick_or_job(make_job) -> None:
    tick_at = datetime.now(UTC)
    paused_after_tick = make_job(JobState.PAUSED, progress=0.3, updated_at=tick_at + timedelta(seconds=1))
    ticking = make_job(
        JobState.DOWNLOADING, progress=0.1, size=1000, updated_at=tick_at - timedelta(seconds=1)
    )
    tick = ProgressTick(
        at=tick_at,
        jobs=[
            JobProgress(job_id=paused_after_tick.id, state=JobState.DOWNLOADING, progress=0.29),
            JobProgress(job_id=ticking.id, state=JobState.DOWNLOADING, progress=0.2),
            JobProgress(
                job_id=uuid4(), state=JobState.DOWNLOADING, progress=0.9
            ),  # finished since: not active
        ],
    )
    view = progress_view([paused_after_tick, ticking], tick)
    # The tick does not know the size yet (no metadata): the row's size stays.
    assert [(j.job_id, j.state, j.progress, j.size) for j in view.jobs] == [
        (paused_after_tick.id, JobState.PAUSED, 0.3, None),
        (ticking.id, JobState.DOWNLOADING, 0.2, 1000),
    ]
    assert view.at == tick_at
