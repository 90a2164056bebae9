"""Asking for a whole season of 10 episodes when a healthy season pack is offered: torrents added, against
the per-episode baseline (10 requests of one episode each) measured in the same run.

Real parts: the downloader as `python -m downloader` runs it (its own SQLite database, the tick, the
embedded libtorrent engine), NATS, and releases from a loopback swarm (nobody seeds them, so each torrent
stays in the client once added). Catalog and search are NATS responders answering as those services do:
a season's episodes with names and air dates; for a season search the pack and every episode, for an
episode search that episode. Torrents added are counted as the distinct info hashes the engine holds.
"""

import asyncio
import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import nats
from catalog.airing import airs_at
from cryptography.fernet import Fernet
from downloader.main import create_app
from downloader.settings import DownloaderSettings
from faststream.nats import NatsBroker

from niluflix.contracts import catalog, downloads, search
from niluflix.contracts.catalog import EpisodeDetails, GetSeason, GetTitle, SeasonDetails, TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import CreateDownload, Job, JobList, JobState, ListDownloads
from niluflix.contracts.search import FindReleases, ParsedRelease, Release, ReleaseList
from niluflix.contracts.settings import SharedSettings, TorrentClientKind, TorrentClientSettings
from niluflix.demo.swarm import MiB, Swarm
from niluflix.messaging import request, rpc_queue, rpc_router
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings
from niluflix.testing.nats_server import embedded_nats

EPISODES = 10
SEASON = 1
WITH_PACK, BASELINE = 95396, 95397  # the same show's offer under two ids: one per way of asking


def offers(swarm: Swarm) -> tuple[Release, dict[int, Release]]:
    def release(name: str, episodes: list[int]) -> Release:
        made = swarm.create(name, MiB, single_file=bool(episodes))
        return Release(
            name=made.name,
            indexer="Loopback",
            size=made.size,
            seeders=25,
            magnet_uri=made.magnet,
            info_hash=made.info_hash,
            parsed=ParsedRelease(season=SEASON, episodes=episodes),
        )

    pack = release("Severance.S01.1080p.WEB-DL.x264-NILU", [])
    singles = {
        n: release(f"Severance.S01E{n:02d}.1080p.WEB-DL.x264-NILU", [n]) for n in range(1, EPISODES + 1)
    }
    return pack, singles


def peers(
    nats_url: str, pack: Release, singles: dict[int, Release], searches: list[FindReleases]
) -> NatsBroker:
    router = rpc_router()
    first_air = date(2022, 2, 18)

    @router.subscriber(catalog.DETAILS, queue=rpc_queue("catalog"))
    async def details(req: GetTitle) -> TitleDetails:
        return TitleDetails(tmdb_id=req.tmdb_id, media_type=MediaType.TV, title="Severance", year=2022)

    @router.subscriber(catalog.SEASON, queue=rpc_queue("catalog"))
    async def season(req: GetSeason) -> SeasonDetails:
        return SeasonDetails(
            tmdb_id=req.tmdb_id,
            season=req.season,
            episodes=[
                EpisodeDetails(
                    episode_id=n,
                    show_id=req.tmdb_id,
                    season=req.season,
                    episode=n,
                    name=f"Chapter {n}",
                    air_date=first_air + timedelta(weeks=n - 1),
                    airs_at=airs_at(first_air + timedelta(weeks=n - 1)),  # as the catalog sets it
                )
                for n in range(1, EPISODES + 1)
            ],
        )

    @router.subscriber(search.RELEASES, queue=rpc_queue("search"))
    async def releases(req: FindReleases) -> ReleaseList:
        searches.append(req)
        if req.episode is None:
            return ReleaseList(releases=[pack, *singles.values()])
        return ReleaseList(releases=[singles[req.episode]])

    broker = NatsBroker(nats_url)
    broker.include_router(router)
    return broker


async def torrents_of(
    broker: NatsBroker, tmdb_id: int, expected: int, timeout: float = 60
) -> tuple[int, float]:
    """Distinct torrents the show's jobs hold once `expected` of them are added, and the seconds it took."""
    start = time.perf_counter()
    while True:
        listed = await request(
            broker,
            downloads.LIST,
            ListDownloads(tmdb_id=tmdb_id, media_type=MediaType.TV),
            JobList,
            timeout=10,
        )
        added = {j.info_hash for j in listed.jobs if j.state is JobState.DOWNLOADING and j.info_hash}
        if len(added) >= expected:
            return len(added), time.perf_counter() - start
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"only {len(added)} of {expected} torrents added for {tmdb_id}: {listed.jobs}")
        await asyncio.sleep(0.05)


async def run(tmp: Path, nats_url: str) -> None:
    os.environ["NILUFLIX_SECRET_KEY"] = Fernet.generate_key().decode()
    settings = DownloaderSettings(
        nats_url=nats_url,
        data_dir=tmp / "data",
        database_url=f"sqlite:///{tmp / 'downloader.db'}",
        tick_seconds=0.1,
        stall_timeout=3600,
    )
    nc = await nats.connect(nats_url)
    live = LiveSettings(nc.jetstream(), SecretBox.from_env_or_file(settings.data_dir))
    await live.start()
    await live.save(
        SharedSettings(
            torrent_client=TorrentClientSettings(kind=TorrentClientKind.EMBEDDED), max_concurrent_downloads=20
        )
    )
    await live.stop()
    await nc.close()

    with Swarm(tmp / "swarm") as swarm:
        pack, singles = offers(swarm)
        searches: list[FindReleases] = []
        broker = peers(nats_url, pack, singles, searches)
        await broker.start()
        app = create_app(settings)
        async with app.lifespan_context():
            await app.start()
            try:
                whole = CreateDownload(tmdb_id=WITH_PACK, media_type=MediaType.TV, season=SEASON)
                await request(broker, downloads.CREATE, whole, Job, timeout=10)
                season_torrents, season_secs = await torrents_of(broker, WITH_PACK, 1)
                season_searches = sum(s.tmdb_id == WITH_PACK for s in searches)
                for n in range(1, EPISODES + 1):
                    one = CreateDownload(
                        tmdb_id=BASELINE, media_type=MediaType.TV, season=SEASON, episodes=[n]
                    )
                    await request(broker, downloads.CREATE, one, Job, timeout=10)
                base_torrents, base_secs = await torrents_of(broker, BASELINE, EPISODES)
                base_searches = sum(s.tmdb_id == BASELINE for s in searches)
            finally:
                await app.stop()
        await broker.stop()

    print(f"a {EPISODES}-episode season, a healthy pack offered ({pack.seeders} seeders)")
    print(
        f"season request: {season_torrents} torrent(s) added, {season_searches} search(es), "
        f"all added in {season_secs * 1000:.0f} ms"
    )
    print(
        f"baseline, one request per episode: {base_torrents} torrents added, {base_searches} searches, "
        f"all added in {base_secs * 1000:.0f} ms"
    )
    print(
        f"ratio: {base_torrents / season_torrents:.1f}x fewer torrents, "
        f"{base_searches / season_searches:.1f}x fewer searches (goal: 1 torrent for the season): "
        f"{'PASS' if season_torrents == 1 else 'FAIL'}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="niluflix-bench-") as tmp, embedded_nats() as nats_url:
        asyncio.run(run(Path(tmp), nats_url))


if __name__ == "__main__":
    main()
