"""How `python -m ui` starts Streamlit, and which settings it accepts."""

import pytest
from pydantic import ValidationError
from ui.main import APP, streamlit_command
from ui.settings import UiSettings


def test_streamlit_runs_headless_on_the_configured_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NILUFLIX_UI_HOST", "127.0.0.2")
    monkeypatch.setenv("NILUFLIX_UI_PORT", "8600")
    command = streamlit_command(UiSettings())

    assert command[1:5] == ["-m", "streamlit", "run", str(APP)]
    assert APP.is_file()
    for option in (
        "--server.headless=true",
        "--server.address=127.0.0.2",
        "--server.port=8600",
        "--browser.gatherUsageStats=false",
        "--theme.base=dark",
    ):
        assert option in command


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NILUFLIX_GATEWAY_URL", "http://10.0.0.5:7979/")
    monkeypatch.setenv("NILUFLIX_API_KEY", "nf_key")
    settings = UiSettings()
    assert settings.gateway_url == "http://10.0.0.5:7979"
    assert settings.api_key.get_secret_value() == "nf_key"
    assert "nf_key" not in repr(settings)

    monkeypatch.setenv("NILUFLIX_API_KEY", "")
    assert UiSettings().api_key is None


@pytest.mark.parametrize("url", ["127.0.0.1:7979", "ftp://127.0.0.1", ""])
def test_a_bad_gateway_url_fails_at_start(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NILUFLIX_GATEWAY_URL", url)
    with pytest.raises(ValidationError, match="gateway_url"):
        UiSettings()
