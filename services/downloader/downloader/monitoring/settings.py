"""How often followed shows are checked for new episodes."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from niluflix.config import service_env

_env = service_env("downloader")


class MonitorSettings(BaseSettings):
    model_config = SettingsConfigDict(populate_by_name=True, extra="ignore")

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
