"""Where each episode of a show stands, from three owners: catalog (aired?), organizer (in the library?) and
downloader (in flight?). The gateway is the one place that sees all three, so it joins them here."""

from datetime import UTC, date, datetime
from enum import StrEnum

from niluflix.contracts.catalog import EpisodeDetails
from niluflix.contracts.downloads import Job
from niluflix.contracts.library import LibraryItem


class EpisodeState(StrEnum):
    IN_LIBRARY = "in_library"
    DOWNLOADING = "downloading"
    WANTED = "wanted"  # aired and missing, and the show is followed: NiluFlix looks for it by itself
    MISSING = "missing"  # aired and missing, not followed: a Download button
    NOT_AIRED = "not_aired"


EpisodeKey = tuple[int, int]  # (season, episode)


def aired(episode: EpisodeDetails, now: datetime | None = None) -> bool:
    return episode.is_out(now or datetime.now(UTC))


def in_library(items: list[LibraryItem]) -> set[EpisodeKey]:
    return {(item.season, e) for item in items if item.season is not None for e in item.episodes}


def in_flight(jobs: list[Job]) -> dict[EpisodeKey, Job]:
    return {
        (job.season, e): job
        for job in jobs
        if job.state.active and job.season is not None
        for e in job.episodes
    }


def state_of(
    episode: EpisodeDetails,
    *,
    library: set[EpisodeKey],
    jobs: dict[EpisodeKey, Job],
    wanted: bool,
    now: datetime | None = None,
) -> EpisodeState:
    key = (episode.season, episode.episode)
    if key in library:
        return EpisodeState.IN_LIBRARY
    if key in jobs:
        return EpisodeState.DOWNLOADING
    if not aired(episode, now):
        return EpisodeState.NOT_AIRED
    return EpisodeState.WANTED if wanted else EpisodeState.MISSING


def airs_on(episode: EpisodeDetails) -> date | None:
    """The day a user knows it airs on: TMDB's air date (`airs_at` is when it is out, a little later)."""
    return episode.air_date or (episode.airs_at.date() if episode.airs_at else None)
