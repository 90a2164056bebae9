"""Types shared by every service's contracts."""

from enum import StrEnum

from pydantic import BaseModel, Field


class MediaType(StrEnum):
    MOVIE = "movie"
    TV = "tv"


class ErrorCode(StrEnum):
    """What a caller can do about an error: fix the request, retry later, or report it."""

    INVALID_REQUEST = "invalid_request"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    UNAVAILABLE = "unavailable"
    UPSTREAM = "upstream_error"
    INTERNAL = "internal"


class ErrorReply(BaseModel):
    """Sent instead of the reply model when a request fails; marked by the `niluflix-error` header."""

    code: ErrorCode
    message: str


class HealthCheck(BaseModel):
    name: str = Field(description="What was checked, e.g. 'database', 'torrent_client', 'indexer:Demo'")
    kind: str = Field(description="database | torrent_client | indexer | tmdb | nats | library | background")
    ok: bool
    detail: str = ""


class HealthRequest(BaseModel):
    pass


class ServiceHealth(BaseModel):
    service: str
    ok: bool
    version: str = ""
    checks: list[HealthCheck] = []


def health_subject(service: str) -> str:
    """Every service answers `<service>.v1.health` with a `ServiceHealth`."""
    return f"{service}.v1.health"
