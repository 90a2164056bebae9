"""The catalog's process settings. The TMDB key and base URL are shared settings (`LiveSettings`)."""

from pydantic import Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from niluflix.config import ServiceSettings, service_env

HOUR = 3600.0


_env = service_env("catalog")


class CatalogSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NILUFLIX_", extra="ignore", populate_by_name=True)

    database_url: str = Field("", validation_alias=_env("database_url", "DATABASE_URL"))
    database_schema: str = Field("catalog", validation_alias=_env("database_schema"))

    poster_base_url: str = Field("https://image.tmdb.org/t/p/w500", validation_alias=_env("poster_base_url"))
    backdrop_base_url: str = Field(
        "https://image.tmdb.org/t/p/w1280", validation_alias=_env("backdrop_base_url")
    )

    tmdb_timeout: float = Field(10.0, gt=0, validation_alias=_env("tmdb_timeout"))
    tmdb_max_tries: int = Field(3, ge=1, le=10, validation_alias=_env("tmdb_max_tries"))
    tmdb_max_wait: float = Field(
        10.0,
        ge=0,
        validation_alias=_env("tmdb_max_wait"),
        description="Seconds a request may spend waiting out TMDB's rate limit before giving up",
    )

    cache_lists_ttl: float = Field(3 * HOUR, ge=0, validation_alias=_env("cache_lists_ttl"))
    cache_search_ttl: float = Field(1 * HOUR, ge=0, validation_alias=_env("cache_search_ttl"))
    cache_details_ttl: float = Field(24 * HOUR, ge=0, validation_alias=_env("cache_details_ttl"))
    cache_show_airing_ttl: float = Field(
        6 * HOUR,
        ge=0,
        validation_alias=_env("cache_show_airing_ttl"),
        description="Seconds a show still airing (and its unfinished seasons) is served from the cache",
    )
    cache_show_ended_ttl: float = Field(
        7 * 24 * HOUR,
        ge=0,
        validation_alias=_env("cache_show_ended_ttl"),
        description="Seconds an ended show (and its seasons) is served from the cache",
    )
    cache_keep: float = Field(
        30 * 24 * HOUR,
        gt=0,
        validation_alias=_env("cache_keep"),
        description="Seconds an expired answer is kept to serve while TMDB is down",
    )

    @field_validator("poster_base_url", "backdrop_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _database(self) -> "CatalogSettings":
        if not self.database_url:
            self.database_url = self.database_default("catalog")
        try:
            backend = make_url(self.database_url).get_backend_name()
        except ArgumentError as exc:
            raise ValueError(f"database_url is not a database URL: {exc}") from None
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"database_url must be sqlite:/// or postgresql://, got {backend}://")
        return self
