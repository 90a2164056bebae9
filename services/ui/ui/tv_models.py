"""The gateway's TV answers as the UI reads them. They exist only on the gateway's HTTP side (the gateway's
`gateway.api.models`), so the UI keeps its own copy of their shape, lenient to fields added later."""

from datetime import date
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field, RootModel

from niluflix.contracts.catalog import EpisodeDetails, SeasonDetails
from niluflix.contracts.downloads import Job


class EpisodeState(StrEnum):
    IN_LIBRARY = "in_library"
    DOWNLOADING = "downloading"
    WANTED = "wanted"  # the show is followed: NiluFlix looks for it by itself
    MISSING = "missing"
    NOT_AIRED = "not_aired"


class EpisodeView(EpisodeDetails):
    state: EpisodeState
    job_id: UUID | None = None


class SeasonView(SeasonDetails):
    """`GET /api/tv/{id}/season/{n}`: a season with where each episode stands."""

    episodes: list[EpisodeView] = Field(default_factory=list)  # type: ignore[assignment]


class SkippedEpisode(BaseModel):
    season: int
    episode: int
    reason: str


class TvDownloadResult(BaseModel):
    """`POST /api/tv/{id}/download`: a download per season started, and the episodes left out and why."""

    jobs: list[Job] = []
    skipped: list[SkippedEpisode] = []


class LibraryShow(BaseModel):
    """One show of `GET /api/library/tv-shows`: the episodes filed per season."""

    tmdb_id: int | None
    title: str
    year: int | None = None
    folder: str
    seasons: dict[int, list[int]] = {}
    episode_files: int = 0
    size: int = 0


class LibraryShows(RootModel[list[LibraryShow]]):
    pass


FollowMode = Literal["all", "future", "seasons"]


class FollowState(BaseModel):
    """`GET /api/tv/{id}/follow`: whether NiluFlix fetches a show's episodes by itself, and which."""

    following: bool = False
    mode: FollowMode | None = None
    seasons: list[int] = []
    profile: str | None = None  # the quality profile its episodes download by; None: the default one


class CalendarEpisode(BaseModel):
    show_id: int
    show_title: str
    season: int
    episode: int
    name: str = ""
    air_date: date | None = None
    state: EpisodeState


class Calendar(BaseModel):
    """`GET /api/calendar`: followed shows' episodes aired lately or airing soon."""

    episodes: list[CalendarEpisode] = []


def episode_code(season: int, episode: int) -> str:
    return f"S{season:02d}E{episode:02d}"
