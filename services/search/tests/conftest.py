"""Loopback parts for the search tests: Torznab servers, a private NATS server.

Broken indexers (an HTML page, an error page, an endless answer) are pytest-httpserver's canned answers.
"""

import hashlib
from collections.abc import Callable, Iterator
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
