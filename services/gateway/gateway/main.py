"""Wiring: the FastAPI app, its lifespan, and the uvicorn entry point."""

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline

from gateway.api import downloads, health, indexers, library, movies, problems, profiles, search, ws
from gateway.api import providers as providers_api
from gateway.api import settings as settings_api
from gateway.auth.keys import load_or_create_key
from gateway.bus import flush, jetstream
from gateway.deps import GatewayState, require_access
from gateway.handlers import build_router
from gateway.health import VERSION
from gateway.live.hub import Hub
from gateway.live.relay import relay_router
from gateway.settings import GatewaySettings
from niluflix.db import make_async_engine, migrate
from niluflix.logs import setup_logging
from niluflix.messaging import make_broker
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings

log = logging.getLogger("gateway")

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    broker = make_broker(settings.nats_url, name="gateway")
    state = GatewayState(settings=settings, broker=broker, hub=Hub(settings.ws_queue_size))
    broker.include_router(build_router(state))
    broker.include_router(relay_router(state.hub))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        box = await asyncio.to_thread(SecretBox.from_env_or_file, settings.data_dir)
        await asyncio.to_thread(
            migrate, settings.database_url, schema=settings.database_schema, migrations=MIGRATIONS
        )
        state.engine = make_async_engine(settings.database_url, schema=settings.database_schema)
        try:
            if settings.api_key is not None:
                state.api_key = settings.api_key.get_secret_value()
            else:
                state.api_key = await load_or_create_key(state.engine, box)
            await broker.start()
            try:
                await flush(broker)
                state.live = LiveSettings(jetstream(broker), box)
                await state.live.start()
                try:
                    app.state.gateway = state
                    log.info("gateway ready")
                    yield
                finally:
                    state.hub.close()
                    await state.live.stop()
            finally:
                await broker.stop()
        finally:
            await state.engine.dispose()

    # /docs and /redoc with Swagger UI's and ReDoc's assets served from here, not a CDN: they work offline.
    app = FastAPIOffline(
        title="NiluFlix",
        version=VERSION,
        description="Browse movies, download them, watch the progress live. Requests from other hosts "
        "need the X-Api-Key header.",
        lifespan=lifespan,
    )
    problems.install(app)
    guarded = [Depends(require_access)]
    routers = (movies, downloads, library, health, settings_api, search, profiles, indexers, providers_api)
    for module in routers:
        app.include_router(module.router, dependencies=guarded)
    app.include_router(ws.router)  # checks the key itself: browsers cannot set headers on a WebSocket
    return app


class RedactApiKey(logging.Filter):
    """uvicorn logs request paths with their query, and a WebSocket URL may carry `apikey=`."""

    _pattern = re.compile(r"(apikey=)[^&\s\"']+", re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                self._pattern.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args
            )
        return True


def main() -> None:
    settings = GatewaySettings()
    setup_logging("gateway", settings.log_level)
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(RedactApiKey())
    # FastStream logs every message at INFO, and progress ticks arrive every second; errors still show.
    logging.getLogger("gateway.nats").setLevel(max(logging.WARNING, logging.getLogger().level))
    asyncio.run(uvicorn.Server(server_config(create_app(settings), settings)).serve())


def server_config(app: FastAPI, settings: GatewaySettings) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,  # keep the NiluFlix log format
        proxy_headers=False,  # the peer address decides who is local; see auth/guard.py
        ws="websockets-sansio",
    )
