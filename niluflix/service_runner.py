"""One shape for every service: what opens in which order, what closes in the reverse one, and its health.

Opening:  database (Alembic migrations in a thread, then the async engine; for a service with tables)
          → the NATS connection → the shared settings (watch and SecretBox) → the service's own parts
          → the broker's subscribers, live on the server → the background loops.
Closing:  the loops (their last events go out while the connection still works) → the broker drains (the
          handlers finish) → the service's own parts → the settings watch → the database engine.

A service's `main.py` builds a `ServiceRunner` from its settings, includes its routers in `runner.broker`,
and hands its own parts (an async context manager given the runner) to `faststream_app()`, or, for the
gateway, to `lifespan()` for FastAPI. The parts register health checks and background loops on the runner.
Its `main()` is `run_service(...)`: a `ServiceError` while starting (a wrong NILUFLIX_SECRET_KEY) ends the
process with one log line and exit code 1.
"""

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from faststream import FastStream
from faststream.exceptions import IncorrectState
from faststream.nats import NatsRouter
from nats.aio.client import Client
from nats.js import JetStreamContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from niluflix.config import ServiceSettings
from niluflix.contracts.common import HealthCheck, HealthRequest, ServiceHealth, health_subject
from niluflix.db import make_async_engine, migrate
from niluflix.errors import ServiceError
from niluflix.logs import setup_logging
from niluflix.loops import Loop
from niluflix.messaging import make_broker, rpc_queue, rpc_router, subscriptions_live
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings
from niluflix.version import service_version

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger(__name__)

DATABASE_TIMEOUT = 5.0  # seconds the health check waits for `SELECT 1`

Parts = Callable[["ServiceRunner"], AbstractAsyncContextManager[None]]
Checks = Callable[[], HealthCheck | list[HealthCheck] | Awaitable[HealthCheck | list[HealthCheck]]]


class DatabaseSettings(Protocol):
    database_url: str
    database_schema: str


async def database_check(engine: AsyncEngine) -> HealthCheck:
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no answer'}"
        return HealthCheck(name="database", kind="database", ok=False, detail=detail)
    return HealthCheck(name="database", kind="database", ok=True, detail=engine.dialect.name)


class ServiceRunner:
    def __init__(
        self,
        name: str,
        settings: ServiceSettings,
        *,
        migrations: Path | None = None,
        watch_settings: bool = True,
    ) -> None:
        """`migrations`: the service's Alembic folder, when it has tables (its settings name the database).
        `watch_settings`: off only where tests run a service on the environment's settings alone."""
        self.name = name
        self.settings = settings
        self.version = service_version(name)
        self.broker = make_broker(settings.nats_url, name=name, credentials=settings.nats_credentials())
        self._migrations = migrations
        self._watch_settings = watch_settings
        self._engine: AsyncEngine | None = None
        self._live: LiveSettings | None = None
        self._box: SecretBox | None = None
        self._checks: list[Checks] = []
        self._loops: list[Loop] = []
        self._started: list[Loop] = []
        self.start_error: ServiceError | None = None  # why `lifespan()` could not open, for serve_http()
        self.broker.include_router(self._health_router())

    # What the service's parts use

    @property
    def nats(self) -> Client:
        """The NATS connection under the broker; there from the start of the service's parts."""
        return self.broker.connection

    @property
    def jetstream(self) -> JetStreamContext:
        return self.nats.jetstream()

    def nats_connected(self) -> bool:
        try:
            return self.nats.is_connected
        except IncorrectState:  # not connected yet, or stopped
            return False

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise RuntimeError(f"{self.name} has no database open")
        return self._engine

    @property
    def live(self) -> LiveSettings:
        """The shared settings, kept current by a watch on the bucket."""
        if self._live is None:
            raise RuntimeError(f"{self.name} does not watch the shared settings")
        return self._live

    @property
    def box(self) -> SecretBox:
        """What seals the secrets in the shared settings (and the gateway's API key)."""
        if self._box is None:
            raise RuntimeError(f"{self.name} does not watch the shared settings")
        return self._box

    def check_health(self, checks: Checks) -> None:
        """Add checks to the service's health: a function returning one or a list, or awaitable ones."""
        self._checks.append(checks)

    def run_in_background(self, *loops: Loop) -> None:
        """Loops started once the broker serves, stopped in the reverse order before it drains."""
        self._loops.extend(loops)

    # Health

    async def health(self) -> ServiceHealth:
        checks: list[HealthCheck] = []
        if self._engine is not None:
            checks.append(await database_check(self._engine))
        for provide in self._checks:
            found = provide()
            if inspect.isawaitable(found):
                found = await found
            checks.extend([found] if isinstance(found, HealthCheck) else found)
        checks.extend(
            HealthCheck(name=loop.name, kind="background", ok=False, detail=loop.last_error)
            for loop in self._loops
            if loop.last_error is not None
        )
        return ServiceHealth(
            service=self.name, ok=all(c.ok for c in checks), version=self.version, checks=checks
        )

    def _health_router(self) -> NatsRouter:
        router = rpc_router()

        @router.subscriber(health_subject(self.name), queue=rpc_queue(self.name), title=f"{self.name}.health")
        async def health(_: HealthRequest) -> ServiceHealth:
            """Whether the service can do its work: one check per part it depends on."""
            return await self.health()

        return router

    # The two ways to run

    def faststream_app(self, parts: Parts) -> FastStream:
        """A FastStream app: the lifespan opens everything, FastStream starts the broker, then the loops."""

        @asynccontextmanager
        async def lifespan() -> AsyncIterator[None]:
            async with self._opened(parts):
                yield

        return FastStream(
            self.broker,
            lifespan=lifespan,
            after_startup=[self._serve],
            on_shutdown=[self._stop_loops],  # FastStream drains the broker right after
            logger=logging.getLogger(self.name),
        )

    def lifespan(self, parts: Parts) -> Callable[[Any], AbstractAsyncContextManager[None]]:
        """A FastAPI lifespan doing the same, the broker included."""

        @asynccontextmanager
        async def lifespan(_app: Any) -> AsyncIterator[None]:
            async with AsyncExitStack() as stack:
                try:
                    await stack.enter_async_context(self._opened(parts))
                except ServiceError as exc:
                    self.start_error = exc
                    raise
                await self.broker.start()
                await self._serve()
                yield

        return lifespan

    async def serve_http(self, server: "uvicorn.Server") -> None:
        """Serve the app of `lifespan()` under uvicorn. A `ServiceError` while opening comes out as itself,
        for `run_service`, instead of uvicorn's logged traceback and its exit code 3."""
        uvicorn_log = logging.getLogger("uvicorn.error")

        def quiet_after_start_error(_record: logging.LogRecord) -> bool:
            return self.start_error is None

        uvicorn_log.addFilter(quiet_after_start_error)
        try:
            await server.serve()
        except SystemExit:
            if self.start_error is not None:
                raise self.start_error from None
            raise
        finally:
            uvicorn_log.removeFilter(quiet_after_start_error)

    # The order

    @asynccontextmanager
    async def _opened(self, parts: Parts) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if self._migrations is not None:
                db = cast(DatabaseSettings, self.settings)
                await asyncio.to_thread(
                    migrate, db.database_url, schema=db.database_schema, migrations=self._migrations
                )
                self._engine = make_async_engine(db.database_url, schema=db.database_schema)
                stack.push_async_callback(self._engine.dispose)
            await self.broker.connect()
            stack.push_async_callback(self.broker.stop)  # also when a later step fails
            if self._watch_settings:
                self._box = await asyncio.to_thread(SecretBox.from_env_or_file, self.settings.data_dir)
                self._live = LiveSettings(self.jetstream, self._box)
                await self._live.start()
                stack.push_async_callback(self._live.stop)
            await stack.enter_async_context(parts(self))
            stack.push_async_callback(self._stop_serving)
            yield

    async def _serve(self) -> None:
        # Told ready only once the server has read every subscription, so a request sent now finds one.
        await subscriptions_live(self.nats)
        for loop in self._loops:
            loop.start()
            self._started.append(loop)
        log.info("%s %s ready", self.name, self.version or "(not installed)")

    async def _stop_loops(self) -> None:
        while self._started:
            await self._started.pop().stop()

    async def _stop_serving(self) -> None:
        # Where FastStream ran its shutdown already, both are done and cost nothing.
        await self._stop_loops()
        await self.broker.stop()


def run_service(name: str, settings: ServiceSettings, serve: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Every service's `main()`: its log format, then `serve()` (which builds and runs the app) until it stops.

    A `ServiceError` that stops the start (a wrong NILUFLIX_SECRET_KEY, an unreadable secret.key) already says
    what is wrong and how to mend it: it is one log line and exit code 1, not a traceback that buries it."""
    setup_logging(name, settings.log_level)
    try:
        asyncio.run(serve())
    except ServiceError as exc:
        logging.getLogger(name).error("%s cannot start: %s", name, exc.message)
        raise SystemExit(1) from None
