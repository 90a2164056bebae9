"""`GET /api/tv/{id}/season/{n}` for a cached season through the gateway, against a bare FastAPI route
serving the same JSON (goal: p99 within 2x the bare route's).

The show page polls this route every second. It joins three services (catalog for the season, organizer for
the files, downloader for the downloads and the follow), which here run for real as processes on an embedded
NATS server, catalog answering from a TMDB-format server. The baseline is a FastAPI app with one route that
returns the gateway's own reply, served by uvicorn in its own process like the gateway, and asked by the same
client in the same run, in alternating rounds so both see the same machine.

    .venv/bin/python bench/season_page.py [--requests 2000]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from niluflix.runtime.stack import Stack, StackConfig
from niluflix.testing.nats_server import embedded_nats
from niluflix.testing.net import free_port
from niluflix.testing.tmdb_server import TmdbEpisode, TmdbSeason, TmdbServer, TmdbShow

SHOW = TmdbShow(
    id=1399,
    name="Open Show",
    first_air_date="2020-01-05",
    status="Ended",
    seasons=[
        TmdbSeason(
            number=1,
            episodes=[
                TmdbEpisode(number=n, name=f"Episode {n}", air_date=f"2020-{n:02d}-05", runtime=50)
                for n in range(1, 11)
            ],
        )
    ],
)
ROUNDS = 5
GOAL = 2.0

BARE_APP = """
import json, sys
import uvicorn
from fastapi import FastAPI

reply = json.loads(open(sys.argv[1]).read())
app = FastAPI()

@app.get("/api/tv/{tmdb_id}/season/{season}")
async def season(tmdb_id: int, season: int) -> dict:
    return reply

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def latencies(client: httpx.Client, url: str, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        client.get(url).raise_for_status()
        samples.append(time.perf_counter() - start)
    return samples


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


def wait_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{url} never answered")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000, help="requests per route, over all rounds")
    args = parser.parse_args()
    per_round = max(args.requests // ROUNDS, 50)

    with tempfile.TemporaryDirectory(prefix="niluflix-bench-") as tmp_name:
        tmp = Path(tmp_name)
        with TmdbServer() as tmdb, embedded_nats() as nats_url:
            tmdb.add_show(SHOW)
            env = {
                "NILUFLIX_TMDB_API_KEY": tmdb.api_key,
                "NILUFLIX_TMDB_BASE_URL": tmdb.base_url,
                "NILUFLIX_TORRENT_CLIENT": json.dumps({"kind": "embedded"}),
                "NILUFLIX_LIBRARY_DIR": str(tmp / "library"),
                "NILUFLIX_DOWNLOADS_DIR": str(tmp / "downloads"),
                "NILUFLIX_LOG_LEVEL": "warning",
            }
            config = StackConfig(
                data_dir=tmp / "data",
                nats_url=nats_url,
                gateway_port=free_port(),
                services=("catalog", "downloader", "organizer", "gateway"),
                env=env,
            )
            with Stack(config) as stack:
                stack.wait_ready(timeout=90)
                path = f"/api/tv/{SHOW.id}/season/1"
                first = httpx.get(stack.gateway_url + path, timeout=30)
                first.raise_for_status()
                reply = tmp / "reply.json"
                reply.write_text(first.text)

                port = free_port()
                bare = subprocess.Popen(
                    [sys.executable, "-c", BARE_APP, str(reply), str(port)], env=os.environ
                )
                try:
                    bare_url = f"http://127.0.0.1:{port}{path}"
                    wait_up(bare_url)
                    gateway, baseline = [], []
                    with httpx.Client(timeout=10) as client:
                        latencies(client, stack.gateway_url + path, 100)  # warm both up
                        latencies(client, bare_url, 100)
                        for _ in range(ROUNDS):
                            baseline += latencies(client, bare_url, per_round)
                            gateway += latencies(client, stack.gateway_url + path, per_round)
                finally:
                    bare.terminate()
                    bare.wait(10)

    episodes = len(first.json()["episodes"])
    print(f"a cached {episodes}-episode season, {len(gateway)} requests each, one client, keep-alive")
    for name, samples in (("bare FastAPI route", baseline), ("gateway", gateway)):
        print(
            f"{name:>18}: p50 {statistics.median(samples) * 1000:.2f} ms, "
            f"p99 {p99(samples) * 1000:.2f} ms, max {max(samples) * 1000:.2f} ms"
        )
    ratio = p99(gateway) / p99(baseline)
    print(
        f"p99 ratio gateway / bare: {ratio:.2f}x (goal <= {GOAL:.0f}x): {'PASS' if ratio <= GOAL else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
