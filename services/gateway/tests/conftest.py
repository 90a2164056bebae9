"""A real gateway on 127.0.0.1 (uvicorn), real NATS, and small real NATS responders standing in for the
peer services, speaking their contracts.

The gateway calls fixed subjects (`catalog.v1.popular`, ...), which other services' tests may answer on a
shared NATS server at the same moment. These tests therefore run their own NATS server (with JetStream),
so every reply the gateway gets comes from the responders of the test itself.
"""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from faststream import TestApp
from faststream.nats import NatsBroker, NatsRouter
from gateway.deps import GatewayState
from gateway.main import create_app, server_config
from gateway.settings import GatewaySettings
from search.main import create_app as create_search
from search.settings import SearchSettings

from niluflix.contracts.downloads import Job, JobState
from niluflix.messaging import rpc_router
from niluflix.testing.fixtures import Database
from niluflix.testing.nats_server import embedded_nats
from niluflix.testing.net import free_port

ENV = (
    "NILUFLIX_API_KEY",
    "NILUFLIX_TMDB_API_KEY",
    "NILUFLIX_LIBRARY_DIR",
    "NILUFLIX_TORRENT_CLIENT",
    "NILUFLIX_INDEXERS",
    "NILUFLIX_SECRET_KEY",
    "DATABASE_URL",
    "NILUFLIX_GATEWAY_DATABASE_URL",
)


@pytest.fixture(scope="session")
def nats_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with embedded_nats(store_dir=tmp_path_factory.mktemp("nats")) as url:
        yield url


@pytest.fixture(autouse=True)
def _no_outside_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def settings(database: Database, clean_nats: str, tmp_path: Path) -> GatewaySettings:
    """Every test starts from no saved settings and no streams (on the tests' own NATS server)."""
    return GatewaySettings(
        nats_url=clean_nats,
        data_dir=tmp_path / "data",
        database_url=database.url,
        database_schema=database.schema,
        host="127.0.0.1",
        port=free_port(),
        request_timeout=5,
        health_timeout=1,
    )


@dataclass
class RunningGateway:
    url: str
    ws_url: str
    state: GatewayState


@asynccontextmanager
async def serve_gateway(settings: GatewaySettings) -> AsyncIterator[RunningGateway]:
    """One gateway served by uvicorn on `settings.port`, as `python -m gateway` serves it."""
    app = create_app(settings)
    server = uvicorn.Server(server_config(app, settings))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # the start failed: raise why
            raise RuntimeError("the gateway stopped while starting")
        await asyncio.sleep(0.02)
    try:
        yield RunningGateway(
            url=f"http://127.0.0.1:{settings.port}",
            ws_url=f"ws://127.0.0.1:{settings.port}/ws",
            state=app.state.gateway,
        )
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def app(settings: GatewaySettings) -> AsyncIterator[FastAPI]:
    """The gateway app with its lifespan run, for requests through ASGI from any peer address."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


def client_from(app: FastAPI, peer: tuple[str, int], **headers: str) -> httpx.AsyncClient:
    """A client whose requests come from `peer`, as the gateway sees a connection from that address."""
    transport = httpx.ASGITransport(app=app, client=peer)
    return httpx.AsyncClient(transport=transport, base_url="http://localhost", headers=headers)


@pytest.fixture
async def gateway(settings: GatewaySettings) -> AsyncIterator[RunningGateway]:
    async with serve_gateway(settings) as running:
        yield running


@pytest.fixture
def start_gateway() -> Callable[[GatewaySettings], AbstractAsyncContextManager[RunningGateway]]:
    """`async with start_gateway(settings) as gateway:` serves one more gateway (a replica)."""
    return serve_gateway


@pytest.fixture
async def client(gateway: RunningGateway) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway.url, timeout=15) as http:
        yield http


class Peers:
    """Stand-ins for the other services: handlers on `router` (with the RPC error convention), then `start()`."""

    def __init__(self, nats_url: str) -> None:
        self.broker = NatsBroker(nats_url)
        self.router: NatsRouter = rpc_router()
        self.started = False

    async def start(self) -> None:
        self.broker.include_router(self.router)
        await self.broker.start()
        await self.broker.connection.flush()
        self.started = True

    async def stop(self) -> None:
        if self.started:
            await self.broker.stop()


@pytest.fixture
async def peers(nats_url: str) -> AsyncIterator[Peers]:
    p = Peers(nats_url)
    try:
        yield p
    finally:
        await p.stop()


@pytest.fixture
async def search(gateway: RunningGateway, settings: GatewaySettings) -> AsyncIterator[None]:
    """The real search service beside the gateway, on the same NATS server and data dir."""
    service = SearchSettings(nats_url=settings.nats_url, data_dir=settings.data_dir, indexer_timeout=2)
    async with TestApp(create_search(service)):
        yield


@pytest.fixture
def make_job() -> Callable[..., Job]:
    """A job for Sintel in `state`, created now; `fields` set the rest (`updated_at` too)."""

    def make(state: JobState, **fields) -> Job:
        now = datetime.now(UTC)
        return Job(
            id=uuid4(),
            tmdb_id=45745,
            title="Sintel",
            year=2010,
            state=state,
            created_at=now,
            updated_at=fields.pop("updated_at", now),
            **fields,
        )

    return make
