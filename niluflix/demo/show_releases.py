"""The offline demo's releases of the sample catalog's shows: an episode release per episode and a season
pack per season, generated and seeded like the movies.

Names follow the scene's TV style: `Caminandes.S01E02.720p.WEB.x264-NILU` for an episode (one folder
holding that episode's file), `Caminandes.S01.1080p.WEB.x264-NILU` for a season pack: a folder holding
each episode's file named by its episode (`Caminandes.S01E01.1080p.WEB.x264-NILU.mkv`, ...), a sample
under `Sample/` and an `.nfo`, the two a library must skip.
"""

import threading
from dataclasses import dataclass

from niluflix.demo.swarm import MiB, SeededTorrent, Swarm
from niluflix.demo.torznab import TV, TorznabItem

TV_HD = TV + 40  # Torznab's TV/HD


@dataclass(frozen=True)
class DemoShow:
    release_title: str  # the show's name in release style
    seasons: dict[int, int]  # season -> number of episodes, as in the catalog's sample
    tvdb_id: int | None = None
    imdb_id: str | None = None


# The shows of the catalog's offline sample (services/catalog/catalog/sample/shows.py), which has no
# TheTVDB or IMDb ids for them: they are groupings of open shorts that neither site lists as a show.
DEMO_SHOWS = [
    DemoShow("Caminandes", {1: 3}),
    DemoShow("Blender.Studio.Shorts", {1: 3, 2: 2}),
]
EPISODE_RELEASE = ("720p.WEB.x264-NILU", 2 * MiB, 21)  # suffix, size of the episode's file, seeders
PACK_RELEASE = ("1080p.WEB.x264-NILU", 2 * MiB, 34)  # suffix, size of each episode's file, seeders
SAMPLE_SIZE = MiB // 4


def episode_name(show: DemoShow, season: int, episode: int, suffix: str) -> str:
    return f"{show.release_title}.S{season:02d}E{episode:02d}.{suffix}"


def pack_name(show: DemoShow, season: int, suffix: str) -> str:
    return f"{show.release_title}.S{season:02d}.{suffix}"


def show_items(swarm: Swarm, stop: threading.Event) -> list[TorznabItem]:
    """Seed every episode and every season pack; stops early when asked to stop."""
    items = []
    for show in DEMO_SHOWS:
        for season, count in show.seasons.items():
            if stop.is_set():
                return items
            suffix, size, seeders = EPISODE_RELEASE
            for episode in range(1, count + 1):
                release = swarm.seed(episode_name(show, season, episode, suffix), size)
                items.append(_item(show, release, seeders, season, episode))
            suffix, size, seeders = PACK_RELEASE
            name = pack_name(show, season, suffix)
            files = {f"{episode_name(show, season, e, suffix)}.mkv": size for e in range(1, count + 1)}
            files[f"Sample/{name}.sample.mkv"] = SAMPLE_SIZE
            release = swarm.seed(name, files=files, nfo=True)
            items.append(_item(show, release, seeders, season, None))
    return items


def _item(
    show: DemoShow, release: SeededTorrent, seeders: int, season: int, episode: int | None
) -> TorznabItem:
    return TorznabItem(
        title=release.name,
        size=release.size,
        seeders=seeders,
        peers=seeders + 2,
        magnet_uri=release.magnet,
        info_hash=release.info_hash,
        torrent=release.torrent,
        imdb_id=show.imdb_id,
        tvdb_id=show.tvdb_id,
        season=season,
        episode=episode,
        category=TV_HD,
    )
