"""The search service's NATS subjects; health is the runner's."""

from faststream.nats import NatsRouter

from niluflix.contracts import search
from niluflix.messaging import rpc_queue, rpc_router
from search.deps import FinderDep

SERVICE = "search"


def make_router() -> NatsRouter:
    router = rpc_router()

    @router.subscriber(search.RELEASES, queue=rpc_queue(SERVICE), title="search.v1.releases")
    async def find_releases(request: search.FindReleases, finder: FinderDep) -> search.ReleaseList:
        """Releases for a title from every enabled indexer: accepted best first, rejected with reasons."""
        return await finder.find(request)

    @router.subscriber(search.TEST_INDEXER, queue=rpc_queue(SERVICE), title="search.v1.indexers.test")
    async def test_indexer(request: search.TestIndexer, finder: FinderDep) -> search.IndexerTestResult:
        """ "Test connection" for a Torznab indexer: reads its caps and runs a small search; says how it went."""
        return await finder.pool.test(request.indexer)

    @router.subscriber(search.TEST_PROVIDER, queue=rpc_queue(SERVICE), title="search.v1.providers.test")
    async def test_provider(request: search.TestProvider, finder: FinderDep) -> search.IndexerTestResult:
        """ "Test connection" for a built-in provider (YTS, EZTV, The Pirate Bay), at its saved address or a
        mirror's: one small listing from its API; says how it went, also when it failed."""
        return await finder.pool.test_provider(request.provider, request.base_url)

    return router
