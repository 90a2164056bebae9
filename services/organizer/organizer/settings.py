"""The organizer's own process settings (the library folder is a shared user setting, in the bucket)."""

from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import SettingsConfigDict

from niluflix.config import ServiceSettings, service_env
from organizer.library.placing import LinkMode

_env = service_env("organizer")


class OrganizerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NILUFLIX_", extra="ignore", populate_by_name=True)

    database_url: str = Field("", validation_alias=_env("database_url", "DATABASE_URL"))
    database_schema: str = Field("organizer", validation_alias=_env("database_schema"))
    download_dirs: list[Path] = Field(
        default_factory=list,
        validation_alias=_env("download_dirs"),
        description=(
            "Folders a completed download may live in (JSON list); a completion outside them is refused. "
            "Default: the downloader's folder, downloads_dir"
        ),
    )
    downloads_dir: Path | None = Field(
        None,
        # the downloader's own names, in the downloader's order, so both always mean the same folder
        validation_alias=AliasChoices("NILUFLIX_DOWNLOADER_DOWNLOADS_DIR", "NILUFLIX_DOWNLOADS_DIR"),
        description="The downloader's folder (shared environment); default <data_dir>/downloads",
    )
    link_mode: LinkMode = Field(
        LinkMode.AUTO,
        validation_alias=_env("link_mode"),
        description="auto: hardlink when on the same filesystem, else copy; hardlink or copy to force one",
    )
    consumer_name: str = Field(
        "organizer-completed",
        pattern=r"^[A-Za-z0-9_-]+$",
        validation_alias=_env("consumer_name"),
        description="Durable JetStream consumer of completions; replicas share it",
    )
    ack_wait: float = Field(
        60.0,
        gt=0,
        validation_alias=_env("ack_wait"),
        description="Seconds before an unacked completion goes to another replica (extended while copying)",
    )
    max_deliver: int = Field(20, ge=1, validation_alias=_env("max_deliver"))
    retry_delay: float = Field(
        5.0,
        gt=0,
        validation_alias=_env("retry_delay"),
        description="First wait before a completion that failed for a passing cause is tried again (doubles)",
    )
    retry_max_delay: float = Field(300.0, gt=0, validation_alias=_env("retry_max_delay"))

    @model_validator(mode="after")
    def _defaults(self) -> "OrganizerSettings":
        if not self.database_url:
            self.database_url = self.database_default("organizer")
        if not self.download_dirs:
            self.download_dirs = [self.downloads_dir or self.data_dir / "downloads"]
        self.download_dirs = [d.expanduser().resolve() for d in self.download_dirs]
        return self
