"""The catalog's NATS subjects: popular, trending, search, details and health (request/reply)."""

from importlib.metadata import PackageNotFoundError, version

from faststream.nats import NatsRouter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.deps import EngineDep, SourcesDep
from niluflix.contracts import catalog as contract
from niluflix.contracts.catalog import GetTitle, ListTitles, SearchTitles, TitleDetails, TitlePage
from niluflix.contracts.common import HealthCheck, HealthRequest, ServiceHealth, health_subject
from niluflix.messaging import rpc_queue, rpc_router

SERVICE = "catalog"


def _version() -> str:
    try:
        return version("niluflix-catalog")
    except PackageNotFoundError:
        return ""


async def _database_check(engine: AsyncEngine) -> HealthCheck:
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        return HealthCheck(name="database", kind="database", ok=False, detail=str(exc).splitlines()[0])
    return HealthCheck(name="database", kind="database", ok=True, detail=engine.dialect.name)


def build_router() -> NatsRouter:
    """A fresh router per app, so two apps in one process (tests) do not share handlers."""
    router = rpc_router()
    queue = rpc_queue(SERVICE)

    @router.subscriber(contract.POPULAR, queue=queue, title="catalog.popular")
    async def popular(request: ListTitles, sources: SourcesDep) -> TitlePage:
        """The most popular movies now."""
        return await sources.popular(request)

    @router.subscriber(contract.TRENDING, queue=queue, title="catalog.trending")
    async def trending(request: ListTitles, sources: SourcesDep) -> TitlePage:
        """The movies trending this week."""
        return await sources.trending(request)

    @router.subscriber(contract.SEARCH, queue=queue, title="catalog.search")
    async def search(request: SearchTitles, sources: SourcesDep) -> TitlePage:
        """Movies whose title matches the query."""
        return await sources.search(request)

    @router.subscriber(contract.DETAILS, queue=queue, title="catalog.details")
    async def details(request: GetTitle, sources: SourcesDep) -> TitleDetails:
        """Everything search and the organizer need about one movie."""
        return await sources.details(request)

    @router.subscriber(health_subject(SERVICE), queue=queue, title="catalog.health")
    async def health(request: HealthRequest, sources: SourcesDep, engine: EngineDep) -> ServiceHealth:
        """Whether the catalog can answer, and from which source (TMDB or the sample)."""
        checks = [await _database_check(engine), sources.health()]
        return ServiceHealth(service=SERVICE, ok=all(c.ok for c in checks), version=_version(), checks=checks)

    return router
