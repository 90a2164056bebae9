"""Download jobs, owned by the downloader service.

Commands are request/reply on core NATS; lifecycle events go through the JetStream stream
`DOWNLOAD_EVENTS` (durable, at least once); progress ticks are core NATS (frequent, may be dropped).
"""

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, Field

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import Release

CREATE = "downloads.v1.create"
LIST = "downloads.v1.list"
GET = "downloads.v1.get"
PAUSE = "downloads.v1.pause"
RESUME = "downloads.v1.resume"
CANCEL = "downloads.v1.cancel"
PROGRESS = "downloads.v1.progress"

EVENTS_STREAM = "DOWNLOAD_EVENTS"
EVENTS_SUBJECTS = "downloads.v1.events.>"
QUEUED = "downloads.v1.events.queued"
STARTED = "downloads.v1.events.started"
COMPLETED = "downloads.v1.events.completed"
FAILED = "downloads.v1.events.failed"
CANCELLED = "downloads.v1.events.cancelled"


class JobState(StrEnum):
    QUEUED = "queued"
    DOWNLOADING = "downloading"
    PAUSED = "paused"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def active(self) -> bool:
        return self in (JobState.QUEUED, JobState.DOWNLOADING, JobState.PAUSED)


class CreateDownload(BaseModel):
    """Request for `downloads.v1.create`. Replies with the committed `Job`."""

    tmdb_id: int = Field(gt=0)
    media_type: MediaType = MediaType.MOVIE
    priority: int = Field(0, ge=-100, le=100, description="Higher starts first")
    release: Release | None = Field(None, description="A release the user picked; else the best ranked one")
    profile: str | None = Field(None, description="Quality profile for picking a release; None: the default")
    season: int | None = Field(None, ge=0, description="Shows: the season the episodes are in")
    episodes: list[int] = Field(
        default_factory=list,
        description=(
            "Shows: the episodes of `season` wanted (a season pack is preferred when one covers them all); "
            "empty with a season: the whole season"
        ),
    )
    origin: str | None = Field(
        None, description='Who asked, in words, when not the user: e.g. "a followed show" (for the log)'
    )
    replace: bool = Field(False, description="Download it again although it is in the library (an upgrade)")
    request_id: UUID | None = Field(
        None,
        description="An idempotency key: a second create with the same id answers the first's job instead of "
        "making one (a caller that may send a request twice after a crash names it once)",
    )


class JobRef(BaseModel):
    """Request for get / pause / resume / cancel."""

    job_id: UUID


class ListDownloads(BaseModel):
    states: list[JobState] | None = Field(None, description="None means every state")
    tmdb_id: int | None = Field(None, gt=0, description="Only this title's jobs (a show: every episode's)")
    media_type: MediaType | None = Field(None, description="Only movies or only shows; None: both")
    limit: int = Field(200, ge=1, le=5000)


class Job(BaseModel):
    id: UUID
    tmdb_id: int
    media_type: MediaType = MediaType.MOVIE
    title: str = ""
    year: int | None = None
    state: JobState
    priority: int = 0
    release_name: str | None = None
    info_hash: str | None = None
    progress: float = Field(0.0, ge=0.0, le=1.0)
    size: int | None = None
    downloaded: int = 0
    speed_bps: int = 0
    eta_seconds: int | None = None
    peers: int = 0
    error: str | None = None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    profile: str | None = Field(
        None, description="Quality profile the release is picked by; None: the default"
    )
    season: int | None = Field(None, description="Shows: the season of the episodes")
    episodes: list[int] = Field(default_factory=list, description="Shows: the episodes this download brings")
    waiting_for: str | None = Field(
        None, description='Why a queued job waits, in words, e.g. "waiting for a free download slot"'
    )


class JobList(BaseModel):
    jobs: list[Job] = []


class JobProgress(BaseModel):
    job_id: UUID
    state: JobState
    progress: float
    downloaded: int = 0
    size: int | None = None
    speed_bps: int = 0
    eta_seconds: int | None = None
    peers: int = 0


class ProgressTick(BaseModel):
    """Published on `downloads.v1.progress` once per tick with every active job."""

    at: datetime
    jobs: list[JobProgress] = []


class DownloadedFile(BaseModel):
    path: str = Field(description="Absolute path as the torrent client saved it")
    size: int


class DownloadEvent(BaseModel):
    """Base of lifecycle events; `job` is the job as it is after the change."""

    job: Job


class DownloadQueued(DownloadEvent):
    pass


class DownloadStarted(DownloadEvent):
    pass


class EpisodeFacts(BaseModel):
    season: int
    episode: int
    name: str = ""
    air_date: date | None = None
    absolute_number: int | None = Field(
        None, description="Its number counted over the whole show (anime), as catalog knows it"
    )


class TitleFacts(BaseModel):
    """What catalog told the downloader about the title, carried on so consumers need not ask again."""

    title: str
    year: int | None = None
    imdb_id: str | None = Field(None, description="e.g. tt1727587")
    tvdb_id: int | None = None
    episodes: list[EpisodeFacts] = Field(
        default_factory=list,
        description=(
            "Shows: the job's episodes with their names; when its torrent may be a pack (several episodes,"
            " or a release holding more), every episode of its season and of the other seasons the pack"
            " holds, so a pack's episodes the job did not ask for are named too (the job's `season` and"
            " `episodes` say which it asked for)"
        ),
    )


class DownloadCompleted(DownloadEvent):
    content_path: str = Field(description="The torrent's top-level file or folder, as saved")
    files: list[DownloadedFile] = Field(description="Every file of the torrent, as saved")
    facts: TitleFacts | None = Field(
        None,
        description=(
            "The title as catalog knows it; None when catalog never answered for the job, and in events "
            "written before downloaders carried it (then only the job's title and year are known)"
        ),
    )


class DownloadFailed(DownloadEvent):
    reason: str


class DownloadCancelled(DownloadEvent):
    pass
