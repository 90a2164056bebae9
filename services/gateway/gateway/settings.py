"""The gateway's process settings: where it listens, its database, its API key, who may reach it."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, BeforeValidator, Field, SecretStr, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from niluflix import locality
from niluflix.config import ServiceSettings, service_env

_env = service_env("gateway")


def _comma_list(value: object) -> object:
    """`a, b,c` from the environment (blank items dropped, so Compose may write `gateway,${MORE:-}`)."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


CommaList = Annotated[list[str], NoDecode, BeforeValidator(_comma_list)]


class Tls(StrEnum):
    OFF = "off"  # plain HTTP: the default, for use on this machine
    SELF_SIGNED = "self-signed"  # a certificate made once into the data dir (gateway/auth/tls.py)
    FILES = "files"  # the owner's certificate: tls_cert_file and tls_key_file


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

    allowed_hosts: CommaList = Field(
        default_factory=list,
        validation_alias=_env("allowed_hosts"),
        description="Host names the gateway answers to besides this machine's own names and any IP address "
        "(`nas.example.com`, `*.example.com`); `*` turns the Host check off, for a proxy that rewrites Host",
    )
    allowed_origins: CommaList = Field(
        default_factory=list,
        validation_alias=_env("allowed_origins"),
        description="Web origins (`https://dash.example.com`) whose pages may change things here besides "
        "the gateway's own and this machine's",
    )
    trusted_proxies: CommaList = Field(
        default_factory=list,
        validation_alias=_env("trusted_proxies"),
        description="IPs or CIDRs of reverse proxies whose X-Forwarded-For names the client; none by default",
    )
    api_key_attempts: int = Field(
        5,
        ge=1,
        validation_alias=_env("api_key_attempts"),
        description="Wrong API keys a client may send before it must wait, longer after each further one",
    )
    tls: Tls = Field(
        Tls.OFF,
        validation_alias=_env("tls"),
        description="`off`, `self-signed` (a certificate made once in the data dir) or `files` "
        "(tls_cert_file and tls_key_file)",
    )
    tls_cert_file: Path | None = Field(None, validation_alias=_env("tls_cert_file"))
    tls_key_file: Path | None = Field(None, validation_alias=_env("tls_key_file"))

    @property
    def trusted_networks(self) -> tuple[locality.Network, ...]:
        return locality.parse_networks(self.trusted_proxies)

    @property
    def scheme(self) -> str:
        return "http" if self.tls is Tls.OFF else "https"

    @model_validator(mode="after")
    def _default_database(self) -> "GatewaySettings":
        if not self.database_url:
            self.database_url = self.database_default("gateway")
        if self.api_key is not None and not self.api_key.get_secret_value().strip():
            self.api_key = None
        self.trusted_networks  # noqa: B018 - a bad entry stops the start here, naming it
        if self.tls is Tls.FILES and not (self.tls_cert_file and self.tls_key_file):
            raise ValueError("NILUFLIX_GATEWAY_TLS=files needs tls_cert_file and tls_key_file")
        if self.tls is Tls.SELF_SIGNED and (self.tls_cert_file or self.tls_key_file):
            raise ValueError(
                "NILUFLIX_GATEWAY_TLS=self-signed makes its own certificate: unset tls_cert_file"
            )
        if self.tls is Tls.OFF and (self.tls_cert_file or self.tls_key_file):
            self.tls = Tls.FILES  # a certificate given is a certificate meant to be used
        return self
