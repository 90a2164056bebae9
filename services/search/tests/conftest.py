"""Loopback parts for the search tests: Torznab servers, a raw HTTP server, a private NATS server."""

import hashlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import httpx
import pytest
from search.indexers.torznab import TorznabIndexer

from niluflix.contracts.settings import IndexerSettings
from niluflix.demo.torznab import DEFAULT_API_KEY, TorznabItem, TorznabServer
from niluflix.testing.nats_server import embedded_nats


@pytest.fixture
def make_item() -> Callable[..., TorznabItem]:
    """A magnet-only item whose info hash comes from its title, so each title is its own torrent."""

    def make(title: str, *, seeders: int = 10, info_hash: str | None = None, **kwargs) -> TorznabItem:
        info_hash = info_hash or hashlib.sha1(title.encode()).hexdigest()
        kwargs.setdefault("size", 2_000_000_000)
        kwargs.setdefault("peers", seeders + 3)
        uri = f"magnet:?xt=urn:btih:{info_hash}&dn={quote(title)}"
        return TorznabItem(title, seeders=seeders, magnet_uri=uri, info_hash=info_hash, **kwargs)

    return make


@pytest.fixture
def torznab() -> Iterator[Callable[..., TorznabServer]]:
    """Start Torznab servers on loopback; all are stopped after the test."""
    started: list[TorznabServer] = []

    def start(items: list[TorznabItem] = (), **kwargs) -> TorznabServer:
        server = TorznabServer(items, **kwargs).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@dataclass
class Canned:
    """What the raw server answers every GET with."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    send_length: bool = True
    paths: list[str] = field(default_factory=list)


@pytest.fixture
def raw_http() -> Iterator[tuple[str, Canned]]:
    """An HTTP server on loopback answering whatever the test puts in `Canned`: for broken indexers."""
    canned = Canned()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            canned.paths.append(self.path)
            self.send_response(canned.status)
            self.send_header("Content-Type", canned.content_type)
            if canned.send_length:
                self.send_header("Content-Length", str(len(canned.body)))
            self.end_headers()
            try:
                self.wfile.write(canned.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading, as it should past the size cap

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api", canned
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
async def http() -> httpx.AsyncClient:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


@pytest.fixture
def indexer(http: httpx.AsyncClient) -> Callable[..., TorznabIndexer]:
    def make(
        url: str, *, name: str = "Demo", api_key: str | None = DEFAULT_API_KEY, max_feed_bytes: int = 10 << 20
    ):
        settings = IndexerSettings(name=name, url=url, api_key=api_key)
        return TorznabIndexer(settings, http, max_feed_bytes=max_feed_bytes)

    return make


@pytest.fixture
def private_nats(tmp_path) -> Iterator[str]:
    """A NATS server of our own (it starts in milliseconds): the search subjects and queue group are fixed by
    contract, so on a shared server another running search service would answer some of our requests, and
    the shared settings bucket is ours to write here."""
    with embedded_nats(store_dir=tmp_path / "nats") as url:
        yield url
