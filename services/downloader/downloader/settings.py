"""The downloader's own process settings (the user's settings live in the shared bucket)."""

import socket
import uuid
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from niluflix.config import ServiceSettings, service_env
from niluflix.contracts.common import MediaType

_env = service_env("downloader")


class DownloaderSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NILUFLIX_", extra="ignore", populate_by_name=True)

    database_url: str = Field("", validation_alias=_env("database_url", "DATABASE_URL"))
    database_schema: str = Field("downloader", validation_alias=_env("database_schema"))
    downloads_dir: Path | None = Field(
        None,
        validation_alias=_env("downloads_dir"),
        description="Where the torrent client saves downloads; default <data_dir>/downloads",
    )
    tick_seconds: float = Field(1.0, gt=0, validation_alias=_env("tick_seconds"))
    stall_timeout: float = Field(
        600.0,
        gt=0,
        validation_alias=_env("stall_timeout"),
        description="Seconds without progress before a torrent counts as stalled and its release is dropped",
    )
    max_attempts: int = Field(
        3,
        ge=1,
        le=20,
        validation_alias=_env("max_attempts"),
        description="Releases tried per job before it fails",
    )
    search_timeout: float = Field(
        60.0,
        gt=0,
        validation_alias=_env("search_timeout"),
        description="Seconds to wait for search to ask every indexer",
    )
    monitor_interval: float = Field(
        5 * 60,
        gt=0,
        validation_alias=_env("monitor_interval"),
        description="Seconds between two checks of every followed show for aired episodes not yet downloaded",
    )
    monitor_searches: int = Field(
        50,
        ge=1,
        validation_alias=_env("monitor_searches"),
        description="Searches one check may send at most: a newly followed long show must not flood indexers",
    )
    resolve_retry_seconds: float = Field(
        10.0,
        gt=0,
        validation_alias=_env("resolve_retry_seconds"),
        description="First wait before asking catalog/search again after they were unavailable (doubles, max 5 min)",
    )
    lease_bucket: str = Field("NILUFLIX_LEASES", validation_alias=_env("lease_bucket"))
    lease_ttl: float = Field(
        10.0,
        ge=1,
        validation_alias=_env("lease_ttl"),
        description="Seconds before another replica takes over the tick from a holder that stopped renewing",
    )
    replica_id: str = Field(
        default_factory=lambda: f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}",
        validation_alias=_env("replica_id"),
    )

    @model_validator(mode="after")
    def _defaults(self) -> "DownloaderSettings":
        if not self.database_url:
            self.database_url = self.database_default("downloader")
        if self.downloads_dir is None:
            self.downloads_dir = self.data_dir / "downloads"
        self.downloads_dir = self.downloads_dir.expanduser().resolve()
        return self

    def save_dir(self, media_type: MediaType) -> Path:
        assert self.downloads_dir is not None
        return self.downloads_dir / ("movies" if media_type is MediaType.MOVIE else "tv")

    @property
    def client_data_dir(self) -> Path:
        """Where a client the downloader runs itself (embedded engine, managed daemon) keeps its state."""
        return self.data_dir / "downloader"
