"""`python -m niluflix.demo`: the offline demo's indexer and swarm, run by `niluflix up` when no TMDB key is set.

It seeds freshly generated releases of the sample catalog's open movies and shows (episodes and season
packs, `show_releases`) from a local tracker + seeder and lists them on a local Torznab indexer, so a new
user presses Download and watches a real torrent go through, with no internet and no key. When ready it writes `<data dir>/demo/ready.json` with the
indexer's URL and key.

Its ports never keep NiluFlix from starting: the indexer and the tracker take the ports they had last
time, else the ones asked for, else the next free ones; the seeder takes any free port. Last time's come
first because a saved copy of the settings keeps the indexer's URL; when the indexer lands elsewhere, that
saved URL is moved to the new port (`saved_indexer`).

In a Compose stack (`--profile demo`) it runs as its own service: `--host 0.0.0.0 --public-host demo` makes
it reachable from the other containers by its service name, and `--join-stack` adds its indexer and profile
to the stack's shared settings (see `niluflix.demo.stack_settings`).
"""

import argparse
import asyncio
import errno
import hashlib
import json
import logging
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from niluflix.config import ServiceSettings, default_data_dir
from niluflix.demo.saved_indexer import follow_new_port
from niluflix.demo.show_releases import show_items
from niluflix.demo.stack_settings import add_demo_to_settings
from niluflix.demo.swarm import MiB, Swarm
from niluflix.demo.torznab import DEMO_TV_SEARCH, TorznabItem, TorznabServer
from niluflix.logs import setup_logging
from niluflix.secretbox import SecretBox

log = logging.getLogger("niluflix.demo")

T = TypeVar("T")
PORT_SEARCH = 100  # ports tried after the one asked for

# (title in release style, year, IMDb id): the open movies of the catalog's offline sample.
DEMO_MOVIES = [
    ("Big.Buck.Bunny", 2008, "tt1254207"),
    ("Sintel", 2010, "tt1727587"),
    ("Tears.of.Steel", 2012, "tt2285752"),
    ("Elephants.Dream", 2006, "tt0807840"),
    ("Cosmos.Laundromat", 2015, None),
    ("Spring", 2019, None),
    ("Agent.327.Operation.Barbershop", 2017, None),
    ("Caminandes.3.Llamigos", 2016, None),
    ("Sprite.Fright", 2021, None),
    ("Charge", 2022, None),
]

# Each movie comes in two qualities, so the ranking has a real choice to make (it picks the 1080p).
RELEASES = [("1080p.BluRay.x264-NILU", 12 * MiB, 42), ("720p.WEB-DL.AAC2.0.H.264-NILU", 6 * MiB, 17)]
# And in the releases an expert turns down, listed but seeded by nobody, so the release table on a movie's
# page shows its reasons in words: a CAM with many seeders, and a 2160p nobody seeds any more.
DECOYS = [
    ("HDCAM.x264-CAMRiP", 900),
    ("2160p.WEB-DL.x265-GONE", 0),
]


def candidate_ports(last: int | None, wanted: int) -> Iterator[int]:
    """Last time's port, then the one asked for and the ports after it (0: any free port)."""
    if last:
        yield last
    if wanted == 0:
        yield 0
        return
    yield from range(wanted, min(wanted + PORT_SEARCH, 65536))


def bind_first_free(ports: Iterator[int], bind: Callable[[int], T]) -> T:
    for port in ports:
        try:
            return bind(port)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            log.info("port %d is taken: trying the next", port)
    raise OSError(errno.EADDRINUSE, "no free port for the offline demo")


def read_last_ports(path: Path) -> dict[str, int]:
    try:
        return {k: int(v) for k, v in json.loads(path.read_text()).items()}
    except (FileNotFoundError, ValueError, AttributeError, TypeError):
        return {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(os.environ.get("NILUFLIX_DATA_DIR") or default_data_dir())
    )
    parser.add_argument("--indexer-port", type=int, default=7990, help="or the next free one; 0: any")
    parser.add_argument("--tracker-port", type=int, default=7991, help="or the next free one; 0: any")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    parser.add_argument("--public-host", help="the name other machines reach this one by (default: --host)")
    parser.add_argument(
        "--join-stack",
        action="store_true",
        help="add the demo indexer and profile to the shared settings in NATS",
    )
    args = parser.parse_args()
    setup_logging("demo", os.environ.get("NILUFLIX_LOG_LEVEL", "INFO"))

    demo_dir = args.data_dir / "demo"
    work_dir = demo_dir / "swarm"
    # Fresh files each start: a client that once finished a torrent from a loopback peer refuses that peer later.
    shutil.rmtree(work_dir, ignore_errors=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    ports_file = demo_dir / "ports.json"
    last = read_last_ports(ports_file)
    # Where the indexer may have listened before, so a saved copy of the settings may point there.
    last_or_wanted = {p for p in (last.get("indexer"), args.indexer_port) if p}
    tracker_ports = candidate_ports(last.get("tracker"), args.tracker_port)
    where = {"host": args.host, "public_host": args.public_host}
    with bind_first_free(tracker_ports, lambda port: Swarm(work_dir, tracker_port=port, **where)) as swarm:
        items = demo_items(swarm, stop) + show_items(swarm, stop)
        indexer_ports = candidate_ports(last.get("indexer"), args.indexer_port)
        indexer = bind_first_free(
            indexer_ports,
            lambda port: TorznabServer(items, port=port, tv_search=DEMO_TV_SEARCH, **where).start(),
        )
        try:
            # Before ready.json: the services start after it, and must read the indexer's current URL.
            earlier = {indexer.url.replace(f":{indexer.port}/", f":{port}/") for port in last_or_wanted}
            credentials = ServiceSettings().nats_credentials()
            follow_new_port(
                os.environ.get("NATS_URL"), args.data_dir, earlier, indexer.url, credentials=credentials
            )
            ports_file.write_text(json.dumps({"indexer": indexer.port, "tracker": swarm.tracker.port}))
            if args.join_stack:
                settings = ServiceSettings()
                box = SecretBox.from_env_or_file(settings.data_dir)
                asyncio.run(
                    add_demo_to_settings(
                        settings.nats_url, box, indexer.url, indexer.api_key, credentials=credentials
                    )
                )
            ready = {"indexer_url": indexer.url, "api_key": indexer.api_key, "tracker": swarm.announce_url}
            (demo_dir / "ready.json").write_text(json.dumps(ready))
            log.info("offline demo ready: %d releases on %s", len(items), indexer.url)
            stop.wait()
        finally:
            indexer.stop()
    log.info("offline demo stopped")


def demo_items(swarm: Swarm, stop: threading.Event) -> list[TorznabItem]:
    """Seed each movie's releases and list them with the decoys; stops early when asked to stop."""
    items = []
    for title, year, imdb_id in DEMO_MOVIES:
        if stop.is_set():
            break
        for suffix, size, seeders in RELEASES:
            release = swarm.seed(f"{title}.{year}.{suffix}", size, sample_size=MiB // 2, nfo=True)
            items.append(
                TorznabItem(
                    title=release.name,
                    size=release.size,
                    seeders=seeders,
                    peers=seeders + 3,
                    magnet_uri=release.magnet,
                    info_hash=release.info_hash,
                    torrent=release.torrent,
                    imdb_id=imdb_id,
                )
            )
        for pattern, seeders in DECOYS:
            name = f"{title}.{year}.{pattern}"
            info_hash = hashlib.sha1(name.encode()).hexdigest()
            items.append(
                TorznabItem(
                    title=name,
                    size=10 * MiB,
                    seeders=seeders,
                    peers=seeders,
                    magnet_uri=f"magnet:?xt=urn:btih:{info_hash}&dn={name}",
                    info_hash=info_hash,
                    imdb_id=imdb_id,
                )
            )
    return items


if __name__ == "__main__":
    main()
