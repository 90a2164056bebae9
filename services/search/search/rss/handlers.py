"""`search.v1.judge`: releases found in a feed, ranked for a title as a search would rank them."""

from faststream.nats import NatsRouter

from niluflix.contracts import search
from niluflix.messaging import rpc_queue, rpc_router
from search.deps import FinderDep
from search.finder import parse_and_rank
from search.ranking.profiles import choose_profile

SERVICE = "search"


def make_rss_router() -> NatsRouter:
    router = rpc_router()

    @router.subscriber(search.JUDGE, queue=rpc_queue(SERVICE), title="search.v1.judge")
    async def judge(request: search.JudgeReleases, finder: FinderDep) -> search.ReleaseList:
        """The candidates parsed and ranked for the title and profile; no indexer is asked."""
        profile = choose_profile(finder.settings(), request.request.profile)
        ranking = parse_and_rank(request.request, request.releases, profile)
        return search.ReleaseList(releases=ranking.accepted, rejected=ranking.rejected, profile=profile.name)

    return router
