"""The one interface every torrent client implements, and the types it speaks.

The job engine calls `list_all()` once per tick for every torrent, whatever their number, so each
adapter must answer it with a single request to its client (asking only for the fields used).
"""

from enum import StrEnum
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field, model_validator


class TorrentState(StrEnum):
    CHECKING = "checking"
    QUEUED = "queued"
    METADATA = "metadata"  # magnet added, metadata not received yet
    DOWNLOADING = "downloading"
    STALLED = "stalled"  # wants data, no peer sends any
    PAUSED = "paused"
    COMPLETED = "completed"  # every wanted byte is on disk, in its final place (seeding or stopped)
    ERROR = "error"


class TorrentSource(BaseModel):
    """What to add: a magnet link or the bytes of a .torrent file (exactly one)."""

    magnet_uri: str | None = None
    torrent: bytes | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "TorrentSource":
        if (self.magnet_uri is None) == (self.torrent is None):
            raise ValueError("give either a magnet link or the bytes of a .torrent file, not both or neither")
        return self


class TorrentStatus(BaseModel):
    info_hash: str = Field(description="lower-case hex v1 info hash")
    name: str
    state: TorrentState
    progress: float = Field(ge=0.0, le=1.0)
    size: int = 0
    downloaded: int = 0
    download_rate: int = Field(0, description="bytes/s")
    eta_seconds: int | None = None
    peers: int = 0
    save_path: str = Field(description="Directory the torrent's content is saved under")
    error: str | None = None


class TorrentFile(BaseModel):
    path: str = Field(description="Relative to the torrent's save_path, as the client names it")
    size: int


class TorrentClientError(Exception):
    """The client could not be reached or refused the request.

    TorrentClientError
    ├── TorrentClientAuthError   the client wants credentials we do not have, or refused ours
    ├── InvalidTorrentError      the magnet or .torrent is malformed: retrying cannot help
    └── TorrentNotFoundError     the client has no torrent with that info hash
    """


class TorrentClientAuthError(TorrentClientError):
    pass


class InvalidTorrentError(TorrentClientError):
    pass


class TorrentNotFoundError(TorrentClientError):
    def __init__(self, info_hash: str) -> None:
        super().__init__(f"the torrent client has no torrent {info_hash}")
        self.info_hash = info_hash


class TorrentClient(Protocol):
    name: str  # "transmission", "qbittorrent" or "embedded"

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def add(self, source: TorrentSource, save_dir: Path) -> str:
        """Add and start the torrent; return its info hash. Adding one already present is not an error."""
        ...

    async def list_all(self) -> list[TorrentStatus]:
        """Every torrent the client has, in one request."""
        ...

    async def files(self, info_hash: str) -> list[TorrentFile]:
        """The torrent's files (empty while a magnet waits for its metadata); TorrentNotFoundError if unknown."""
        ...

    async def pause(self, info_hash: str) -> None: ...

    async def resume(self, info_hash: str) -> None: ...

    async def remove(self, info_hash: str, *, delete_data: bool) -> None:
        """Remove the torrent (and its files when asked); removing one that is not there is not an error."""
        ...
