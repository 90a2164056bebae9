"""What a release brings of a season, as its parsed name says: the whole season (a pack) or some episodes.

A pack names a season (or a range of seasons) and no episode. Search ranks and filters by the profile; this
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
    return parsed is not None and parsed.season == season and set(episodes) <= set(parsed.episodes)


def healthy(release: Release) -> bool:
    return release.seeders is not None and release.seeders >= MIN_PACK_SEEDERS


def packs_for(releases: list[Release], season: int, episodes: Collection[int]) -> list[Release]:
    """Healthy releases that bring all the episodes in one torrent, in search's order."""
    return [r for r in releases if healthy(r) and brings(r, season, episodes)]


def episode_releases(releases: list[Release], season: int, episode: int) -> list[Release]:
    """Releases of exactly this episode, in search's order: neither a pack nor a multi-episode file, which
    would bring episodes other jobs download too. A release whose name could not be read is left in:
    search matched it to the episode asked for."""
    return [
        r
        for r in releases
        if r.parsed is None or (r.parsed.season == season and r.parsed.episodes == [episode])
    ]
