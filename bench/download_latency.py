"""From `POST /api/movies/{id}/download` to the torrent in the client, with 3 loopback indexers that answer
after set delays (goal: at most the slowest indexer's delay + 100 ms).

Everything runs for real: the five services as processes, a TMDB-format server, three Torznab indexers,
a swarm, and a Transmission daemon whose own RPC tells when the torrent arrived. The baseline is the
slowest indexer's answer time measured directly in the same run.
"""

import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import transmission_rpc

from niluflix.demo.profile import demo_profile_env
from niluflix.demo.swarm import MiB, Swarm
from niluflix.demo.torznab import TorznabItem, TorznabServer
from niluflix.runtime.stack import Stack, StackConfig
from niluflix.testing.nats_server import embedded_nats
from niluflix.testing.net import free_port
from niluflix.testing.tmdb_server import TmdbMovie, TmdbServer
from niluflix.testing.torrent_daemons import transmission_daemon

DELAYS = (0.2, 0.4, 0.6)
MOVIES = [
    ("Sintel", 2010),
    ("Tears of Steel", 2012),
    ("Elephants Dream", 2006),
    ("Spring", 2019),
    ("Charge", 2022),
]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="niluflix-bench-") as tmp_name:
        tmp = Path(tmp_name)
        with (
            Swarm(tmp / "swarm") as swarm,
            TmdbServer() as tmdb,
            embedded_nats() as nats_url,
            transmission_daemon(tmp / "transmission") as daemon,
        ):
            items, hashes = [], {}
            for i, (title, year) in enumerate(MOVIES, start=1):
                tmdb.add_movie(TmdbMovie(id=1000 + i, title=title, release_date=f"{year}-01-01"))
                release = swarm.create(f"{title.replace(' ', '.')}.{year}.1080p.BluRay.x264-NILU", MiB)
                hashes[1000 + i] = release.info_hash
                items.append(
                    TorznabItem(
                        title=release.name,
                        size=release.size,
                        seeders=10,
                        peers=12,
                        magnet_uri=release.magnet,
                        info_hash=release.info_hash,
                    )
                )
            indexers = [TorznabServer(items, delay=d, title=f"Delay {d}").start() for d in DELAYS]
            try:
                baseline = statistics.median(
                    timed(
                        lambda: httpx.get(
                            indexers[-1].url,
                            params={"t": "movie", "q": "Sintel 2010", "apikey": indexers[-1].api_key},
                        )
                    )
                    for _ in range(3)
                )
                env = {
                    "NILUFLIX_TMDB_API_KEY": tmdb.api_key,
                    "NILUFLIX_TMDB_BASE_URL": tmdb.base_url,
                    "NILUFLIX_INDEXERS": json.dumps(
                        [
                            {"name": f"idx{i}", "url": x.url, "api_key": x.api_key}
                            for i, x in enumerate(indexers)
                        ]
                    ),
                    "NILUFLIX_TORRENT_CLIENT": json.dumps(
                        {
                            "kind": "transmission",
                            "url": daemon.url,
                            "username": daemon.username,
                            "password": daemon.password,
                        }
                    ),
                    "NILUFLIX_LIBRARY_DIR": str(tmp / "library"),
                    "NILUFLIX_DOWNLOADS_DIR": str(tmp / "downloads"),
                    "NILUFLIX_DOWNLOADER_TICK_SECONDS": "0.5",
                    "NILUFLIX_MAX_CONCURRENT_DOWNLOADS": "10",  # nobody seeds these: none finishes
                    # 1 MiB releases would rightly be called fakes by the default profile's size rules
                    **demo_profile_env(),
                }
                config = StackConfig(
                    data_dir=tmp / "data",
                    nats_url=nats_url,
                    gateway_port=free_port(),
                    services=("catalog", "search", "downloader", "organizer", "gateway"),
                    env=env,
                )
                rpc = transmission_rpc.Client(
                    host="127.0.0.1",
                    port=int(daemon.url.split(":")[2].split("/")[0]),
                    username=daemon.username,
                    password=daemon.password,
                )
                with Stack(config) as stack:
                    stack.wait_ready(timeout=90)
                    samples = []
                    for tmdb_id, info_hash in hashes.items():
                        start = time.perf_counter()
                        resp = httpx.post(
                            f"{stack.gateway_url}/api/movies/{tmdb_id}/download", json={}, timeout=30
                        )
                        resp.raise_for_status()
                        while not any(
                            t.hash_string == info_hash for t in rpc.get_torrents(arguments=["hashString"])
                        ):
                            if time.perf_counter() - start > 30:
                                job = httpx.get(
                                    f"{stack.gateway_url}/api/downloads/{resp.json()['id']}"
                                ).json()
                                raise SystemExit(f"torrent for {tmdb_id} never reached Transmission: {job}")
                            time.sleep(0.005)
                        samples.append(time.perf_counter() - start)
                median = statistics.median(samples)
                print(f"indexer delays: {', '.join(f'{d * 1000:.0f} ms' for d in DELAYS)}")
                print(f"baseline (slowest indexer answering alone): {baseline * 1000:.0f} ms")
                print(
                    f"POST download -> torrent in Transmission: median {median * 1000:.0f} ms "
                    f"(min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f}, n={len(samples)})"
                )
                overhead = median - baseline
                print(
                    f"ratio to baseline: {median / baseline:.2f}x; overhead {overhead * 1000:.0f} ms "
                    f"(goal <= 100 ms): {'PASS' if overhead <= 0.1 else 'FAIL'}"
                )
            finally:
                for x in indexers:
                    x.stop()


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
