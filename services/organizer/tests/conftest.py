"""Real parts for the organizer's tests: a private NATS server, both databases, real files.

Each test gets its own NATS server (about 15 ms to start), so no other service's tests can publish a
completion into our consumer or delete the streams under it, and a fresh consumer never replays
completions of earlier runs.
"""

import asyncio
import inspect
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nats
import pytest
from faststream import FastStream
from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from organizer.main import create_app
from organizer.settings import OrganizerSettings

from niluflix.contracts import downloads, library
from niluflix.contracts.common import HealthRequest, MediaType, ServiceHealth, health_subject
from niluflix.contracts.downloads import (
    DownloadCompleted,
    DownloadedFile,
    EpisodeFacts,
    Job,
    JobState,
    TitleFacts,
)
from niluflix.contracts.library import LibraryItem, LibraryItemAdded, LibraryList, ListLibrary
from niluflix.errors import ServiceError
from niluflix.messaging import request
from niluflix.testing.fixtures import Database
from niluflix.testing.nats_server import embedded_nats
from niluflix.testing.small_disk import SmallDisk
from niluflix.testing.small_disk import small_disk as small_disk_at


@pytest.fixture
def nats_server() -> Iterator[str]:
    with embedded_nats() as url:
        yield url


@pytest.fixture
def downloads_dir(tmp_path: Path) -> Path:
    path = tmp_path / "downloads"
    path.mkdir()
    return path


@pytest.fixture
def library_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The library folder, given as the environment gives it until someone saves settings."""
    path = tmp_path / "library"
    monkeypatch.setenv("NILUFLIX_LIBRARY_DIR", str(path))
    monkeypatch.delenv("NILUFLIX_FAILPOINTS", raising=False)
    return path


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    with small_disk_at(tmp_path) as disk:
        yield disk


@pytest.fixture
def other_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A folder on another filesystem than tmp_path, where hardlinks cannot go: /dev/shm (tmpfs)."""
    shm = Path("/dev/shm")
    assert os.stat(shm).st_dev != os.stat(tmp_path).st_dev, "/dev/shm and the temp folder share a filesystem"
    path = shm / f"niluflix-organizer-{uuid.uuid4().hex[:8]}"
    path.mkdir()
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def make_download(root: Path, name: str, files: dict[str, int | bytes]) -> Path:
    """A finished download folder `root/name` with the given files (sizes filled with random bytes)."""
    folder = root / name
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(content) if isinstance(content, int) else content)
    return folder


def completion(
    content: Path,
    *,
    title: str = "Sintel",
    year: int | None = 2010,
    tmdb_id: int = 45745,
    job_id: uuid.UUID | None = None,
    files: list[DownloadedFile] | None = None,
    release_name: str | None = "Sintel.2010.1080p.BluRay.x264-GRP",
    media_type: MediaType = MediaType.MOVIE,
    imdb_id: str | None = None,
    season: int | None = None,
    episodes: list[int] | None = None,
    tvdb_id: int | None = None,
    episode_facts: list[EpisodeFacts] | None = None,
) -> DownloadCompleted:
    """The event the downloader publishes, listing every file of the download as saved.

    It carries the title's facts when the job has a title, as the downloader writes them; a show's job
    its season and episodes, and its facts the names of those episodes.
    """
    now = datetime.now(UTC)
    if files is None:
        paths = sorted(p for p in content.rglob("*") if p.is_file()) if content.is_dir() else [content]
        files = [DownloadedFile(path=str(p), size=p.stat().st_size) for p in paths]
    job = Job(
        id=job_id or uuid.uuid4(),
        tmdb_id=tmdb_id,
        media_type=media_type,
        title=title,
        year=year,
        state=JobState.COMPLETED,
        release_name=release_name,
        progress=1.0,
        size=sum(f.size for f in files),
        created_at=now,
        updated_at=now,
        completed_at=now,
        season=season,
        episodes=episodes or [],
    )
    facts = (
        TitleFacts(title=title, year=year, imdb_id=imdb_id, tvdb_id=tvdb_id, episodes=episode_facts or [])
        if title
        else None
    )
    return DownloadCompleted(job=job, content_path=str(content), files=files, facts=facts)


@pytest.fixture
def files() -> Callable[..., Path]:
    """`files(root, name, {relative path: size or bytes})` makes a finished download folder."""
    return make_download


@pytest.fixture
def completed() -> Callable[..., DownloadCompleted]:
    """`completed(content_path, title=..., ...)` builds the downloader's completion event for it."""
    return completion


async def wait_for(
    check: Callable[[], Awaitable[bool]], *, timeout: float = 10, what: str = "condition"
) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached within {timeout:g} s")
        await asyncio.sleep(0.02)


@asynccontextmanager
async def running(app: FastStream) -> AsyncIterator[FastStream]:
    """What `app.run()` does, without installing signal handlers in the test process."""
    async with app.lifespan_context():
        await app.start()
        try:
            yield app
        finally:
            await app.stop()


@dataclass
class Harness:
    """A test's view of one running organizer: publish completions, ask the library, read the events."""

    nats_url: str
    settings: OrganizerSettings
    client: NatsBroker
    js: JetStreamContext
    published: list[DownloadCompleted] = field(default_factory=list)

    async def complete(self, event: DownloadCompleted) -> None:
        await self.client.publish(event, downloads.COMPLETED, stream=downloads.EVENTS_STREAM)
        self.published.append(event)

    async def settled(self) -> None:
        """Wait until the consumer has finished with (acked or given up on) every published completion."""

        async def done() -> bool:
            info = await self.js.consumer_info(downloads.EVENTS_STREAM, self.settings.consumer_name)
            stream = await self.js.stream_info(downloads.EVENTS_STREAM)
            return (
                info.num_pending == 0
                and info.num_ack_pending == 0
                and info.ack_floor.stream_seq >= stream.state.last_seq
            )

        await wait_for(done, what="completions handled")

    async def items(self, **filters: object) -> list[LibraryItem]:
        reply = await request(self.client, library.LIST, ListLibrary(**filters), LibraryList, timeout=5)
        return reply.items

    async def health(self) -> ServiceHealth:
        return await request(
            self.client, health_subject("organizer"), HealthRequest(), ServiceHealth, timeout=5
        )

    async def added_events(self) -> list[LibraryItemAdded]:
        try:
            info = await self.js.stream_info(library.EVENTS_STREAM)
        except NotFoundError:
            return []
        events = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            msg = await self.js.get_msg(library.EVENTS_STREAM, seq)
            if msg.subject == library.ADDED:
                events.append(LibraryItemAdded.model_validate_json(msg.data))
        return events

    async def until(
        self, check: Callable[[], bool | Awaitable[bool]], *, what: str, timeout: float = 10
    ) -> None:
        async def checked() -> bool:
            result = check()
            return await result if inspect.isawaitable(result) else result

        await wait_for(checked, timeout=timeout, what=what)

    async def wait_items(self, count: int) -> list[LibraryItem]:
        async def enough() -> bool:
            return len(await self.items()) >= count

        await wait_for(enough, what=f"{count} library item(s)")
        return await self.items()


@pytest.fixture
def settings_for(
    nats_server: str, database: Database, tmp_path: Path, downloads_dir: Path, library_dir: Path
) -> Callable[..., OrganizerSettings]:
    def build(**overrides: object) -> OrganizerSettings:
        values: dict[str, object] = {
            "nats_url": nats_server,
            "data_dir": tmp_path / "data",
            "database_url": database.url,
            "database_schema": database.schema,
            "downloads_dir": downloads_dir,
            "consumer_name": f"organizer-{uuid.uuid4().hex[:8]}",
            "retry_delay": 0.05,
            "retry_max_delay": 0.2,
        }
        values.update(overrides)
        return OrganizerSettings(**values)

    return build


@asynccontextmanager
async def harness(settings: OrganizerSettings) -> AsyncIterator[Harness]:
    nc = await nats.connect(settings.nats_url)
    try:
        async with NatsBroker(settings.nats_url) as client:
            yield Harness(settings.nats_url, settings, client, nc.jetstream())
    finally:
        await nc.close()


@pytest.fixture
def connect() -> Callable[[OrganizerSettings], AbstractAsyncContextManager[Harness]]:
    """`async with connect(settings) as organizer:` talks to an organizer running elsewhere."""
    return harness


@pytest.fixture
def start_organizer(settings_for: Callable[..., OrganizerSettings]):
    """`async with start_organizer(**settings) as harness:` runs an organizer in this process."""

    @asynccontextmanager
    async def start(settings: OrganizerSettings | None = None, **overrides: object) -> AsyncIterator[Harness]:
        settings = settings or settings_for(**overrides)
        async with running(create_app(settings)), harness(settings) as organizer:
            yield organizer

    return start


@dataclass
class OrganizerProcess:
    """`python -m organizer` as its own process, for tests that kill it."""

    settings: OrganizerSettings
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "organizer"],
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )

    def wait(self, timeout: float = 30) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout)

    async def ready(self, organizer: "Harness") -> None:
        """Wait until it answers its health subject (its streams and consumer exist by then)."""

        async def answers() -> bool:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"the organizer exited with {self.proc.returncode}:\n{self.log.read_text()}"
                )
            try:
                await organizer.health()
            except ServiceError:
                return False
            return True

        await wait_for(answers, timeout=30, what="organizer process ready")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture
def organizer_process(
    settings_for: Callable[..., OrganizerSettings], tmp_path: Path
) -> Iterator[Callable[..., OrganizerProcess]]:
    started: list[OrganizerProcess] = []

    def make(failpoints: str = "", **overrides: object) -> OrganizerProcess:
        settings = settings_for(**overrides)
        env = {k: v for k, v in os.environ.items() if not k.startswith("NILUFLIX_ORGANIZER_")}
        env.update(
            {
                "NILUFLIX_NATS_URL": settings.nats_url,
                "NILUFLIX_DATA_DIR": str(settings.data_dir),
                "NILUFLIX_ORGANIZER_DATABASE_URL": settings.database_url,
                "NILUFLIX_ORGANIZER_DATABASE_SCHEMA": settings.database_schema,
                "NILUFLIX_ORGANIZER_DOWNLOAD_DIRS": "["
                + ",".join(f'"{d}"' for d in settings.download_dirs)
                + "]",
                "NILUFLIX_ORGANIZER_CONSUMER_NAME": settings.consumer_name,
                "NILUFLIX_ORGANIZER_LINK_MODE": settings.link_mode.value,
                "NILUFLIX_ORGANIZER_ACK_WAIT": str(settings.ack_wait),
                "NILUFLIX_ORGANIZER_RETRY_DELAY": str(settings.retry_delay),
                "NILUFLIX_ORGANIZER_RETRY_MAX_DELAY": str(settings.retry_max_delay),
                "NILUFLIX_FAILPOINTS": failpoints,
            }
        )
        proc = OrganizerProcess(settings=settings, env=env, log=tmp_path / "organizer.log")
        started.append(proc)
        return proc

    yield make
    for proc in started:
        proc.stop()
