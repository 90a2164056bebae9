"""The gateway's process settings come from the environment, with the documented names and defaults."""

from pathlib import Path

import pytest
from gateway.settings import GatewaySettings


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NILUFLIX_DATA_DIR", str(tmp_path))
    settings = GatewaySettings()
    assert (settings.host, settings.port) == ("127.0.0.1", 7979)
    assert settings.database_url == f"sqlite:///{tmp_path / 'gateway.db'}"
    assert settings.database_schema == "gateway"
    assert settings.api_key is None


def test_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NILUFLIX_GATEWAY_HOST", "0.0.0.0")
    monkeypatch.setenv("NILUFLIX_GATEWAY_PORT", "8123")
    monkeypatch.setenv("DATABASE_URL", "postgresql://niluflix@postgres/niluflix")
    monkeypatch.setenv("NILUFLIX_API_KEY", "from-env")
    monkeypatch.setenv("NATS_URL", "nats://nats:4222")
    settings = GatewaySettings()
    assert (settings.host, settings.port) == ("0.0.0.0", 8123)
    assert settings.database_url == "postgresql://niluflix@postgres/niluflix"
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "from-env"
    assert settings.nats_url == "nats://nats:4222"
    assert "from-env" not in repr(settings)

    monkeypatch.setenv("NILUFLIX_GATEWAY_DATABASE_URL", "sqlite:////var/lib/niluflix/gw.db")
    assert GatewaySettings().database_url == "sqlite:////var/lib/niluflix/gw.db"


def test_a_bad_port_fails_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NILUFLIX_GATEWAY_PORT", "99999")
    with pytest.raises(ValueError, match="NILUFLIX_GATEWAY_PORT"):
        GatewaySettings()
