"""Which episodes of a followed show are wanted now: out already, asked for by the follow, not yet had."""

from collections.abc import Iterable
from datetime import datetime

from niluflix.contracts.catalog import EpisodeDetails, SeasonDetails, TitleDetails
from niluflix.contracts.downloads import Job
from niluflix.contracts.follows import Follow, FollowMode
from niluflix.contracts.library import LibraryItem

Key = tuple[int, int]  # season, episode


def is_out(episode: EpisodeDetails, now: datetime) -> bool:
    return episode.is_out(now)


def seasons_to_check(follow: Follow, details: TitleDetails) -> list[int]:
    """The seasons that may hold wanted episodes (specials only when chosen by hand)."""
    numbered = sorted(s.season for s in details.seasons)
    if follow.mode == FollowMode.SEASONS:
        return [s for s in follow.seasons if s in numbered or not numbered]
    if follow.mode == FollowMode.ALL:
        return [s for s in numbered if s > 0]
    # Future episodes only: the seasons airing now and next, and any that starts after the follow.
    current = {
        e.season for e in (details.last_episode, details.next_episode) if e is not None and e.season > 0
    }
    started = {
        s.season
        for s in details.seasons
        if s.season > 0 and s.air_date and s.air_date >= follow.created_at.date()
    }
    return sorted(current | started)


def wants(follow: Follow, episode: EpisodeDetails) -> bool:
    return follow.wants(episode)


def had(items: Iterable[LibraryItem], jobs: Iterable[Job]) -> set[Key]:
    """Episodes in the library or on their way (an active download)."""
    keys: set[Key] = set()
    for item in items:
        if item.season is not None:
            keys.update((item.season, e) for e in item.episodes)
    for job in jobs:
        if job.season is not None:
            keys.update((job.season, e) for e in job.episodes)
    return keys


def missing(
    follow: Follow, seasons: Iterable[SeasonDetails], have: set[Key], now: datetime
) -> list[EpisodeDetails]:
    """Episodes out, wanted by the follow and neither in the library nor downloading, in airing order."""
    return [
        e
        for season in seasons
        for e in season.episodes
        if (e.season, e.episode) not in have and wants(follow, e) and is_out(e, now)
    ]
