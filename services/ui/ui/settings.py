"""The UI's settings: where the gateway is, how to reach it, where to listen."""

from pathlib import Path
from urllib.parse import urlparse

from pydantic import Field, SecretStr, field_validator

from niluflix import gateway_tls
from niluflix.config import ServiceSettings, service_env

# No NILUFLIX_<FIELD> fallback: NILUFLIX_HOST and NILUFLIX_PORT are the gateway's.
_env = service_env("ui", fallback=False)


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

    @property
    def gateway_verify(self) -> str | bool:
        """What the UI's client verifies an https gateway against (httpx's `verify`)."""
        if self.gateway_ca_file is not None:
            return str(self.gateway_ca_file)
        return gateway_tls.verify_for(self.gateway_url, self.data_dir)

    @field_validator("gateway_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"gateway_url must be an http:// or https:// URL, got {value!r}")
        return value.rstrip("/")

    @field_validator("api_key")
    @classmethod
    def _blank_is_none(cls, value: SecretStr | None) -> SecretStr | None:
        # Compose files often pass `NILUFLIX_API_KEY=` when no key is configured.
        return value if value is not None and value.get_secret_value().strip() else None
