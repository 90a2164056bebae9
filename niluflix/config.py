"""Process settings every service shares: where NATS is, where data lives, how loud to log.

Each service subclasses `ServiceSettings` in its own `settings.py` and builds it inside `create_app`,
never at import, so tests pass their own.
"""

from collections.abc import Callable
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from niluflix import nats_auth
from niluflix.contracts.settings import SharedSettings


def default_data_dir() -> Path:
    return Path(user_data_dir("NiluFlix", appauthor=False))


def service_env(service: str, *, fallback: bool = True) -> Callable[..., AliasChoices]:
    """The environment variables a service's own settings are read from, for `Field(validation_alias=...)`.

    `_env = service_env("downloader")`, then `_env("tick_seconds", *also)` reads, the first one set winning
    (names are not case-sensitive):

    - `NILUFLIX_DOWNLOADER_TICK_SECONDS`
    - the names in `also`, in their order (`DATABASE_URL`, which Compose sets once for every service)
    - `NILUFLIX_TICK_SECONDS`, unless `fallback` is off (the UI's `host` and `port` must not follow the
      gateway's `NILUFLIX_PORT`)

    A bare field name (`TICK_SECONDS`, `REPLICA_ID`) is never read: such generic names are set on machines for
    other programs. The settings take their field names as arguments (`populate_by_name`), so tests still can.
    The service's prefix is not the settings' `env_prefix`: the inherited fields keep the same names in every
    service (`NILUFLIX_DATA_DIR`, `NILUFLIX_NATS_URL`), so each own field names its variables.
    """
    prefix = f"NILUFLIX_{service.upper()}_"

    def names(field: str, *also: str) -> AliasChoices:
        choices = [prefix + field.upper(), *also]
        if fallback:
            choices.append(f"NILUFLIX_{field.upper()}")
        return AliasChoices(*choices)

    return names


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NILUFLIX_", extra="ignore")

    nats_url: str = Field(
        "nats://127.0.0.1:4222", validation_alias=AliasChoices("NILUFLIX_NATS_URL", "NATS_URL")
    )
    # The NATS user and password (`niluflix up` and Compose's init make the file): a path in the environment,
    # so the password never shows in a process listing. None: a NATS without authentication, or a URL
    # carrying its own `user:password@`.
    nats_credentials_file: Path | None = Field(None, validation_alias=AliasChoices(nats_auth.ENV_VAR))
    data_dir: Path = Field(default_factory=default_data_dir)
    log_level: str = "INFO"
    request_timeout: float = Field(15.0, gt=0, description="Seconds a NATS request waits for its reply")

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("nats_credentials_file", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        return None if value == "" else value  # Compose writes an unset variable as ""

    def nats_credentials(self) -> nats_auth.NatsCredentials | None:
        """The NATS credentials from `nats_credentials_file`, read now; `NatsCredentialsError` names a bad file."""
        if self.nats_credentials_file is None:
            return None
        return nats_auth.read(self.nats_credentials_file)

    def database_default(self, service: str) -> str:
        return f"sqlite:///{self.data_dir / f'{service}.db'}"


class SharedSettingsFromEnv(SharedSettings, BaseSettings):
    """The shared settings' starting values, from `NILUFLIX_*` variables, used until someone saves settings.

    `NILUFLIX_INDEXERS` and `NILUFLIX_TORRENT_CLIENT` take JSON; nested fields also work one by one,
    e.g. `NILUFLIX_TORRENT_CLIENT__KIND=transmission`.
    """

    model_config = SettingsConfigDict(env_prefix="NILUFLIX_", env_nested_delimiter="__", extra="ignore")
