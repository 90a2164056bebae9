"""One search from request to reply: ask the indexers, parse the names, rank."""

from collections.abc import Callable

from niluflix.contracts.search import FindReleases, Release, ReleaseList
from niluflix.contracts.settings import QualityProfile, SharedSettings
from search.errors import AllIndexersFailed, InvalidSearch, NoIndexers
from search.indexers.base import SearchQuery
from search.indexers.pool import IndexerPool
from search.parsing import parse_release
from search.ranking import Ranking, rank
from search.ranking.profiles import choose_profile


def parse_and_rank(
    request: FindReleases, found: list[Release], profile: QualityProfile | None = None
) -> Ranking:
    """What every search does once the indexers have answered (and what bench/parse_rank.py times)."""
    for release in found:
        # the indexers made these for this search alone: filled in place, not copied
        release.parsed = parse_release(release.name)
    return rank(request, found, profile=profile)


class ReleaseFinder:
    def __init__(self, pool: IndexerPool, settings: Callable[[], SharedSettings] = SharedSettings) -> None:
        self.pool = pool
        # Read per search, so a profile edited in the UI judges the next search without a restart.
        self.settings = settings

    async def find(self, request: FindReleases) -> ReleaseList:
        if not request.title.strip():
            raise InvalidSearch("a title is needed to search for releases")
        profile = choose_profile(self.settings(), request.profile)
        if not self.pool.enabled:
            raise NoIndexers(
                "no indexer is configured: add a Torznab indexer (Jackett, Prowlarr) or switch on a built-in"
                " provider (YTS, EZTV, The Pirate Bay) in Settings"
            )
        outcomes = await self.pool.search(SearchQuery.from_request(request))
        results = [o.result for o in outcomes]
        if not any(r.ok for r in results):
            # Not an empty list: "nothing found" and "could not look" call for different actions.
            reasons = "; ".join(f"{r.indexer}: {r.error}" for r in results)
            raise AllIndexersFailed(f"every indexer failed ({reasons})")
        ranking = parse_and_rank(
            request, [release for outcome in outcomes for release in outcome.releases], profile
        )
        return ReleaseList(
            releases=ranking.accepted, rejected=ranking.rejected, indexers=results, profile=profile.name
        )
