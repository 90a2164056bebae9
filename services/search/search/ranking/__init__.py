"""Which releases fit the request, and in what order: rules reject, a sort key orders the rest.

The default order: 1080p, then 720p, then 2160p (big, and not every screen shows it), then anything
else; within one resolution, more seeders first.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from niluflix.contracts.search import FindReleases, Release
from search.ranking.rules import DEFAULT_RULES, Rejection, Rule, Wanted

RESOLUTION_ORDER = ("1080p", "720p", "2160p")
_TIERS = len(RESOLUTION_ORDER) + 1
_SEEDER_SPAN = 1_000_000


@dataclass(frozen=True)
class Ranking:
    accepted: list[Release]
    rejected: list[Release]


def resolution_tier(release: Release) -> int:
    resolution = (release.parsed.resolution if release.parsed else None) or ""
    return RESOLUTION_ORDER.index(resolution) if resolution in RESOLUTION_ORDER else len(RESOLUTION_ORDER)


def sort_key(release: Release) -> tuple[int, int, str]:
    """Smaller is better; the name breaks ties so equal releases keep one order from run to run."""
    return resolution_tier(release), -(release.seeders or 0), release.name


def score(release: Release) -> float:
    """The sort key as one number, higher is better, for callers that show or compare it."""
    seeders = min(max(release.seeders or 0, 0), _SEEDER_SPAN - 1)
    return float((_TIERS - resolution_tier(release)) * _SEEDER_SPAN + seeders)


def deduplicate(releases: Iterable[Release]) -> list[Release]:
    """One release per info hash (indexers share trackers), the one with the most seeders."""
    best: dict[str, Release] = {}
    unique: list[Release] = []
    for release in releases:
        if release.info_hash is None:
            unique.append(release)
            continue
        kept = best.get(release.info_hash)
        if kept is None or (release.seeders or 0) > (kept.seeders or 0):
            best[release.info_hash] = release
    return unique + list(best.values())


def judge(release: Release, wanted: Wanted, rules: Sequence[Rule] = DEFAULT_RULES) -> list[Rejection]:
    return [r for r in (rule.check(release, wanted) for rule in rules) if r is not None]


def rank(
    request: FindReleases, releases: Iterable[Release], rules: Sequence[Rule] = DEFAULT_RULES
) -> Ranking:
    """Releases (already parsed) split into accepted, best first, and rejected with their reasons."""
    wanted = Wanted.of(request)
    accepted, rejected = [], []
    for release in deduplicate(releases):
        rejections = judge(release, wanted, rules)
        judged = release.model_copy(
            update={"score": score(release), "rejections": [str(r) for r in rejections]}
        )
        (rejected if rejections else accepted).append(judged)
    return Ranking(accepted=sorted(accepted, key=sort_key), rejected=sorted(rejected, key=sort_key))
