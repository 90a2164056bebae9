"""Which releases fit the request, and in what order: rules reject, a sort key orders the rest.

The order, from the quality profile: its qualities in order of preference (by default 1080p, then 720p,
then 2160p, big and not shown by every screen, then anything else); within one quality, the profile's word
scores, its preferred codec and fixes (PROPER/REPACK, an anime release's `v2`); for a show, a season pack, then the release holding
more of the wanted episodes; then more seeders first.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from niluflix.contracts.search import FindReleases, Rejection, Release
from niluflix.contracts.settings import QualityProfile
from search.ranking.profiles import CODEC_POINTS, FIX_POINTS, Judged
from search.ranking.rules import DEFAULT_RULES, Rule, Wanted, applicable

# Points of one quality step in the shown score; word scores are bounded well below it.
_TIER_POINTS = 10_000
_EXTRA_BOUND = _TIER_POINTS // 2 - 1


@dataclass(frozen=True)
class Ranking:
    accepted: list[Release]
    rejected: list[Release]


def extra_points(release: Release, profile: Judged) -> int:
    """What orders releases of one quality before seeders do: word scores, codec, fixes."""
    points = (
        sum(score for pattern, score in profile.preferred_words if pattern.search(release.name))
        if profile.preferred_words
        else 0
    )
    parsed = release.parsed
    if parsed is not None:
        if profile.preferred_codec and parsed.codec == profile.preferred_codec:
            points += CODEC_POINTS
        if parsed.proper or parsed.repack or (parsed.version or 1) > 1:
            points += FIX_POINTS
    return max(-_EXTRA_BOUND, min(_EXTRA_BOUND, points))


def _holds(release: Release) -> int:
    """How much of what a show's request wants the release holds: the wanted episodes, and a whole season
    above any of them, so that at one quality a pack comes before the single episodes it holds."""
    covers = release.covers
    if covers is None:
        return 0
    return len(covers.wanted) + (1000 if covers.season_pack else 0)


def _order(release: Release, profile: Judged) -> tuple[tuple[int, int, int, int, str], float]:
    """The sort key (smaller is better; the name breaks ties so equal releases keep one order from run to
    run) and the score shown to people (higher is better: quality, then extras)."""
    tier = profile.tier(release.parsed.resolution if release.parsed else None)
    extra = extra_points(release, profile)
    score = float((len(profile.qualities) + 1 - tier) * _TIER_POINTS + extra)
    return (tier, -extra, -_holds(release), -(release.seeders or 0), release.name), score


def deduplicate(releases: Iterable[Release]) -> list[Release]:
    """One release per info hash (indexers share trackers), the one with the most seeders."""
    best: dict[str, Release] = {}
    unique: list[Release] = []
    for release in releases:
        if release.info_hash is None:
            unique.append(release)
            continue
        key = release.info_hash.lower()
        kept = best.get(key)
        if kept is None or (release.seeders or 0) > (kept.seeders or 0):
            best[key] = release
    return unique + list(best.values())


def rank(
    request: FindReleases,
    releases: Iterable[Release],
    rules: Sequence[Rule] = DEFAULT_RULES,
    profile: QualityProfile | None = None,
) -> Ranking:
    """Releases (already parsed) split into accepted, best first, and rejected with their reasons.

    Each release kept gets its `score` and `rejections` set in place: a search judges thousands, made for
    it alone, and copying each would cost more than judging it.

    Without a profile, the default one (`QualityProfile` defaults) judges.
    """
    wanted = Wanted.of(request, profile)
    checks = [rule.check for rule in applicable(rules, wanted)]
    judged_by = wanted.profile
    tv = wanted.tv
    # (sort key..., arrival, release): one tuple per release, and the arrival number keeps equal keys in
    # the order they came without ever comparing two releases
    accepted: list[tuple] = []
    rejected: list[tuple] = []
    for arrival, release in enumerate(deduplicate(releases)):
        # a plain loop over the checks: thousands of releases a search, and most pass every rule
        # a show's coverage is read for this request (and kept for the caller); a film's release has none
        if tv:
            release.covers = None
            wanted.coverage(release)
        elif release.covers is not None:
            release.covers = None
        reasons: list[Rejection] = []
        for check in checks:
            rejection = check(release, wanted)
            if rejection is not None:
                reasons.append(rejection)
        key, score = _order(release, judged_by)
        release.score, release.rejections = score, reasons
        (rejected if reasons else accepted).append((*key, arrival, release))
    accepted.sort()
    rejected.sort()
    return Ranking(accepted=[entry[-1] for entry in accepted], rejected=[entry[-1] for entry in rejected])
