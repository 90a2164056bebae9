"""What a release brings of a season, as its parsed name says: the whole season (a pack) or some episodes.

A pack names a season (or a range of seasons) and no episode. A release named by absolute number (anime,
`Show - 01-12`) or by air date (a daily show) brings the episodes search read it as (`Release.covers`:
search knows the episodes' absolute numbers and air date). Search ranks and filters by the profile; this
only tells which of its accepted releases fit a job's episodes.
"""

from collections.abc import Collection

from niluflix.contracts.search import Release

# A pack the job bets all its episodes on must have someone to download it from; search's own rule
# (the profile's minimum seeders) may be 0, and an unknown count is no promise either.
MIN_PACK_SEEDERS = 1


def is_pack(release: Release, season: int) -> bool:
    parsed = release.parsed
    if parsed is None or parsed.episodes:
        return False
    return parsed.season == season or season in parsed.seasons


def brings(release: Release, season: int, episodes: Collection[int]) -> bool:
    """The release holds every one of these episodes of the season."""
    if is_pack(release, season):
        return True
    parsed = release.parsed
    if parsed is not None and parsed.season == season and set(episodes) <= set(parsed.episodes):
        return True
    return bool(episodes) and set(episodes) <= set(by_other_numbers(release))


def by_other_numbers(release: Release) -> list[int]:
    """The job's episodes search read a release named by absolute number or by date as; [] for others."""
    covers = release.covers
    if covers is None or not (covers.absolute_episodes or covers.air_date):
        return []
    return covers.wanted


def _exactly(release: Release, season: int, episode: int) -> bool:
    """The release is this one episode: `S01E02`, the episode's absolute number alone, or its day."""
    parsed = release.parsed
    if parsed is None or (parsed.season == season and parsed.episodes == [episode]):
        return True
    covers = release.covers
    if covers is None or by_other_numbers(release) != [episode]:
        return False
    return covers.air_date is not None or len(covers.absolute_episodes) == 1


def healthy(release: Release) -> bool:
    return release.seeders is not None and release.seeders >= MIN_PACK_SEEDERS


def packs_for(releases: list[Release], season: int, episodes: Collection[int]) -> list[Release]:
    """Healthy releases that bring all the episodes in one torrent, in search's order."""
    return [r for r in releases if healthy(r) and brings(r, season, episodes)]


def episode_releases(releases: list[Release], season: int, episode: int) -> list[Release]:
    """Releases of exactly this episode, in search's order: neither a pack nor a multi-episode file, which
    would bring episodes other jobs download too. A release whose name could not be read is left in:
    search matched it to the episode asked for."""
    return [r for r in releases if _exactly(r, season, episode)]
