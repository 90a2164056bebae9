"""The catalog's NATS subjects: popular, trending, search and details (request/reply); health is the runner's."""

from faststream.nats import NatsRouter

from catalog.deps import SourcesDep
from niluflix.contracts import catalog as contract
from niluflix.contracts.catalog import GetTitle, ListTitles, SearchTitles, TitleDetails, TitlePage
from niluflix.messaging import rpc_queue, rpc_router

SERVICE = "catalog"


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

    return router
