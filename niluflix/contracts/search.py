"""Search (indexers, parsing, ranking) subjects, owned by the search service."""

from datetime import datetime

from pydantic import BaseModel, Field

from niluflix.contracts.common import MediaType

RELEASES = "search.v1.releases"


class FindReleases(BaseModel):
    """Request for `search.v1.releases`: everything search needs to query indexers and match names."""

    tmdb_id: int
    media_type: MediaType = MediaType.MOVIE
    title: str
    year: int | None = None
    imdb_id: str | None = None
    original_title: str | None = None
    alternative_titles: list[str] = []
    runtime: int | None = Field(None, description="Minutes; lets size rules judge per minute")
    season: int | None = None
    episode: int | None = None


class ParsedRelease(BaseModel):
    """What the release name says. Absent fields were not found in the name."""

    title: str | None = None
    year: int | None = None
    season: int | None = None
    episodes: list[int] = []
    resolution: str | None = Field(None, description="e.g. 1080p, 720p, 2160p")
    source: str | None = Field(None, description="e.g. BluRay, WEB-DL, CAM")
    codec: str | None = None
    group: str | None = None
    proper: bool = False
    repack: bool = False
    languages: list[str] = []


class Release(BaseModel):
    """One torrent an indexer offered."""

    name: str = Field(description="The release name as the indexer gave it")
    indexer: str
    guid: str = ""
    size: int | None = Field(None, description="Bytes")
    seeders: int | None = None
    leechers: int | None = None
    magnet_uri: str | None = None
    torrent_url: str | None = None
    info_hash: str | None = Field(None, description="Lower-case hex v1 info hash when known")
    imdb_id: str | None = None
    tmdb_id: int | None = None
    published_at: datetime | None = None
    parsed: ParsedRelease | None = None
    score: float = 0.0
    rejections: list[str] = Field(default_factory=list, description="Why it was not picked, in words")


class IndexerResult(BaseModel):
    indexer: str
    ok: bool
    count: int = 0
    elapsed_ms: float = 0.0
    error: str | None = None


class ReleaseList(BaseModel):
    """Reply of `search.v1.releases`: accepted releases best first, then the rejected ones with reasons."""

    releases: list[Release] = []
    rejected: list[Release] = []
    indexers: list[IndexerResult] = []
