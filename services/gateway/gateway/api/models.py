"""The API's own small models; everything else is a contract model from niluflix.contracts."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from gateway.episode_states import EpisodeState
from niluflix.contracts.catalog import EpisodeDetails, SeasonDetails
from niluflix.contracts.common import ServiceHealth
from niluflix.contracts.downloads import Job, JobProgress
from niluflix.contracts.search import Release

# TMDB's ids are 32-bit, and the services keep them in INTEGER columns: a larger one can name nothing.
MAX_ID = 2**31 - 1


class DownloadRequest(BaseModel):
    priority: int = Field(0, ge=-100, le=100, description="Higher starts first")
    release: Release | None = Field(None, description="A release the user picked; else the best ranked one")
    profile: str | None = Field(
        None, min_length=1, max_length=64, description="Quality profile name (any case); None: the default"
    )
    replace: bool = Field(
        False, description="Download it again although it is in the library: an upgrade of the file"
    )


class MovieDownload(Job):
    unchecked: str | None = Field(
        None,
        description="Set when catalog could not be asked whether the TMDB id exists: the download is queued "
        "anyway, and fails later if there is no such movie",
    )


class JobProgressView(JobProgress):
    tmdb_id: int
    title: str = ""
    year: int | None = None
    release_name: str | None = None


class ProgressView(BaseModel):
    at: datetime | None = Field(
        None, description="When the newest progress tick was published; None before any"
    )
    jobs: list[JobProgressView] = Field(
        default_factory=list, description="Every active job, with its newest progress"
    )


class ServiceStatus(ServiceHealth):
    detail: str = Field("", description="Why the service is not ok when it could not say so itself")


class NatsStatus(BaseModel):
    ok: bool
    detail: str = ""


class TorrentClientStatus(BaseModel):
    kind: str = Field(description="transmission, qbittorrent, embedded, or auto when not known yet")
    ok: bool
    detail: str = ""


class IndexerStatus(BaseModel):
    name: str
    ok: bool
    detail: str = ""


class SystemHealth(BaseModel):
    status: Literal["ok", "degraded"]
    services: list[ServiceStatus]
    nats: NatsStatus
    torrent_client: TorrentClientStatus | None = Field(
        None, description="None when the downloader did not say"
    )
    indexers: list[IndexerStatus] = []


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class ApiKeyView(BaseModel):
    api_key: str
    from_environment: bool = Field(description="True when set by NILUFLIX_API_KEY rather than generated")


class PasswordForm(BaseModel):
    password: str = Field(max_length=1024)
    client: str | None = Field(
        None,
        max_length=128,
        description="The browser's address, as the UI saw it: wrong passwords count per browser",
    )


class AuthStatus(BaseModel):
    password_set: bool = Field(description="False until the owner sets a password for other machines")


class PasswordReset(BaseModel):
    password_was_set: bool = Field(description="False when there was no password to clear")
    sessions_ended: int = Field(description="Browsers signed out")


class SessionView(BaseModel):
    user: str
    expires_at: datetime


class NewSession(SessionView):
    token: str = Field(description="Send it back in the X-NiluFlix-Session header; shown only once")


class EpisodeView(EpisodeDetails):
    state: EpisodeState = Field(
        description="in_library, downloading, wanted (followed: found by itself), missing, not_aired"
    )
    job_id: UUID | None = Field(None, description="The download bringing it, while one does")


class SeasonView(SeasonDetails):
    """A season as the show page shows it: every episode with where it stands."""

    episodes: list[EpisodeView] = Field(default_factory=list)  # type: ignore[assignment]


class EpisodeRef(BaseModel):
    season: int = Field(ge=0)
    episode: int = Field(ge=1)


class TvDownloadRequest(BaseModel):
    """What of a show to download. Neither seasons nor episodes: the whole show (specials aside)."""

    seasons: list[int] = Field(
        default_factory=list, description="Whole seasons, e.g. [1, 2]; 0: the specials"
    )
    episodes: list[EpisodeRef] = Field(default_factory=list, description="Single episodes")
    missing_only: bool = Field(True, description="Skip episodes already in the library")
    priority: int = Field(0, ge=-100, le=100, description="Higher starts first")
    profile: str | None = Field(
        None, min_length=1, max_length=64, description="Quality profile name (any case); None: the default"
    )
    release: Release | None = Field(
        None,
        description=(
            "A release the user picked (interactive search) for one season or episodes of one season; else"
            " the best ranked one per season"
        ),
    )

    @model_validator(mode="after")
    def _a_release_is_for_one_season(self) -> "TvDownloadRequest":
        # One release is one torrent, one job: it cannot stand for the downloads of several seasons.
        if self.release is not None and len(set(self.seasons) | {e.season for e in self.episodes}) != 1:
            raise ValueError(
                "a picked release downloads one season or episodes of one season: name that season"
            )
        return self


class SkippedEpisode(EpisodeRef):
    reason: str = Field(description='e.g. "in the library", "not aired yet (airs 2026-12-10)"')


class TvDownloadResult(BaseModel):
    jobs: list[Job] = Field(
        default_factory=list, description="A download per season asked for (or the one already bringing it)"
    )
    skipped: list[SkippedEpisode] = []


class LibraryShow(BaseModel):
    tmdb_id: int | None
    title: str
    year: int | None = None
    folder: str
    seasons: dict[int, list[int]] = Field(description="Season number → episodes in the library")
    episode_files: int
    size: int
