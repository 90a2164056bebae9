"""End-to-end fixtures: every service as its own process, driven through the gateway only.

The internet is replaced by real servers on 127.0.0.1: a TMDB-format server, a Torznab indexer, and a
tracker + seeder of freshly generated files.
"""

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pytest
from websockets.sync.client import connect

from niluflix.demo.swarm import MiB, SeededTorrent, Swarm
from niluflix.demo.torznab import TorznabItem, TorznabServer
from niluflix.runtime.stack import Stack, StackConfig
from niluflix.testing.net import free_port
from niluflix.testing.tmdb_server import TmdbMovie, TmdbServer

E2E_SERVICES = ("catalog", "search", "downloader", "organizer", "gateway")
SINTEL = TmdbMovie(
    id=45745, title="Sintel", release_date="2010-09-27", imdb_id="tt1727587", runtime=15,
    overview="A lonely young woman searches for a baby dragon.", popularity=50.0,
)


@dataclass
class World:
    """What the internet would be for one test: a movie on TMDB, its releases on an indexer and a swarm."""

    tmdb: TmdbServer
    indexer: TorznabServer
    swarm: Swarm
    best: SeededTorrent  # what an expert would pick: the well-seeded 1080p of the right year


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with Swarm(tmp_path / "swarm") as swarm, TmdbServer([SINTEL]) as tmdb:
        best = swarm.seed("Sintel.2010.1080p.BluRay.x264-NILU", 8 * MiB, sample_size=MiB, nfo=True)
        other = swarm.seed("Sintel.2010.720p.WEB-DL.AAC2.0.H.264-NILU", 4 * MiB)
        wrong_year = swarm.create("Sintel.2009.1080p.BluRay.x264-OLD", 4 * MiB)
        items = [
            TorznabItem(title=other.name, size=other.size, seeders=80, peers=90, magnet_uri=other.magnet,
                        info_hash=other.info_hash),
            TorznabItem(title=wrong_year.name, size=wrong_year.size, seeders=500, peers=510,
                        magnet_uri=wrong_year.magnet, info_hash=wrong_year.info_hash),
            TorznabItem(title=best.name, size=best.size, seeders=12, peers=15, magnet_uri=best.magnet,
                        info_hash=best.info_hash, torrent=best.torrent, imdb_id="tt1727587"),
        ]
        with TorznabServer(items) as indexer:
            yield World(tmdb=tmdb, indexer=indexer, swarm=swarm, best=best)


@pytest.fixture
def e2e_postgres(postgres_url: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one end-to-end run; each service makes its own schema in it."""
    name = f"niluflix_e2e_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = postgres_url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


StackFactory = Callable[..., Stack]


@pytest.fixture
def stack_factory(tmp_path: Path, clean_nats: str, world: World) -> Iterator[StackFactory]:
    stacks: list[Stack] = []

    def make(torrent_client: dict, *, database_url: str | None = None, env: dict | None = None) -> Stack:
        settings = {
            "NILUFLIX_TMDB_API_KEY": world.tmdb.api_key,
            "NILUFLIX_TMDB_BASE_URL": world.tmdb.base_url,
            "NILUFLIX_INDEXERS": json.dumps(
                [{"name": "Loopback", "url": world.indexer.url, "api_key": world.indexer.api_key}]
            ),
            "NILUFLIX_TORRENT_CLIENT": json.dumps(torrent_client),
            "NILUFLIX_LIBRARY_DIR": str(tmp_path / "library"),
            "NILUFLIX_DOWNLOADS_DIR": str(tmp_path / "downloads"),
            "NILUFLIX_SECRET_KEY": "",
            **(env or {}),
        }
        if database_url:
            settings["DATABASE_URL"] = database_url
        config = StackConfig(
            data_dir=tmp_path / "data", nats_url=clean_nats, gateway_port=free_port(),
            services=E2E_SERVICES, env=settings,
        )
        stack = Stack(config)
        stacks.append(stack)
        stack.start()
        health = stack.wait_ready(timeout=90)
        print(f"[e2e] torrent client: {health.get('torrent_client')}")
        return stack

    yield make
    for stack in stacks:
        stack.stop()


@dataclass
class EventLog:
    """Lifecycle events as a WebSocket client of the gateway sees them."""

    events: list[dict] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def names_for(self, job_id: str) -> list[str]:
        return [
            e["event"] for e in list(self.events)
            if e.get("type") == "event" and (e.get("data", {}).get("job") or {}).get("id") == job_id
        ]


@pytest.fixture
def ws_events() -> Iterator[Callable[[Stack], EventLog]]:
    threads: list[tuple[threading.Thread, EventLog]] = []

    def listen(stack: Stack) -> EventLog:
        log = EventLog()
        ready = threading.Event()

        def run() -> None:
            url = stack.gateway_url.replace("http://", "ws://") + "/ws"
            with connect(url, open_timeout=10) as ws:
                ready.set()
                while not log._stop.is_set():
                    try:
                        log.events.append(json.loads(ws.recv(timeout=0.5)))
                    except TimeoutError:
                        continue

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        assert ready.wait(10), "the gateway's WebSocket did not open"
        threads.append((thread, log))
        return log

    yield listen
    for thread, log in threads:
        log._stop.set()
        thread.join(5)


def wait_for(what: str, check: Callable[[], object], timeout: float = 120.0, every: float = 0.25) -> object:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except httpx.HTTPStatusError as exc:
            # A service that is restarting answers 503 through the gateway: that is what a user would see too.
            if exc.response.status_code != 503:
                raise
            last = exc.response.text
        else:
            if last:
                return last
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}; last: {last!r}")


def get_job(stack: Stack, job_id: str) -> dict:
    resp = httpx.get(f"{stack.gateway_url}/api/downloads/{job_id}", timeout=10)
    resp.raise_for_status()
    return resp.json()


def library_items(stack: Stack) -> list[dict]:
    resp = httpx.get(f"{stack.gateway_url}/api/library/movies", timeout=10)
    resp.raise_for_status()
    return resp.json()["items"]
