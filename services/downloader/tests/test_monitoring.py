"""Following a show: its aired episodes arrive with no one asking, found by the regular check or by RSS.

Real parts: the downloader and the search service as they run, on a NATS server of their own; a loopback
Torznab indexer that gains the episode's release; catalog and the organizer's library as NATS responders
answering with their contract models (TV seasons with air times, the show's episode files).
"""

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from cryptography.fernet import Fernet
from downloader.main import create_app as downloader_app
from downloader.settings import DownloaderSettings
from faststream.nats import NatsBroker
from search.main import create_app as search_app
from search.settings import SearchSettings

from niluflix.contracts import catalog, downloads, follows, library
from niluflix.contracts.catalog import (
    EpisodeDetails,
    GetSeason,
    GetTitle,
    SeasonDetails,
    SeasonSummary,
    TitleDetails,
)
from niluflix.contracts.common import HealthRequest, MediaType, ServiceHealth, health_subject
from niluflix.contracts.downloads import Job, JobList, ListDownloads
from niluflix.contracts.follows import Follow, FollowList, FollowMode, FollowRef, ListFollows, SetFollow
from niluflix.contracts.library import LibraryItem, LibraryList, ListLibrary
from niluflix.contracts.settings import (
    IndexerSettings,
    SharedSettings,
    TorrentClientKind,
    TorrentClientSettings,
)
from niluflix.demo.torznab import DEFAULT_API_KEY, TV, TorznabItem, TorznabServer
from niluflix.errors import NotFound, RemoteError
from niluflix.messaging import request, rpc_queue, rpc_router, subscriptions_live
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings
from niluflix.testing.nats_server import embedded_nats

# One key for the module: the settings bucket on the module's NATS server outlives each test.
SECRET_KEY = Fernet.generate_key().decode()
SHOW = 9001
NAME = "The Loopback Show"


def item(title: str) -> TorznabItem:
    info_hash = hashlib.sha1(title.encode()).hexdigest()
    magnet = f"magnet:?xt=urn:btih:{info_hash}&dn={quote(title)}"
    return TorznabItem(title, size=1_500_000_000, seeders=25, peers=30, magnet_uri=magnet, category=TV + 40)


class Show:
    """Catalog's and the library's view of one show: season 1, episode 1 long out and in the library,
    episode 2 out an hour ago, episode 3 out tomorrow."""

    def __init__(self) -> None:
        now = datetime.now(UTC)
        self.aired = {1: now - timedelta(days=7), 2: now - timedelta(hours=1), 3: now + timedelta(days=1)}
        self.library: list[LibraryItem] = [
            LibraryItem(
                id=uuid.uuid4(), media_type=MediaType.TV, tmdb_id=SHOW, title=NAME, year=2024,
                folder="/media/TV/The Loopback Show", path="/media/TV/The Loopback Show/S01E01.mkv",
                size=1, added_at=now, season=1, episodes=[1],
            )
        ]  # fmt: skip
        self.seasons_asked: list[int] = []

    def episode(self, number: int) -> EpisodeDetails:
        at = self.aired[number]
        return EpisodeDetails(
            episode_id=SHOW * 100 + number,
            show_id=SHOW,
            season=1,
            episode=number,
            air_date=at.date(),
            airs_at=at,
            absolute_number=number,  # one season: counted over the show, as its own
        )

    def details(self) -> TitleDetails:
        return TitleDetails(
            tmdb_id=SHOW, media_type=MediaType.TV, title=NAME, year=2024, tvdb_id=77001,
            seasons=[SeasonSummary(season=1, episode_count=3, air_date=date(2024, 1, 1))],
            last_episode=self.episode(2), next_episode=self.episode(3),
        )  # fmt: skip

    # Other followed shows, whose first episode comes out tomorrow: nothing of theirs is searched yet.
    others: range = range(20_000, 20_000 + 499)

    def premiere(self, tmdb_id: int) -> EpisodeDetails:
        at = datetime.now(UTC) + timedelta(days=1)
        return EpisodeDetails(episode_id=tmdb_id * 100 + 1, show_id=tmdb_id, season=1, episode=1, airs_at=at)

    def other(self, tmdb_id: int) -> TitleDetails:
        return TitleDetails(
            tmdb_id=tmdb_id, media_type=MediaType.TV, title=f"Followed Show {tmdb_id}",
            seasons=[SeasonSummary(season=1, episode_count=1)], next_episode=self.premiere(tmdb_id),
        )  # fmt: skip

    def router(self):
        router = rpc_router()

        @router.subscriber(catalog.DETAILS, queue=rpc_queue("catalog"))
        async def details(req: GetTitle) -> TitleDetails:
            if req.tmdb_id == SHOW:
                return self.details()
            if req.tmdb_id in self.others:
                return self.other(req.tmdb_id)
            raise NotFound(f"TMDB has no show {req.tmdb_id}")

        @router.subscriber(catalog.SEASON, queue=rpc_queue("catalog"))
        async def season(req: GetSeason) -> SeasonDetails:
            if req.tmdb_id != SHOW:
                return SeasonDetails(tmdb_id=req.tmdb_id, season=1, episodes=[self.premiere(req.tmdb_id)])
            self.seasons_asked.append(req.season)
            return SeasonDetails(tmdb_id=SHOW, season=1, episodes=[self.episode(n) for n in (1, 2, 3)])

        @router.subscriber(library.LIST, queue=rpc_queue("organizer"))
        async def items(req: ListLibrary) -> LibraryList:
            return LibraryList(items=[i for i in self.library if req.tmdb_id in (None, i.tmdb_id)])

        return router


@pytest.fixture(scope="module")
def monitor_nats() -> AsyncIterator[str]:
    with embedded_nats() as url:
        yield url


@pytest.fixture
def indexer() -> AsyncIterator[TorznabServer]:
    with TorznabServer([item("Another.Show.S03E07.720p.HDTV.x264-OTHER")]) as server:
        yield server


@asynccontextmanager
async def running(app):
    async with app.lifespan_context():
        await app.start()
        try:
            yield app
        finally:
            await app.stop()


@pytest.fixture
async def stack(database, monitor_nats, indexer, tmp_path: Path, unique: str, monkeypatch):
    """Downloader + search as they run, catalog and library responders, and a client broker."""

    clients: list[NatsBroker] = []

    async def start(
        *,
        rss_interval: float,
        monitor_interval: float = 3600,
        more: list[TorznabServer] = (),
        no_indexer=False,
    ):
        monkeypatch.setenv("NILUFLIX_SECRET_KEY", SECRET_KEY)
        monkeypatch.setenv("NILUFLIX_SEARCH_RSS_INTERVAL", str(rss_interval))
        monkeypatch.setenv("NILUFLIX_DOWNLOADER_MONITOR_INTERVAL", str(monitor_interval))
        show = Show()
        client = NatsBroker(monitor_nats)
        client.include_router(show.router())
        clients.append(client)
        await client.start()
        await subscriptions_live(client.connection)
        live = LiveSettings(client.connection.jetstream(), SecretBox.from_env_or_file(tmp_path / "data"))
        await live.start()
        await live.save(
            SharedSettings(
                torrent_client=TorrentClientSettings(kind=TorrentClientKind.EMBEDDED),
                indexers=[
                    IndexerSettings(name=f"Loopback{n}", url=server.url, api_key=DEFAULT_API_KEY)
                    for n, server in enumerate([] if no_indexer else [indexer, *more])
                ],
            )
        )
        await live.stop()
        down = DownloaderSettings(
            nats_url=monitor_nats, data_dir=tmp_path / "data", database_url=database.url,
            database_schema=database.schema, tick_seconds=0.2, lease_bucket=f"LEASES_{unique}",
            lease_ttl=2, replica_id=f"test-{unique}",
        )  # fmt: skip
        find = SearchSettings(nats_url=monitor_nats, data_dir=tmp_path / "data", indexer_timeout=5)
        return show, client, downloader_app(down), search_app(find)

    yield start
    for broker in clients:
        await broker.stop()


async def call(broker, subject, payload, reply=Job):
    return await request(broker, subject, payload, reply, timeout=15)


async def jobs_of(broker) -> list[Job]:
    return [
        j for j in (await call(broker, downloads.LIST, ListDownloads(), JobList)).jobs if j.tmdb_id == SHOW
    ]


async def wait_for_job(broker, timeout: float = 30) -> Job:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        found = await jobs_of(broker)
        if found:
            return found[0]
        await asyncio.sleep(0.2)
    pytest.fail(f"no download of {NAME} within {timeout:g} s")


def episode_searches(indexer: TorznabServer, code: str) -> list[dict[str, str]]:
    return [q for q in indexer.queries if code.casefold() in q.get("q", "").casefold()]


async def test_an_episode_that_comes_out_later_in_the_feed_downloads_by_itself(stack, indexer) -> None:
    _show, client, downloader, search = await stack(rss_interval=0.5)
    async with running(search), running(downloader):
        follow = await call(client, follows.SET, SetFollow(tmdb_id=SHOW, mode=FollowMode.ALL), Follow)
        assert (follow.title, follow.mode) == (NAME, FollowMode.ALL)
        listed = await call(client, follows.LIST, ListFollows(), FollowList)
        assert [f.tmdb_id for f in listed.follows] == [SHOW]

        # The check searched for episode 2 (out, not in the library) and found nothing: no download, no failure.
        await wait_until(lambda: episode_searches(indexer, "S01E02"), "the search for S01E02")
        await asyncio.sleep(1.0)
        assert await jobs_of(client) == []
        assert not episode_searches(indexer, "S01E01"), "an episode in the library was searched"
        assert not episode_searches(indexer, "S01E03"), "an episode not out yet was searched"

        # The release appears in the indexer's feed: RSS sees it, search judges it, the job is made.
        reads = len(feed_reads(indexer))
        indexer.add(item("The.Loopback.Show.S01E02.1080p.WEB-DL.x264-NILU"))
        job = await wait_for_job(client)
        assert job.release_name == "The.Loopback.Show.S01E02.1080p.WEB-DL.x264-NILU"
        assert job.media_type == MediaType.TV
        assert len(feed_reads(indexer)) > reads
        # No second search was needed: the back-off holds the episode for an hour, RSS brought it.
        assert len(episode_searches(indexer, "S01E02")) == 1


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("[SubsPlease] The Loopback Show - 02 (1080p) [ABCD1234].mkv", id="by absolute number"),
        pytest.param("The.Loopback.Show.{day:%Y.%m.%d}.Guest.1080p.WEB-DL.x264-NILU", id="by date"),
    ],
)
async def test_a_feed_release_named_without_a_season_is_taken_for_the_episode_it_is(
    stack, indexer, name: str
) -> None:
    show, client, downloader, search = await stack(rss_interval=0.5)
    async with running(search), running(downloader):
        await call(client, follows.SET, SetFollow(tmdb_id=SHOW, mode=FollowMode.ALL), Follow)
        await wait_until(lambda: episode_searches(indexer, "S01E02"), "the search for S01E02")
        # episode 1 (in the library) by its number and its day: never taken again
        first = name.replace("- 02", "- 01").format(day=show.aired[1])
        release = name.format(day=show.aired[2])
        indexer.add(item(first), item(release))
        job = await wait_for_job(client)
        assert (job.release_name, job.season, job.episodes) == (release, 1, [2])
        await asyncio.sleep(1.0)
        assert [j.release_name for j in await jobs_of(client)] == [release]


async def test_the_check_finds_an_aired_episode_already_on_the_indexer(stack, indexer) -> None:
    show, client, downloader, search = await stack(rss_interval=3600)
    async with running(search), running(downloader):
        await asyncio.sleep(0.5)  # RSS's first read at start, before the release is there
        indexer.add(item("The.Loopback.Show.S01E02.720p.WEB-DL.x264-NILU"))
        await call(client, follows.SET, SetFollow(tmdb_id=SHOW, mode=FollowMode.FUTURE), Follow)
        # Followed after episode 2 aired, for future episodes only: nothing to take yet.
        await wait_until(lambda: show.seasons_asked, "a look at the current season")
        await asyncio.sleep(1.0)
        assert await jobs_of(client) == []
        assert not episode_searches(indexer, "S01E02")

        # Every episode: episode 2 is searched, found and downloaded.
        await call(client, follows.SET, SetFollow(tmdb_id=SHOW, mode=FollowMode.ALL), Follow)
        job = await wait_for_job(client)
        assert job.release_name == "The.Loopback.Show.S01E02.720p.WEB-DL.x264-NILU"
        assert len(episode_searches(indexer, "S01E02")) == 1

        removed = await call(client, follows.REMOVE, FollowRef(tmdb_id=SHOW), Follow)
        assert removed.tmdb_id == SHOW
        assert (await call(client, follows.LIST, ListFollows(), FollowList)).follows == []
        with pytest.raises(RemoteError, match="not followed"):
            await call(client, follows.REMOVE, FollowRef(tmdb_id=SHOW), Follow)


async def test_following_an_unknown_show_or_no_season_is_refused(stack) -> None:
    _show, client, downloader, _search = await stack(rss_interval=3600)
    async with running(downloader):
        with pytest.raises(RemoteError, match="no show 4242"):
            await call(client, follows.SET, SetFollow(tmdb_id=4242), Follow)
        with pytest.raises(RemoteError, match="at least one season"):
            await call(client, follows.SET, {"tmdb_id": SHOW, "mode": "seasons", "seasons": []}, Follow)


async def test_with_500_followed_shows_each_indexer_is_read_once_per_cycle(stack, indexer) -> None:
    with TorznabServer([item("Unrelated.S01E01.1080p.WEB-DL.x264-X")]) as second:
        show, client, downloader, search = await stack(rss_interval=0.5, more=[second])
        async with running(search), running(downloader):
            for tmdb_id in [SHOW, *show.others]:
                await call(client, follows.SET, SetFollow(tmdb_id=tmdb_id, mode=FollowMode.ALL), Follow)
            assert len((await call(client, follows.LIST, ListFollows(), FollowList)).follows) == 500

            indexer.add(item("The.Loopback.Show.S01E02.2160p.WEB-DL.x265-NILU"))
            job = await wait_for_job(client, timeout=60)
            assert job.release_name == "The.Loopback.Show.S01E02.2160p.WEB-DL.x265-NILU"

            reads = [len(feed_reads(indexer)), len(feed_reads(second))]
            await asyncio.sleep(3.0)
            per_indexer = [len(feed_reads(indexer)) - reads[0], len(feed_reads(second)) - reads[1]]
    # 3 s at one cycle per 0.5 s: about 6 cycles, one request each to each indexer, not one per show.
    assert all(5 <= n <= 8 for n in per_indexer), per_indexer
    # Nothing of the 499 others was out: none was searched.
    assert not [q for q in indexer.queries + second.queries if "followed" in q.get("q", "").casefold()]


async def test_with_no_indexer_the_downloader_stays_healthy_and_says_why_nothing_arrives(stack) -> None:
    _show, client, downloader, search = await stack(rss_interval=3600, no_indexer=True)
    async with running(search), running(downloader):
        await call(client, follows.SET, SetFollow(tmdb_id=SHOW), Follow)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while loop.time() < deadline:
            health = await call(client, health_subject("downloader"), HealthRequest(), ServiceHealth)
            monitor = next(c for c in health.checks if c.name == "monitor")
            if "could not look" in monitor.detail:
                break
            await asyncio.sleep(0.1)
        assert (
            "following 1 show; last check could not look: search: no indexer is configured" in monitor.detail
        )
        assert monitor.ok and health.ok
        assert await jobs_of(client) == []


def feed_reads(server: TorznabServer) -> list[dict[str, str]]:
    return [q for q in server.queries if q.get("t") == "search" and not q.get("q")]


async def wait_until(predicate, what: str, timeout: float = 20) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if predicate():
            return
        await asyncio.sleep(0.1)
    pytest.fail(f"{what} did not happen within {timeout:g} s")
