"""Settings shared by every service, kept in a NATS key-value bucket and changed through the gateway.

Services watch the bucket, so a change in the UI reaches them without a restart. Secrets are stored
encrypted (see `niluflix.settings_store`); the models here hold them as `SecretStr` so a stray log line
or repr never shows them.
"""

from enum import StrEnum
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

BUCKET = "NILUFLIX_SETTINGS"
KEY = "shared"


def _check_http_url(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"must be an http:// or https:// URL, got {value!r}")
    return value.rstrip("/")


class TorrentClientKind(StrEnum):
    AUTO = "auto"
    TRANSMISSION = "transmission"
    QBITTORRENT = "qbittorrent"
    EMBEDDED = "embedded"


class TorrentClientSettings(BaseModel):
    kind: TorrentClientKind = TorrentClientKind.AUTO
    url: str | None = Field(None, description="e.g. http://127.0.0.1:9091/transmission/rpc or http://127.0.0.1:8080")
    username: str | None = None
    password: SecretStr | None = None

    _url = field_validator("url")(_check_http_url)

    @model_validator(mode="after")
    def _url_needed(self) -> "TorrentClientSettings":
        if self.kind in (TorrentClientKind.TRANSMISSION, TorrentClientKind.QBITTORRENT) and not self.url:
            raise ValueError(f"torrent client '{self.kind}' needs a url")
        return self


class IndexerSettings(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    url: str = Field(description="Torznab endpoint, e.g. http://127.0.0.1:9696/1/api")
    api_key: SecretStr | None = None
    enabled: bool = True

    _url = field_validator("url")(_check_http_url)


class SharedSettings(BaseModel):
    tmdb_api_key: SecretStr | None = Field(None, description="TMDB v3 API key or v4 read access token")
    tmdb_base_url: str = "https://api.themoviedb.org/3"
    library_dir: str = Field(default_factory=lambda: str(Path("~/Movies/NiluFlix").expanduser()))
    torrent_client: TorrentClientSettings = Field(default_factory=TorrentClientSettings)
    max_concurrent_downloads: int = Field(3, ge=1, le=50)
    indexers: list[IndexerSettings] = []

    _tmdb_url = field_validator("tmdb_base_url")(_check_http_url)

    @field_validator("library_dir")
    @classmethod
    def _absolute(cls, value: str) -> str:
        path = Path(value).expanduser()
        if not path.is_absolute():
            raise ValueError(f"library_dir must be an absolute path, got {value!r}")
        return str(path)

    @field_validator("indexers")
    @classmethod
    def _unique_names(cls, value: list[IndexerSettings]) -> list[IndexerSettings]:
        names = [i.name.casefold() for i in value]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"indexer names must be unique: {', '.join(dupes)}")
        return value
