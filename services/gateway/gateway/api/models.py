"""The API's own small models; everything else is a contract model from niluflix.contracts."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from niluflix.contracts.common import ServiceHealth
from niluflix.contracts.downloads import JobProgress
from niluflix.contracts.search import Release


class DownloadRequest(BaseModel):
    priority: int = Field(0, ge=-100, le=100, description="Higher starts first")
    release: Release | None = Field(None, description="A release the user picked; else the best ranked one")
    profile: str | None = Field(
        None, min_length=1, max_length=64, description="Quality profile name (any case); None: the default"
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
