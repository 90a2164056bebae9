"""Search (indexers, parsing, ranking) subjects, owned by the search service."""

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    field_serializer,
    field_validator,
    model_validator,
)

from niluflix.contracts.catalog import TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.settings import IndexerSettings, check_http_url

RELEASES = "search.v1.releases"


class FindReleases(BaseModel):
    """Request for `search.v1.releases`: everything search needs to query indexers and match names."""

    tmdb_id: int
    media_type: MediaType = MediaType.MOVIE
    title: str
    year: int | None = None
    imdb_id: str | None = None
    tvdb_id: int | None = Field(None, description="TheTVDB id of a show: the id TV indexers search by")
    original_title: str | None = None
    alternative_titles: list[str] = []
    runtime: int | None = Field(
        None, description="Minutes (a show's: one episode's); lets size rules judge per minute"
    )
    season: int | None = None
    episode: int | None = Field(None, description="Shows: the one episode of `season` wanted")
    episodes: list[int] = Field(
        default_factory=list,
        description=(
            "Shows: several episodes of `season` wanted (with `episode`, all of them); empty and no `episode`"
            " with a season: the whole season"
        ),
    )
    absolute_episodes: list[PositiveInt] = Field(
        default_factory=list,
        description=(
            "Shows: the absolute numbers (counted over the whole show, as anime fansubs name episodes) of"
            " the wanted episodes, one each in the order of `wanted_episodes()`; empty: not known. A release"
            " that names no season is read by them: `[Group] Show - 17` is the wanted episode numbered 17"
        ),
    )
    air_date: date | None = Field(
        None,
        description=(
            "The day the wanted episode aired: a release named by date (a daily show's) is that episode when"
            " the date is this one. With no season and episode, indexers are asked by date alone; with"
            " them, by season and episode first, then by date"
        ),
    )
    season_episodes: int | None = Field(
        None, description="Episodes in `season`: lets size rules judge a season pack"
    )
    original_language: str | None = Field(
        None, description="ISO 639-1, e.g. ko: releases tagged with it are originals"
    )
    profile: str | None = Field(None, description="Quality profile name; None: the default profile")
    blocklist: list[str] = Field(default_factory=list, description="Info hashes never to pick")

    @classmethod
    def for_title(cls, details: TitleDetails, **request: object) -> "FindReleases":
        """The request for a title as the catalog knows it; `request` adds profile, season, episode..."""
        return cls(
            tmdb_id=details.tmdb_id,
            media_type=details.media_type,
            title=details.title,
            year=details.year,
            imdb_id=details.imdb_id,
            tvdb_id=details.tvdb_id,
            original_title=details.original_title,
            alternative_titles=details.alternative_titles,
            runtime=details.runtime,
            original_language=details.original_language,
            **({"season_episodes": _episode_count(details, request.get("season"))} | request),
        )

    @model_validator(mode="after")
    def _one_absolute_number_per_episode(self) -> "FindReleases":
        wanted = self.wanted_episodes()
        if self.absolute_episodes and len(self.absolute_episodes) != len(wanted):
            raise ValueError(
                f"absolute_episodes names {len(self.absolute_episodes)} numbers for {len(wanted)} wanted"
                " episodes: one each, in episode order"
            )
        return self

    def wanted_episodes(self) -> list[int]:
        """Every episode of `season` wanted, in order; empty: the whole season (or the day of `air_date`)."""
        return sorted({*self.episodes, *(() if self.episode is None else (self.episode,))})

    def episodes_by_absolute(self) -> dict[int, int]:
        """Absolute number -> the wanted episode of `season` it is; empty when the numbers are not known."""
        return dict(zip(self.absolute_episodes, self.wanted_episodes(), strict=False))


def _episode_count(details: TitleDetails, season: object) -> int | None:
    count = next((s.episode_count for s in details.seasons if s.season == season), None)
    return count or None


class ParsedRelease(BaseModel):
    """What the release name says. Absent fields were not found in the name."""

    title: str | None = None
    year: int | None = None
    season: int | None = None
    episodes: list[int] = []
    resolution: str | None = Field(
        None, description="A `Resolution` (niluflix.contracts.quality), e.g. 1080p; or interlaced, e.g. 1080i"
    )
    source: str | None = Field(None, description="A `Source`, e.g. BluRay, WEB-DL, HDRip, CAM")
    codec: str | None = Field(None, description="A `Codec`, e.g. x264, x265, AV1")
    group: str | None = None
    proper: bool = False
    repack: bool = False
    languages: list[str] = Field(
        [], description="`Language` codes (ISO 639-1); `multi` for MULTi/dual-audio releases"
    )
    subtitles: list[str] = Field(
        [], description="Subtitle languages the name tags (`VOSTFR`: fr; `ESubs`: en; `Multi-Subs`: multi)"
    )
    seasons: list[int] = Field([], description="Every season a pack holds (`S01-S03`: 1, 2, 3)")
    air_date: date | None = Field(None, description="A daily show's date")
    hdr: list[str] = Field([], description="DV, HDR10+, HDR10, HDR, HLG")
    audio: list[str] = Field([], description="e.g. TrueHD, Atmos, DTS-HD MA, DD+, DD, AAC")
    channels: str | None = Field(None, description="e.g. 5.1, 7.1, 2.0")
    bit_depth: str | None = Field(None, description="e.g. 10bit")
    edition: str | None = Field(None, description="e.g. Extended, Director's Cut, Remastered, IMAX")
    sample: bool = Field(False, description="A sample clip, not the release")
    complete: bool = Field(
        False,
        description="A complete pack (`COMPLETE`, `Complete Series`): every episode of its seasons, or "
        "of the whole show when no season is named",
    )
    version: int | None = Field(None, description="An anime release's version of its episode (`12v2`: 2)")
    absolute_episodes: bool = Field(
        False,
        description="The episodes count from the show's first (`[Group] One Piece - 1088`), not per season",
    )


class RejectionCode(StrEnum):
    """Why a release was not picked, as a stable code a program can act on (group, colour, retry later)."""

    TITLE_MISMATCH = "title_mismatch"
    WRONG_YEAR = "wrong_year"
    WRONG_SEASON = "wrong_season"
    WRONG_EPISODE = "wrong_episode"
    NO_SEEDERS = "no_seeders"
    TOO_FEW_SEEDERS = "too_few_seeders"
    QUALITY_NOT_ALLOWED = "quality_not_allowed"
    REJECTED_SOURCE = "rejected_source"
    TOO_SMALL = "too_small"
    TOO_BIG = "too_big"
    REJECTED_WORD = "rejected_word"
    FOREIGN_LANGUAGE = "foreign_language"
    BLOCKLISTED = "blocklisted"
    SAMPLE = "sample"
    WRONG_ID = "wrong_id"
    WRONG_KIND = "wrong_kind"
    FAKE = "fake"


class Rejection(BaseModel):
    """One reason a release was not picked: the code for programs, the words for people."""

    # Frozen: the ranking shares one instance of each fixed reason across thousands of releases.
    model_config = ConfigDict(frozen=True)

    code: RejectionCode
    message: str = Field(
        description='e.g. "CAM", "wrong year 2009", "too small for 1080p: 300 MB for 136 min"'
    )

    def __str__(self) -> str:
        return self.message


class Coverage(BaseModel):
    """What a show's release holds, as the ranking read it (the name first, the indexer's tags when the name
    is silent), so a downloader can take one pack instead of many episodes."""

    seasons: list[int] = Field(
        default_factory=list, description="Seasons it holds; empty with `complete_series`: every one"
    )
    episodes: list[int] = Field(
        default_factory=list, description="Episodes of its one season it holds; empty: whole seasons"
    )
    air_date: date | None = Field(None, description="A daily show's episode: the day it aired")
    absolute_episodes: list[int] = Field(
        default_factory=list,
        description=(
            "Named by absolute number, with no season (`[Group] Show - 17`, a batch `- 01-12`): the numbers"
            " it names; `episodes` and `seasons` then hold the wanted episodes they were read as"
        ),
    )
    season_pack: bool = Field(False, description="Whole seasons (one or several), not single episodes")
    complete_series: bool = Field(False, description="Tagged as the complete series")
    wanted: list[int] = Field(
        default_factory=list,
        description=(
            "The request's episodes it holds (a pack of the wanted season: every one); for a request of a"
            " whole season, the episodes of it a single-episode release holds, and empty for a pack"
        ),
    )


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
    imdb_id: str | None = Field(None, description="The title the indexer tagged it with")
    tmdb_id: int | None = None
    tvdb_id: int | None = Field(None, description="The show the indexer tagged it with (TheTVDB id)")
    season: int | None = Field(None, description="The season the indexer tagged it with")
    episode: int | None = Field(None, description="The episode the indexer tagged it with")
    published_at: datetime | None = None
    parsed: ParsedRelease | None = None
    covers: Coverage | None = Field(None, description="Shows: the seasons and episodes it holds")
    score: float = 0.0
    rejections: list[Rejection] = Field(
        default_factory=list, description="Why it was not picked: every reason, each a code and words"
    )


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
    profile: str | None = Field(None, description="The quality profile the releases were judged by")


TEST_INDEXER = "search.v1.indexers.test"


class TestIndexer(BaseModel):
    """Request for `search.v1.indexers.test`: "test connection" for a Torznab indexer, saved or not."""

    __test__ = False  # not a pytest test class, despite its name

    indexer: IndexerSettings

    @field_serializer("indexer", when_used="json")
    def _with_key(self, indexer: IndexerSettings) -> dict:
        # The search service needs the key to test it: it travels only on the internal bus, never logged.
        data = indexer.model_dump(mode="json")
        data["api_key"] = indexer.api_key.get_secret_value() if indexer.api_key else None
        return data


class IndexerTestResult(BaseModel):
    """Reply of `search.v1.indexers.test`: whether the indexer answered, in words a user can act on."""

    __test__ = False

    ok: bool
    message: str = Field(description='e.g. "Works: movie search by IMDb id, 12 releases in a sample search"')
    capabilities: str | None = Field(None, description="What its caps allow, e.g. movie search by IMDb id")
    categories: list[int] = Field(default_factory=list, description="Torznab categories it offers")
    releases: int = Field(0, description="Releases in the sample search")
    elapsed_ms: float = 0.0


TEST_PROVIDER = "search.v1.providers.test"

ProviderKey = Literal["yts", "eztv", "tpb"]


class TestProvider(BaseModel):
    """Request for `search.v1.providers.test`: "test connection" for a built-in provider, at its saved
    address or at another one (a mirror, tried before it is saved). Replied with `IndexerTestResult`."""

    __test__ = False  # not a pytest test class, despite its name

    provider: ProviderKey = Field(description="Its key in the settings' `providers`")
    base_url: str | None = Field(
        None, description="The API root to try, e.g. a mirror; None: the saved base URL"
    )

    _url = field_validator("base_url")(check_http_url)


# RSS: each indexer's newest releases, polled on a schedule, published once per new item (by guid).
EVENTS_STREAM = "SEARCH_EVENTS"
EVENTS_SUBJECTS = "search.v1.events.>"
RELEASES_SEEN = "search.v1.events.releases_seen"


class ReleasesSeen(BaseModel):
    """On `search.v1.events.releases_seen` (JetStream `SEARCH_EVENTS`): releases new in one indexer's feed."""

    indexer: str
    releases: list[Release] = Field(description="Parsed (`parsed` set), not ranked: not judged for any title")
    seen_at: datetime


JUDGE = "search.v1.judge"


class JudgeReleases(BaseModel):
    """Request for `search.v1.judge`: rank releases found elsewhere (an RSS feed) for a title, as a search
    would, without asking any indexer. Replies `ReleaseList`."""

    request: FindReleases
    releases: list[Release] = Field(max_length=1000)
