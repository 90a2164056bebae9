"""The gateway's process settings: where it listens, its database, its API key."""

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from niluflix.config import ServiceSettings, service_env

_env = service_env("gateway")


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NILUFLIX_", extra="ignore", populate_by_name=True)

    host: str = Field("127.0.0.1", validation_alias=_env("host"))
    port: int = Field(7979, ge=1, le=65535, validation_alias=_env("port"))
    database_url: str = Field("", validation_alias=_env("database_url", "DATABASE_URL"))
    database_schema: str = Field("gateway", validation_alias=_env("database_schema"))
    api_key: SecretStr | None = Field(
        None,
        # One name for the whole install, not the gateway's own: the UI sends the same NILUFLIX_API_KEY.
        validation_alias=AliasChoices("NILUFLIX_API_KEY"),
        description="The key other hosts must send; generated and stored when unset",
    )
    session_days: float = Field(
        30.0,
        gt=0,
        validation_alias=_env("session_days"),
        description="Days a browser signed in from another machine stays signed in",
    )
    health_timeout: float = Field(
        2.0,
        gt=0,
        validation_alias=_env("health_timeout"),
        description="Seconds /api/health waits for each service",
    )
    sync_timeout: float = Field(
        300.0,
        gt=0,
        validation_alias=_env("sync_timeout"),
        description="Seconds a library sync may take: it walks the whole library",
    )
    ws_queue_size: int = Field(
        256,
        ge=8,
        validation_alias=_env("ws_queue_size"),
        description="Messages a slow WebSocket client may fall behind before it is disconnected",
    )
    check_library_dir: bool = Field(
        True,
        validation_alias=_env("check_library_dir"),
        description="Check that a new library_dir can be created and written from here; turn off when the "
        "gateway does not mount the media volume",
    )
    remote_poll_seconds: float = Field(
        15.0,
        gt=0,
        validation_alias=_env("remote_poll_seconds"),
        description="Remote access: seconds between looks for commands from the phone while realtime is down",
    )
    remote_poll_subscribed_seconds: float = Field(
        60.0,
        gt=0,
        validation_alias=_env("remote_poll_subscribed_seconds"),
        description="Remote access: seconds between looks for commands while realtime tells of new ones",
    )
    remote_realtime: bool = Field(
        True,
        validation_alias=_env("remote_realtime"),
        description="Remote access: hear of new commands through Supabase Realtime (off: polling alone, e.g. "
        "behind a proxy that blocks WebSockets)",
    )
    remote_heartbeat_seconds: float = Field(
        60.0, gt=0, validation_alias=_env("remote_heartbeat_seconds"), description="Remote access: heartbeat"
    )
    remote_resync_seconds: float = Field(
        300.0,
        gt=0,
        validation_alias=_env("remote_resync_seconds"),
        description="Remote access: seconds between full mirrors of the library (changes go out as they happen)",
    )
    remote_progress_seconds: float = Field(
        5.0,
        gt=0,
        validation_alias=_env("remote_progress_seconds"),
        description="Remote access: download progress is mirrored at most this often",
    )

    @model_validator(mode="after")
    def _default_database(self) -> "GatewaySettings":
        if not self.database_url:
            self.database_url = self.database_default("gateway")
        if self.api_key is not None and not self.api_key.get_secret_value().strip():
            self.api_key = None
        return self
