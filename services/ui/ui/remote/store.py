"""What the remote pages read and write, whoever keeps it: the homes, their mirrored library, the commands.

The shapes are the tables of `infra/supabase/migrations` as the remote side reads them; `RemoteStore` is the
one way in, so a page never calls supabase-py itself.
"""

from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

ONLINE_WITHIN = timedelta(minutes=3)
"""A home writes its heartbeat every 60 s; `is_online` is not reset by a crash, so only a fresh `last_sync`
counts."""

ACTIVE = ("queued", "downloading", "paused", "failed")
"""A library row's `download_status` that belongs on the Downloads page."""

MediaKind = Literal["movie", "tv"]
Action = Literal["download", "cancel", "pause", "resume"]


class Home(BaseModel):
    """A `remote_sessions` row: one NiluFlix instance of the user."""

    model_config = ConfigDict(extra="ignore")

    desktop_app_id: str
    display_name: str | None = None
    app_version: str | None = None
    last_sync: datetime | None = None

    @property
    def name(self) -> str:
        return self.display_name or f"Home {self.desktop_app_id[:8]}"

    def online(self, now: datetime | None = None) -> bool:
        if self.last_sync is None:
            return False
        return (now or datetime.now(UTC)) - self.last_sync < ONLINE_WITHIN


class JobView(BaseModel):
    """One download of a title, as the home mirrors it in `detail.downloads` (progress in percent)."""

    model_config = ConfigDict(extra="ignore")

    job_id: str
    label: str = ""
    state: str = ""
    progress: float | None = None
    waiting_for: str | None = None


class Detail(BaseModel):
    model_config = ConfigDict(extra="ignore")

    downloads: list[JobView] = []
    episodes_in_library: int | None = None


class LibraryRow(BaseModel):
    """A `shared_library` row: a movie or show in the home's library or on its way."""

    model_config = ConfigDict(extra="ignore")

    media_type: MediaKind
    tmdb_id: int
    title: str
    year: int | None = None
    poster_path: str | None = None
    download_status: str = "none"
    progress: float | None = Field(None, description="0 to 100")
    detail: Detail = Detail()
    synced_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.download_status in ACTIVE or bool(self.detail.downloads)


class Command(BaseModel):
    """A `remote_downloads` row: something asked from the phone, and what the home made of it."""

    model_config = ConfigDict(extra="ignore")

    id: UUID
    action: Action
    media_type: MediaKind | None = None
    tmdb_id: int | None = None
    payload: dict[str, Any] = {}
    status: Literal["pending", "processing", "completed", "failed"]
    error_message: str | None = None
    result_message: str | None = None
    created_at: datetime
    updated_at: datetime | None = None


class RemoteStore(Protocol):
    """Every method raises a `ui.remote.errors.RemoteError` whose message can be shown as it is."""

    def homes(self) -> list[Home]: ...

    def library(self, home: str) -> list[LibraryRow]:
        """The rows `home` (its `desktop_app_id`) mirrors, by title."""
        ...

    def commands(self, home: str, limit: int = 20) -> list[Command]:
        """The user's latest commands to `home`, newest first."""
        ...

    def queue(
        self,
        home: str,
        action: Action,
        *,
        media_type: MediaKind | None = None,
        tmdb_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Command:
        """A new pending command for `home` to carry out when it next looks."""
        ...
