"""Settings shared by every service, kept in a NATS key-value bucket and changed through the gateway.

Services watch the bucket, so a change in the UI reaches them without a restart. Secrets are stored
encrypted (see `niluflix.settings_store`); the models here hold them as `SecretStr` so a stray log line
or repr never shows them.
"""

import logging
from enum import StrEnum
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel, Field, SecretStr, ValidationInfo, field_validator, model_validator

from niluflix.contracts.quality import Codec, Language, Resolution, Source

log = logging.getLogger(__name__)

BUCKET = "NILUFLIX_SETTINGS"
KEY = "shared"
# The validation context of settings read back from the bucket (`settings_store.decode_settings`): there a
# profile name outside the vocabulary is dropped with a warning (see `_without_unknown_names`). Everything
# validated without it, what a user sends above all, is strict: such a name is refused with the valid ones.
STORED = {"stored": True}


def check_http_url(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"must be an http:// or https:// URL, got {value!r}")
    return value.rstrip("/")


def path_safe_name(value: str, info: ValidationInfo) -> str:
    """A profile's or an indexer's name is a segment of its URL (`/api/profiles/{name}`): a `/` would split
    it, and `.` or `..` would be resolved away by the client before the request leaves, so neither could be
    reached again. It is also stored with each download and follow that names it: no control characters
    (PostgreSQL refuses a NUL). Names stored before this check still load (`STORED`): the settings page can
    rename them."""
    if (info.context or {}).get("stored"):
        return value
    if "/" in value:
        raise ValueError("must not contain '/': the name is part of its URL")
    if value in (".", ".."):
        raise ValueError(f"must not be {value!r}: the name is part of its URL")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("must not contain control characters (a line break, a tab, NUL)")
    return value


class TorrentClientKind(StrEnum):
    AUTO = "auto"
    TRANSMISSION = "transmission"
    QBITTORRENT = "qbittorrent"
    EMBEDDED = "embedded"


class TorrentClientSettings(BaseModel):
    kind: TorrentClientKind = TorrentClientKind.AUTO
    url: str | None = Field(
        None, description="e.g. http://127.0.0.1:9091/transmission/rpc or http://127.0.0.1:8080"
    )
    username: str | None = None
    password: SecretStr | None = None

    _url = field_validator("url")(check_http_url)

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

    _url = field_validator("url")(check_http_url)

    @field_validator("name")
    @classmethod
    def _path_safe(cls, value: str, info: ValidationInfo) -> str:
        return path_safe_name(value, info)


class ProviderSettings(BaseModel):
    """A built-in provider (no Jackett needed): on or off, and where its API lives, so a mirror can be used."""

    enabled: bool = False
    base_url: str

    _url = field_validator("base_url")(check_http_url)


class YtsSettings(ProviderSettings):
    base_url: str = Field(
        "https://yts.mx/api/v2", description="YTS API v2 root (list_movies.json lives there)"
    )


class EztvSettings(ProviderSettings):
    base_url: str = Field("https://eztvx.to/api", description="EZTV API root (get-torrents lives there)")


class TpbSettings(ProviderSettings):
    base_url: str = Field(
        "https://apibay.org", description="The Pirate Bay's JSON API root (q.php lives there)"
    )


# The built-in providers' names as indexers: in results, health checks, and reserved from Torznab indexers.
PROVIDER_NAMES = {"yts": "YTS", "eztv": "EZTV", "tpb": "The Pirate Bay"}


class ProvidersSettings(BaseModel):
    """The built-in providers. All are off by default: the offline demo reaches no outside site."""

    yts: YtsSettings = Field(default_factory=YtsSettings, description="YTS: movies")
    eztv: EztvSettings = Field(default_factory=EztvSettings, description="EZTV: TV episodes, by IMDb id")
    tpb: TpbSettings = Field(
        default_factory=TpbSettings, description="The Pirate Bay (apibay): movies and TV"
    )


OTHER_QUALITY = "other"


class SizeLimit(BaseModel):
    """How much a minute of one quality may weigh: below is a fake or a sample, above is needless bulk."""

    quality: Resolution | Literal["other"] = Field(
        description='A resolution such as "1080p", or "other" for every resolution not listed'
    )
    min_mb_per_minute: float = Field(0, ge=0)
    max_mb_per_minute: float | None = Field(None, gt=0, description="None: no upper bound")

    @field_validator("quality", mode="before")
    @classmethod
    def _known_quality(cls, value: object) -> object:
        if isinstance(value, str) and not isinstance(value, Resolution):
            if value.strip().casefold() == OTHER_QUALITY:
                return OTHER_QUALITY
            try:
                return Resolution.named(value)
            except ValueError as exc:
                raise ValueError(f"{exc}, or {OTHER_QUALITY}") from None
        return value


class WordScore(BaseModel):
    word: str = Field(
        min_length=1, max_length=64, description="Matched as whole words in the release name, any case"
    )
    score: int = Field(
        ge=-1000, le=1000, description="Added to the score of a release whose name has the word"
    )


def default_size_limits() -> list[SizeLimit]:
    # MB per minute, in the spirit of Radarr's quality definitions: a 136 min film at 1080p weighs at least 680 MB.
    return [
        SizeLimit(quality=Resolution.R2160P, min_mb_per_minute=15, max_mb_per_minute=800),
        SizeLimit(quality=Resolution.R1080P, min_mb_per_minute=5, max_mb_per_minute=300),
        SizeLimit(quality=Resolution.R720P, min_mb_per_minute=3, max_mb_per_minute=120),
        SizeLimit(quality=OTHER_QUALITY, min_mb_per_minute=1.5, max_mb_per_minute=80),
    ]


class QualityProfile(BaseModel):
    """What a user accepts and prefers in a release. Search rejects what fails it and ranks the rest."""

    name: str = Field(min_length=1, max_length=64)
    qualities: list[Resolution] = Field(
        default_factory=lambda: [Resolution.R1080P, Resolution.R720P, Resolution.R2160P],
        description="Resolutions in order of preference",
    )
    allow_other_qualities: bool = Field(True, description="Accept resolutions not listed, ranked after them")
    rejected_sources: list[Source] = Field(
        default_factory=lambda: [Source.CAM, Source.TELESYNC, Source.TELECINE, Source.SCREENER],
        description="Sources never picked, e.g. CAM, TS (telesync), TC (telecine), SCR (screener)",
    )
    size_limits: list[SizeLimit] = Field(default_factory=default_size_limits)
    preferred_words: list[WordScore] = []
    rejected_words: list[str] = Field(
        default_factory=lambda: ["KORSUB", "HC", "HARDSUB", "HARDCODED"],
        description="A release whose name has one of these whole words is never picked",
    )
    min_seeders: int = Field(1, ge=0, le=10_000)
    preferred_codec: Codec | None = Field(None, description="e.g. x265 (HEVC), x264 (AVC), AV1: ranked first")
    languages: list[Language] = Field(
        default_factory=lambda: [Language.ENGLISH],
        description="Audio languages understood (ISO 639-1); a release tagged only with others is not picked. "
        "Empty: any language",
    )

    @field_validator("name")
    @classmethod
    def _path_safe(cls, value: str, info: ValidationInfo) -> str:
        return path_safe_name(value, info)

    @field_validator("rejected_words")
    @classmethod
    def _no_blanks(cls, value: list[str]) -> list[str]:
        return [v.strip() for v in value if v.strip()]

    # Names in the shared vocabulary (niluflix.contracts.quality), in any case and by any known spelling
    # (`4K`, `TeleSync`, `French`): a profile rule can only match what the parser reads, and a typo is refused
    # with the valid names instead of silently never matching.
    @field_validator("qualities", mode="before")
    @classmethod
    def _known_resolutions(cls, value: object) -> object:
        return _named_list(Resolution, value)

    @field_validator("rejected_sources", mode="before")
    @classmethod
    def _known_sources(cls, value: object) -> object:
        return _named_list(Source, value)

    @field_validator("languages", mode="before")
    @classmethod
    def _known_languages(cls, value: object) -> object:
        return _named_list(Language, value)

    @field_validator("preferred_codec", mode="before")
    @classmethod
    def _known_codec(cls, value: object) -> object:
        if isinstance(value, str) and not isinstance(value, Codec):
            return Codec.named(value) if value.strip() else None
        return value


def _named_list(vocabulary: type[Resolution | Source | Language], value: object) -> object:
    """Each name read through the vocabulary, blanks dropped, each value once (the first keeps its place)."""
    if not isinstance(value, list | tuple):
        return value
    found = []
    for item in value:
        if isinstance(item, str) and not isinstance(item, vocabulary):
            if not item.strip():
                continue
            item = vocabulary.named(item)
        if item not in found:
            found.append(item)
    return found


def _known(vocabulary: type[Resolution | Source | Codec | Language], name: object) -> bool:
    if not isinstance(name, str) or isinstance(name, vocabulary) or not name.strip():
        return True  # not a name: for the profile's own validation to judge
    try:
        vocabulary.named(name)
    except ValueError:
        return False
    return True


def _without_unknown_names(profile: dict) -> dict:
    """A profile as settings hold it, less the names outside the vocabulary, each dropped with a warning.

    Profiles saved before the vocabulary was checked may hold one (a language typed as `sp`): it never
    matched a release, and refusing it when reading would make the whole settings unreadable, every service
    with them. Only stored settings are read so (`STORED`); a user's change is refused with the valid names.
    """
    cleaned = dict(profile)
    name = profile.get("name")

    def dropped(field: str, unknown: object) -> None:
        log.warning("quality profile %r: %s %r is not a known name; ignoring it", name, field, unknown)

    for field, vocabulary in (
        ("qualities", Resolution),
        ("rejected_sources", Source),
        ("languages", Language),
    ):
        names = profile.get(field)
        if isinstance(names, list):
            for unknown in [n for n in names if not _known(vocabulary, n)]:
                dropped(field, unknown)
            cleaned[field] = [n for n in names if _known(vocabulary, n)]
    limits = profile.get("size_limits")
    if isinstance(limits, list):
        kept = []
        for limit in limits:
            quality = limit.get("quality") if isinstance(limit, dict) else None
            if (
                isinstance(quality, str)
                and quality.strip().casefold() != OTHER_QUALITY
                and not _known(Resolution, quality)
            ):
                dropped("size_limits", quality)
                continue
            kept.append(limit)
        cleaned["size_limits"] = kept
    codec = profile.get("preferred_codec")
    if not _known(Codec, codec):
        dropped("preferred_codec", codec)
        cleaned["preferred_codec"] = None
    return cleaned


def default_quality_profiles() -> list[QualityProfile]:
    return [
        QualityProfile(name="Standard"),
        QualityProfile(
            name="4K", qualities=[Resolution.R2160P, Resolution.R1080P], allow_other_qualities=False
        ),
        QualityProfile(
            name="Small",
            qualities=[Resolution.R720P, Resolution.R1080P],
            allow_other_qualities=False,
            preferred_codec=Codec.X265,
        ),
    ]


class SharedSettings(BaseModel):
    tmdb_api_key: SecretStr | None = Field(None, description="TMDB v3 API key or v4 read access token")
    tmdb_base_url: str = "https://api.themoviedb.org/3"
    library_dir: str = Field(default_factory=lambda: str(Path("~/Movies/NiluFlix").expanduser()))
    torrent_client: TorrentClientSettings = Field(default_factory=TorrentClientSettings)
    max_concurrent_downloads: int = Field(3, ge=1, le=50)
    indexers: list[IndexerSettings] = []
    providers: ProvidersSettings = Field(
        default_factory=ProvidersSettings,
        description="Built-in providers (YTS for movies, EZTV for TV, The Pirate Bay's API), off by default",
    )
    quality_profiles: list[QualityProfile] = Field(
        default_factory=default_quality_profiles, description="Chosen per download; the default one otherwise"
    )
    default_profile: str = "Standard"

    _tmdb_url = field_validator("tmdb_base_url")(check_http_url)

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

    @field_validator("quality_profiles", mode="before")
    @classmethod
    def _readable_profiles(cls, value: object, info: ValidationInfo) -> object:
        if not (info.context or {}).get("stored") or not isinstance(value, list):
            return value
        return [_without_unknown_names(p) if isinstance(p, dict) else p for p in value]

    @field_validator("quality_profiles")
    @classmethod
    def _some_unique_profiles(cls, value: list[QualityProfile]) -> list[QualityProfile]:
        if not value:
            raise ValueError("keep at least one quality profile")
        names = [p.name.casefold() for p in value]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"quality profile names must be unique: {', '.join(dupes)}")
        return value

    @model_validator(mode="after")
    def _default_profile_exists(self) -> "SharedSettings":
        if self.profile(self.default_profile) is None:
            raise ValueError(f"default_profile '{self.default_profile}' is not one of the quality profiles")
        return self

    def profile(self, name: str | None = None) -> QualityProfile | None:
        """The profile called `name` (any case), the default one for None, or None when there is no such profile."""
        wanted = (name or self.default_profile).casefold()
        return next((p for p in self.quality_profiles if p.name.casefold() == wanted), None)
