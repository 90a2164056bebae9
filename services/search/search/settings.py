from pydantic import Field
from pydantic_settings import SettingsConfigDict

from niluflix.config import ServiceSettings, service_env

MIB = 1024 * 1024


_env = service_env("search")


class SearchSettings(ServiceSettings):
    model_config = SettingsConfigDict(populate_by_name=True)

    indexer_timeout: float = Field(
        10.0,
        gt=0,
        le=120,
        validation_alias=_env("indexer_timeout"),
        description="Seconds one indexer may take (caps and search together) before it is left out of a reply",
    )
    max_feed_bytes: int = Field(
        10 * MIB,
        ge=64 * 1024,
        validation_alias=_env("max_feed_bytes"),
        description="Larger indexer answers are refused: a feed of releases is never this big",
    )
    rss_interval: float = Field(
        15 * 60,
        gt=0,
        validation_alias=_env("rss_interval"),
        description="Seconds between two reads of every indexer's newest releases (Sonarr's default: 15 min)",
    )
    rss_items: int = Field(
        100, ge=1, le=1000, validation_alias=_env("rss_items"), description="Newest releases asked per read"
    )
    watch_settings: bool = Field(
        True,
        validation_alias=_env("watch_settings"),
        description="Follow the shared settings bucket; false uses the NILUFLIX_* environment only (NILUFLIX_INDEXERS)",
    )
