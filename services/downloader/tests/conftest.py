"""Fixtures for the downloader's tests."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import nats
import pytest
from catalog.airing import airs_at as catalog_airs_at
from cryptography.fernet import Fernet
from downloader.clients.base import TorrentClient, TorrentStatus
from downloader.settings import DownloaderSettings
from faststream import FastStream
from faststream.nats import NatsBroker, NatsRouter
from nats.js.errors import NotFoundError
from pydantic import BaseModel

from niluflix.contracts import catalog, downloads, library, search
from niluflix.contracts.catalog import EpisodeDetails, GetSeason, GetTitle, SeasonDetails, TitleDetails
from niluflix.contracts.common import HealthRequest, MediaType, ServiceHealth, health_subject
from niluflix.contracts.downloads import Job, JobRef, ProgressTick
from niluflix.contracts.library import LibraryItem, LibraryList, ListLibrary
from niluflix.contracts.search import FindReleases, ParsedRelease, Release, ReleaseList
from niluflix.contracts.settings import SharedSettings, TorrentClientKind, TorrentClientSettings
from niluflix.demo.swarm import SeededTorrent, Swarm
from niluflix.errors import NotFound, RemoteError, Unavailable
from niluflix.messaging import request, rpc_queue, rpc_router
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings
from niluflix.testing.nats_server import embedded_nats
from niluflix.testing.torrent_daemons import TorrentDaemon, qbittorrent_daemon, transmission_daemon

T = TypeVar("T", bound=BaseModel)

# ---------------------------------------------------------------------------------------------------------
# Torrent clients: a loopback swarm, real daemons, and waiting for a torrent to reach a state.
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def swarm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Swarm]:
    """One tracker and seeder for the session; each test seeds its own fresh release."""
    with Swarm(tmp_path_factory.mktemp("swarm")) as s:
        yield s


@pytest.fixture(scope="module")
def transmission(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TorrentDaemon]:
    with transmission_daemon(tmp_path_factory.mktemp("transmission")) as daemon:
        yield daemon


@pytest.fixture(scope="module")
def qbittorrent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TorrentDaemon]:
    with qbittorrent_daemon(tmp_path_factory.mktemp("qbittorrent")) as daemon:
        yield daemon


WaitFor = Callable[..., Awaitable[TorrentStatus]]


@pytest.fixture
def wait_for_torrent() -> WaitFor:
    """`await wait_for_torrent(client, info_hash, lambda status: ..., timeout=...)` -> the matching status.

    Fails with the last status seen, so a stuck download says where it stuck.
    """

    async def wait(
        client: TorrentClient,
        info_hash: str,
        predicate: Callable[[TorrentStatus], bool],
        timeout: float = 90.0,
    ) -> TorrentStatus:
        last: TorrentStatus | None = None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            last = next((s for s in await client.list_all() if s.info_hash == info_hash), None)
            if last is not None and predicate(last):
                return last
            await asyncio.sleep(0.2)
        pytest.fail(
            f"torrent {info_hash} did not reach the expected state in {timeout:g} s; last seen: {last}"
        )

    return wait


def assert_same_files(release: SeededTorrent, save_dir: Path) -> None:
    """Every seeded file is on disk under save_dir with the same bytes."""
    for f in release.files:
        downloaded = save_dir / f.path
        assert downloaded.is_file(), f"{downloaded} missing"
        assert downloaded.read_bytes() == f.source.read_bytes(), f"{downloaded} differs from the seeded file"


@pytest.fixture
def same_files() -> Callable[[SeededTorrent, Path], None]:
    return assert_same_files


# ---------------------------------------------------------------------------------------------------------
# The job engine: its own NATS server, the service as it runs, and the peers it asks (catalog, search).
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def jobs_nats_url() -> Iterator[str]:
    """A NATS server (with JetStream) for the job engine's tests alone.

    The downloader's subjects, queue group and DOWNLOAD_EVENTS stream have fixed names: on a server that
    other services' tests share, a downloader they start would take our requests, and their clean-up
    would delete the events we count.
    """
    with embedded_nats() as url:
        yield url


class Peers:
    """Catalog, search and the organizer's library as the downloader meets them: real responders on NATS,
    fed by the test."""

    def __init__(self) -> None:
        self.titles: dict[int, TitleDetails] = {}
        self.releases: dict[int, list[Release]] = {}
        self.seasons: dict[tuple[int, int], SeasonDetails] = {}
        # (show, season, episode or None for a season search) -> what search answers
        self.show_releases: dict[tuple[int, int, int | None], list[Release]] = {}
        self.library: list[LibraryItem] = []
        self.catalog_down: set[int] = set()
        self.catalog_fails: dict[int, int] = {}  # tmdb id -> how many of the next asks fail
        self.hold: asyncio.Event | None = None  # while set to an unset event, catalog answers wait for it
        self.details_asked: list[int] = []
        self.searches: list[FindReleases] = []

    def add_title(
        self, tmdb_id: int, title: str, year: int, releases: list[Release] | None = None, **details: object
    ) -> None:
        self.titles[tmdb_id] = TitleDetails(
            tmdb_id=tmdb_id, title=title, year=year, imdb_id=f"tt{tmdb_id:07d}", **details
        )
        self.releases[tmdb_id] = list(releases or [])

    def add_show(
        self,
        tmdb_id: int,
        title: str,
        year: int,
        season: int,
        episodes: dict[int, date],
        *,
        absolute_before: int | None = None,
    ) -> None:
        """A show with one season: episode number -> air date (a date to come: not aired yet).
        `absolute_before`: the episodes of the seasons before it, which catalog counts absolute numbers on
        from; None: no absolute numbers."""
        self.titles[tmdb_id] = TitleDetails(
            tmdb_id=tmdb_id, media_type=MediaType.TV, title=title, year=year, tvdb_id=tmdb_id + 7_000_000
        )
        self.seasons[(tmdb_id, season)] = SeasonDetails(
            tmdb_id=tmdb_id,
            season=season,
            episodes=[
                EpisodeDetails(
                    episode_id=tmdb_id * 1000 + n,
                    show_id=tmdb_id,
                    season=season,
                    episode=n,
                    name=f"Chapter {n}",
                    air_date=aired,
                    airs_at=catalog_airs_at(aired),  # as the catalog sets it
                    absolute_number=None if absolute_before is None else absolute_before + n,
                )
                for n, aired in sorted(episodes.items())
            ],
        )

    def offer_for_show(self, tmdb_id: int, season: int, episode: int | None, *releases: Release) -> None:
        """What search answers for a season search (episode None) or an episode search."""
        self.show_releases.setdefault((tmdb_id, season, episode), []).extend(releases)

    def router(self) -> NatsRouter:
        router = rpc_router()

        @router.subscriber(catalog.DETAILS, queue=rpc_queue("catalog"))
        async def details(req: GetTitle) -> TitleDetails:
            self.details_asked.append(req.tmdb_id)
            if self.hold is not None:
                await self.hold.wait()
            if self.catalog_fails.get(req.tmdb_id, 0) > 0:
                self.catalog_fails[req.tmdb_id] -= 1
                raise Unavailable("TMDB does not answer")
            if req.tmdb_id in self.catalog_down:
                raise Unavailable("TMDB does not answer")
            if req.tmdb_id not in self.titles:
                raise NotFound(f"TMDB has no movie {req.tmdb_id}")
            return self.titles[req.tmdb_id]

        @router.subscriber(catalog.SEASON, queue=rpc_queue("catalog"))
        async def season(req: GetSeason) -> SeasonDetails:
            if (req.tmdb_id, req.season) not in self.seasons:
                raise NotFound(f"TMDB has no season {req.season} of show {req.tmdb_id}")
            return self.seasons[(req.tmdb_id, req.season)]

        @router.subscriber(search.RELEASES, queue=rpc_queue("search"))
        async def releases(req: FindReleases) -> ReleaseList:
            self.searches.append(req)
            if req.media_type is MediaType.TV:
                return ReleaseList(
                    releases=self.show_releases.get((req.tmdb_id, req.season, req.episode), [])
                )
            return ReleaseList(releases=self.releases.get(req.tmdb_id, []))

        @router.subscriber(library.LIST, queue=rpc_queue("organizer"))
        async def library_items(req: ListLibrary) -> LibraryList:
            return LibraryList(
                items=[
                    item
                    for item in self.library
                    if req.tmdb_id in (None, item.tmdb_id) and req.media_type in (None, item.media_type)
                ]
            )

        return router


def release_of(seeded: SeededTorrent, *, magnet: bool = True, torrent_url: str | None = None) -> Release:
    """How search would offer a swarm release."""
    return Release(
        name=seeded.name,
        indexer="Loopback",
        size=seeded.size,
        seeders=1,
        magnet_uri=seeded.magnet if magnet else None,
        torrent_url=torrent_url,
        info_hash=seeded.info_hash,
    )


def episode_release_of(
    seeded: SeededTorrent, season: int, episodes: list[int], *, seeders: int = 5
) -> Release:
    """A swarm release as search offers it for a show: its name read as a pack (no episodes) or episodes."""
    return release_of(seeded).model_copy(
        update={"seeders": seeders, "parsed": ParsedRelease(season=season, episodes=episodes)}
    )


@pytest.fixture
def offer_show() -> Callable[..., Release]:
    """`offer_show(seeded, season, episodes, seeders=5)`: a show's release as search offers it; no episodes: a pack."""
    return episode_release_of


@pytest.fixture
def offer() -> Callable[..., Release]:
    """`offer(seeded)`: a swarm release as search would offer it."""
    return release_of


@dataclass
class Downloads:
    """The downloader under test, seen from outside as the gateway sees it: NATS requests and events."""

    settings: DownloaderSettings
    broker: NatsBroker
    peers: Peers
    progress: list[ProgressTick]

    @asynccontextmanager
    async def running(self, **overrides: object) -> AsyncIterator[FastStream]:
        """The service as `python -m downloader` runs it (lifespan, then the broker's handlers)."""
        from downloader.main import create_app  # imported here so the client tests never depend on it

        app = create_app(self.settings.model_copy(update=overrides))
        async with app.lifespan_context():
            await app.start()
            try:
                yield app
            finally:
                await app.stop()

    async def call(self, subject: str, payload: BaseModel, reply: type[T] = Job, timeout: float = 10) -> T:
        return await request(self.broker, subject, payload, reply, timeout=timeout)

    async def refused(self, subject: str, payload: BaseModel) -> RemoteError:
        with pytest.raises(RemoteError) as caught:
            await self.call(subject, payload)
        return caught.value

    async def configure(self, **values: object) -> None:
        """Save the user's shared settings, as the gateway does when the user presses Save."""
        nc = await nats.connect(self.settings.nats_url)
        live = LiveSettings(nc.jetstream(), SecretBox.from_env_or_file(self.settings.data_dir))
        try:
            await live.start()
            base = {"torrent_client": TorrentClientSettings(kind=TorrentClientKind.EMBEDDED)}
            await live.save(SharedSettings(**{**base, **values}))
        finally:
            await live.stop()
            await nc.close()

    async def events(self, job_id: uuid.UUID) -> list[tuple[str, dict]]:
        """Every lifecycle event of one job in the DOWNLOAD_EVENTS stream, in order: (subject, body)."""
        return [(subject, body) for _, subject, body in await self.stream_events(job_id)]

    async def stream_events(self, job_id: uuid.UUID) -> list[tuple[int, str, dict]]:
        """The same with each event's stream sequence, to order events of several jobs."""
        js = self.broker.connection.jetstream()
        try:
            info = await js.stream_info(downloads.EVENTS_STREAM)
        except NotFoundError:
            return []
        found = []
        for seq in range(max(info.state.first_seq, 1), info.state.last_seq + 1):
            try:
                msg = await js.get_msg(downloads.EVENTS_STREAM, seq)
            except NotFoundError:
                continue
            body = json.loads(msg.data)
            if body["job"]["id"] == str(job_id):
                found.append((seq, msg.subject, body))
        return found

    async def wait_job(self, job_id: uuid.UUID, predicate: Callable[[Job], bool], timeout: float = 60) -> Job:
        """Poll `downloads.v1.get` until the job matches; fail with the job as last seen."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        job = None
        while loop.time() < deadline:
            job = await self.call(downloads.GET, JobRef(job_id=job_id))
            if predicate(job):
                return job
            await asyncio.sleep(0.1)
        pytest.fail(f"job {job_id} did not reach the expected state in {timeout:g} s; last seen: {job}")

    async def wait_health(
        self, predicate: Callable[[ServiceHealth], bool], timeout: float = 30
    ) -> ServiceHealth:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        health = None
        while loop.time() < deadline:
            health = await self.call(health_subject("downloader"), HealthRequest(), ServiceHealth)
            if predicate(health):
                return health
            await asyncio.sleep(0.1)
        pytest.fail(f"health not as expected after {timeout:g} s: {health}")

    async def wait_events(
        self, job_id: uuid.UUID, predicate: Callable[[list[str]], bool], timeout: float = 30
    ) -> list[tuple[str, dict]]:
        """Poll the stream until the job's event subjects match; fail with what was there."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        events: list[tuple[str, dict]] = []
        while loop.time() < deadline:
            events = await self.events(job_id)
            if predicate([subject for subject, _ in events]):
                return events
            await asyncio.sleep(0.1)
        pytest.fail(f"events of job {job_id} not as expected after {timeout:g} s: {[s for s, _ in events]}")


@pytest.fixture(scope="session")
def jobs_secret_key() -> str:
    """One key for the session: the settings bucket outlives each test, and each test reads it."""
    return Fernet.generate_key().decode()


@pytest.fixture
async def downloads_service(
    database, jobs_nats_url: str, jobs_secret_key: str, tmp_path: Path, unique: str, monkeypatch
) -> AsyncIterator[Downloads]:
    """The downloader's settings on a fresh database, with catalog/search peers and a progress listener.

    Start the service with `async with downloads_service.running(): ...` (twice for a restart).
    """
    monkeypatch.setenv("NILUFLIX_SECRET_KEY", jobs_secret_key)
    settings = DownloaderSettings(
        nats_url=jobs_nats_url,
        data_dir=tmp_path / "data",
        database_url=database.url,
        database_schema=database.schema,
        tick_seconds=0.1,
        resolve_retry_seconds=0.2,
        lease_bucket=f"LEASES_{unique}",
        lease_ttl=2,
        replica_id=f"test-{unique}",
    )
    peers = Peers()
    progress: list[ProgressTick] = []
    broker = NatsBroker(jobs_nats_url)
    broker.include_router(peers.router())

    @broker.subscriber(downloads.PROGRESS)
    async def on_progress(tick: ProgressTick) -> None:
        progress.append(tick)

    await broker.start()
    # As the service does at start: the peers answer only once the server has read their subscriptions.
    nc = broker.connection
    inbox = nc.new_inbox()
    echo = await nc.subscribe(inbox, max_msgs=1)
    await nc.publish(inbox, b"")
    await echo.next_msg(timeout=10)
    service = Downloads(settings=settings, broker=broker, peers=peers, progress=progress)
    try:
        await service.configure()
        yield service
    finally:
        if peers.hold is not None:
            peers.hold.set()
        await broker.stop()
