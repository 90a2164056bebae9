"""The downloader's process settings, as Compose and the supervisor pass them: environment variables."""

from pathlib import Path

import pytest
from downloader.settings import DownloaderSettings
from pydantic import ValidationError

from niluflix.contracts.common import MediaType


def test_defaults_live_under_the_data_dir(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("NILUFLIX_DATA_DIR", str(tmp_path))
    for name in (
        "DATABASE_URL",
        "NILUFLIX_DOWNLOADER_DATABASE_URL",
        "NILUFLIX_DOWNLOADS_DIR",
        "NILUFLIX_DOWNLOADER_DOWNLOADS_DIR",
    ):
        monkeypatch.delenv(name, raising=False)

    settings = DownloaderSettings()

    assert settings.database_url == f"sqlite:///{tmp_path / 'downloader.db'}"
    assert settings.database_schema == "downloader"
    assert settings.save_dir(MediaType.MOVIE) == tmp_path / "downloads" / "movies"
    assert settings.save_dir(MediaType.TV) == tmp_path / "downloads" / "tv"
    assert (settings.tick_seconds, settings.stall_timeout, settings.max_attempts) == (1.0, 600.0, 3)


def test_compose_style_variables_are_read(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("NILUFLIX_DATA_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("DATABASE_URL", "postgresql://niluflix@postgres:5432/niluflix")
    monkeypatch.setenv("NILUFLIX_DOWNLOADS_DIR", "/data/torrents")
    monkeypatch.setenv("NILUFLIX_DOWNLOADER_STALL_TIMEOUT", "120")
    monkeypatch.setenv("NILUFLIX_DOWNLOADER_TICK_SECONDS", "2.5")

    settings = DownloaderSettings()

    assert settings.database_url == "postgresql://niluflix@postgres:5432/niluflix"
    assert settings.save_dir(MediaType.MOVIE) == Path("/data/torrents/movies")
    assert (settings.stall_timeout, settings.tick_seconds) == (120.0, 2.5)


def test_a_bad_value_fails_at_start(monkeypatch):
    monkeypatch.setenv("NILUFLIX_DOWNLOADER_TICK_SECONDS", "0")
    with pytest.raises(ValidationError, match="NILUFLIX_DOWNLOADER_TICK_SECONDS"):  # the name the user set
        DownloaderSettings()
