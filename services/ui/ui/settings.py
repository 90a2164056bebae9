"""The UI's settings: where the gateway is, how to reach it, where to listen; in remote mode, which Supabase
project and TMDB key the remote web UI uses instead of a gateway."""

from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from niluflix import gateway_tls
from niluflix.config import ServiceSettings, service_env

# No NILUFLIX_<FIELD> fallback: NILUFLIX_HOST and NILUFLIX_PORT are the gateway's.
_env = service_env("ui", fallback=False)


def http_url(value: str, name: str = "the URL") -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"{name} must be an http:// or https:// URL, got {value!r}")
    return value.rstrip("/")


class UiSettings(ServiceSettings):
    gateway_url: str = Field(
        "http://127.0.0.1:7979",
        validation_alias=_env("gateway_url", "NILUFLIX_GATEWAY_URL", "GATEWAY_URL"),
        description="Base URL of the NiluFlix gateway's HTTP API",
    )
    api_key: SecretStr | None = Field(
        None,
        validation_alias=_env("api_key", "NILUFLIX_API_KEY"),
        description="Sent as X-Api-Key when the gateway asks for one",
    )
    gateway_ca_file: Path | None = Field(
        None,
        validation_alias=_env("gateway_ca_file"),
        description="The certificate (PEM) an https gateway is verified against; unset: the gateway's "
        "self-signed one in the shared data folder when there is one, else the system's CAs",
    )
    host: str = Field("127.0.0.1", validation_alias=_env("host"))
    port: int = Field(8501, ge=1, le=65535, validation_alias=_env("port"))
    timeout: float = Field(
        10.0,
        gt=0,
        validation_alias=_env("timeout"),
        description="Seconds one gateway call may take before the page says so",
    )

    mode: Literal["home", "remote"] = Field(
        "home",
        validation_alias=_env("mode"),
        description="home: the dashboard of a NiluFlix instance (talks to its gateway); remote: the remote web "
        "UI, which reads and writes only the user's Supabase project",
    )
    supabase_url: str | None = Field(
        None,
        validation_alias=_env("supabase_url"),
        description="Remote mode: the Supabase project's URL; unset, it comes from the link the home shows",
    )
    supabase_anon_key: SecretStr | None = Field(
        None,
        validation_alias=_env("supabase_anon_key"),
        description="Remote mode: the project's publishable (anon) key, never the service-role key",
    )
    tmdb_api_key: SecretStr | None = Field(
        None,
        validation_alias=_env("tmdb_api_key"),
        description="Remote mode: a TMDB v3 API key for searching titles to download; unset, no search",
    )
    tmdb_base_url: str = Field("https://api.themoviedb.org/3", validation_alias=_env("tmdb_base_url"))
    tmdb_image_url: str = Field(
        "https://image.tmdb.org/t/p/w185",
        validation_alias=_env("tmdb_image_url"),
        description="Remote mode: prefix of a poster's `poster_path`",
    )

    @property
    def gateway_verify(self) -> str | bool:
        """What the UI's client verifies an https gateway against (httpx's `verify`)."""
        if self.gateway_ca_file is not None:
            return str(self.gateway_ca_file)
        return gateway_tls.verify_for(self.gateway_url, self.data_dir)

    @field_validator("gateway_url", "tmdb_base_url", "tmdb_image_url")
    @classmethod
    def _http_url(cls, value: str, info: ValidationInfo) -> str:
        return http_url(value, info.field_name or "the URL")

    @field_validator("supabase_url")
    @classmethod
    def _project_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return http_url(value.strip(), "supabase_url")

    @field_validator("api_key", "supabase_anon_key", "tmdb_api_key")
    @classmethod
    def _blank_is_none(cls, value: SecretStr | None) -> SecretStr | None:
        # Compose files often pass `NILUFLIX_API_KEY=` when no key is configured.
        return value if value is not None and value.get_secret_value().strip() else None
