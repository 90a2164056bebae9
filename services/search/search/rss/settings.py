"""How often the indexers' newest releases are read."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from niluflix.config import service_env

_env = service_env("search")


class RssSettings(BaseSettings):
    model_config = SettingsConfigDict(populate_by_name=True, extra="ignore")

    rss_interval: float = Field(
        15 * 60,
        gt=0,
        validation_alias=_env("rss_interval"),
        description="Seconds between two reads of every indexer's newest releases (Sonarr's default: 15 min)",
    )
    rss_items: int = Field(
        100, ge=1, le=1000, validation_alias=_env("rss_items"), description="Newest releases asked per read"
    )
