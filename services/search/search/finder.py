"""One search from request to reply: ask the indexers, parse the names, rank."""

from niluflix.contracts.search import FindReleases, ReleaseList
from search.errors import AllIndexersFailed, InvalidSearch, NoIndexers
from search.indexers.base import SearchQuery
from search.indexers.pool import IndexerPool
from search.parsing import parse_release
from search.ranking import rank


class ReleaseFinder:
    def __init__(self, pool: IndexerPool) -> None:
        self.pool = pool

    async def find(self, request: FindReleases) -> ReleaseList:
        if not request.title.strip():
            raise InvalidSearch("a title is needed to search for releases")
        if not self.pool.enabled:
            raise NoIndexers(
                "no indexer is configured: add a Torznab indexer (Jackett, Prowlarr) in Settings"
            )
        outcomes = await self.pool.search(SearchQuery.from_request(request))
        results = [o.result for o in outcomes]
        if not any(r.ok for r in results):
            # Not an empty list: "nothing found" and "could not look" call for different actions.
            reasons = "; ".join(f"{r.indexer}: {r.error}" for r in results)
            raise AllIndexersFailed(f"every indexer failed ({reasons})")
        found = [
            release.model_copy(update={"parsed": parse_release(release.name)})
            for outcome in outcomes
            for release in outcome.releases
        ]
        ranking = rank(request, found)
        return ReleaseList(releases=ranking.accepted, rejected=ranking.rejected, indexers=results)
