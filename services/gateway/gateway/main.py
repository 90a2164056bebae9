"""Wiring: the FastAPI app, its lifespan, and the uvicorn entry point."""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline

from gateway import access_log
from gateway.api import (
    auth,
    calendar,
    downloads,
    health,
    indexers,
    library,
    movies,
    problems,
    profiles,
    remote,
    search,
    tv,
    ws,
)
from gateway.api import follows as follows_api
from gateway.api import providers as providers_api
from gateway.api import settings as settings_api
from gateway.auth.gatekeeper import Gatekeeper
from gateway.auth.keys import load_or_create_key
from gateway.auth.tls import tls_files
from gateway.body_limit import BodyLimit
from gateway.deps import GatewayState, require_access
from gateway.health import SERVICE, nats_check
from gateway.live.hub import Hub
from gateway.live.relay import relay_router
from gateway.remote.access import RemoteAccess
from gateway.settings import GatewaySettings
from niluflix import client_credential
from niluflix.service_runner import ServiceRunner, run_service

log = logging.getLogger("gateway")

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    runner = ServiceRunner(SERVICE, settings, migrations=MIGRATIONS)
    state = GatewayState(
        settings=settings, broker=runner.broker, hub=Hub(settings.ws_queue_size), own_health=runner.health
    )
    runner.broker.include_router(relay_router(state.hub, state.shows, noticed=_remote_noticed(state)))

    @asynccontextmanager
    async def parts(run: ServiceRunner) -> AsyncIterator[None]:
        state.engine, state.live = run.engine, run.live
        state.client_key = await asyncio.to_thread(client_credential.load_or_create, settings.data_dir)
        if settings.api_key is not None:
            state.api_key = settings.api_key.get_secret_value()
        else:
            state.api_key = await load_or_create_key(run.engine, run.box)
        run.check_health(lambda: nats_check(run.nats_connected()))
        state.remote = RemoteAccess(state, settings, run.engine, run.box, run.version)
        await state.remote.load()
        run.run_in_background(*state.remote.loops())
        app.state.gateway = state
        try:
            yield
        finally:
            state.hub.close()

    # /docs and /redoc with Swagger UI's and ReDoc's assets served from here, not a CDN: they work offline.
    app = FastAPIOffline(
        title="NiluFlix",
        version=runner.version,
        description="Browse movies, download them, watch the progress live. Requests from other hosts "
        "need the X-Api-Key header.",
        lifespan=runner.lifespan(parts),
    )
    app.state.runner = runner  # main() serves it: runner.serve_http
    problems.install(app)
    app.add_middleware(BodyLimit)  # a body of 1 MB or more is a 413 before it is read: see body_limit.py
    # (added last, so it runs first: a foreign Host or Origin is refused before any body is read)
    app.add_middleware(Gatekeeper, settings=settings)  # Host, Origin, who the client is: auth/gatekeeper.py
    guarded = [Depends(require_access)]
    routers = (
        movies,
        follows_api,  # before tv: /api/tv/followed is not a show id
        tv,
        calendar,
        downloads,
        library,
        health,
        settings_api,
        search,
        profiles,
        indexers,
        providers_api,
        remote,
    )
    for module in routers:
        app.include_router(module.router, dependencies=guarded)
    app.include_router(tv.episodes_router, dependencies=guarded)
    app.include_router(auth.router)  # this machine and the UI only: see api/auth.py
    app.include_router(ws.router)  # checks the key itself: browsers cannot set headers on a WebSocket
    return app


def _remote_noticed(state: GatewayState) -> Callable[[str], None]:
    def noticed(kind: str) -> None:
        if state.remote is not None:
            state.remote.noticed(kind)

    return noticed


def main() -> None:
    settings = GatewaySettings()

    async def serve() -> None:
        app = create_app(settings)
        await app.state.runner.serve_http(uvicorn.Server(server_config(app, settings)))

    run_service(SERVICE, settings, serve)


def server_config(app: FastAPI, settings: GatewaySettings) -> uvicorn.Config:
    access_log.install()
    cert, key = tls_files(settings)
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,  # keep the NiluFlix log format
        proxy_headers=False,  # the peer address decides who is local; see auth/guard.py
        ws="websockets-sansio",
        ssl_certfile=cert,
        ssl_keyfile=key,
    )
