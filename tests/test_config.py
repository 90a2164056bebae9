"""Which environment variables reach a service's settings, and which one wins when several are set."""

from collections.abc import Callable
from pathlib import Path

import pytest
from catalog.settings import CatalogSettings
from downloader.settings import DownloaderSettings
from gateway.settings import GatewaySettings
from organizer.settings import OrganizerSettings
from pydantic_settings import BaseSettings
from search.settings import SearchSettings
from ui.settings import UiSettings

# The settings, how to read the field, then every variable it answers to, the winner first, each with a value
# and what the field then holds.
Case = tuple[type[BaseSettings], Callable[[BaseSettings], object], list[tuple[str, str, object]]]
PRECEDENCE: list[Case] = [
    (
        SearchSettings,
        lambda s: s.indexer_timeout,
        [("NILUFLIX_SEARCH_INDEXER_TIMEOUT", "7", 7.0), ("NILUFLIX_INDEXER_TIMEOUT", "8", 8.0)],
    ),
    (
        CatalogSettings,
        lambda s: s.database_url,
        [
            ("NILUFLIX_CATALOG_DATABASE_URL", "sqlite:////srv/catalog.db", "sqlite:////srv/catalog.db"),
            ("DATABASE_URL", "postgresql://compose@postgres/nf", "postgresql://compose@postgres/nf"),
            ("NILUFLIX_DATABASE_URL", "sqlite:////srv/all.db", "sqlite:////srv/all.db"),
        ],
    ),
    (
        GatewaySettings,
        lambda s: s.port,
        [("NILUFLIX_GATEWAY_PORT", "8123", 8123), ("NILUFLIX_PORT", "8124", 8124)],
    ),
    # A bare field name (`TICK_SECONDS`) is nobody's: it never reaches the settings (see the last test).
    (
        DownloaderSettings,
        lambda s: s.tick_seconds,
        [
            ("NILUFLIX_DOWNLOADER_TICK_SECONDS", "3.5", 3.5),
            ("NILUFLIX_TICK_SECONDS", "4.5", 4.5),
        ],
    ),
    (
        DownloaderSettings,
        lambda s: s.database_url,
        [
            ("NILUFLIX_DOWNLOADER_DATABASE_URL", "sqlite:////srv/dl.db", "sqlite:////srv/dl.db"),
            ("DATABASE_URL", "postgresql://compose@postgres/nf", "postgresql://compose@postgres/nf"),
            ("NILUFLIX_DATABASE_URL", "sqlite:////srv/all.db", "sqlite:////srv/all.db"),
        ],
    ),
    (
        DownloaderSettings,
        lambda s: s.downloads_dir,
        [
            ("NILUFLIX_DOWNLOADER_DOWNLOADS_DIR", "/srv/dl", Path("/srv/dl")),
            ("NILUFLIX_DOWNLOADS_DIR", "/data/torrents", Path("/data/torrents")),
        ],
    ),
    (
        OrganizerSettings,
        lambda s: s.ack_wait,
        [
            ("NILUFLIX_ORGANIZER_ACK_WAIT", "12", 12.0),
            ("NILUFLIX_ACK_WAIT", "13", 13.0),
        ],
    ),
    # The downloader's folder, as the organizer reads it: in the downloader's own order.
    (
        OrganizerSettings,
        lambda s: s.download_dirs,
        [
            ("NILUFLIX_DOWNLOADER_DOWNLOADS_DIR", "/srv/dl", [Path("/srv/dl")]),
            ("NILUFLIX_DOWNLOADS_DIR", "/data/torrents", [Path("/data/torrents")]),
        ],
    ),
    (
        UiSettings,
        lambda s: s.gateway_url,
        [
            ("NILUFLIX_UI_GATEWAY_URL", "http://ui-own:7979", "http://ui-own:7979"),
            ("NILUFLIX_GATEWAY_URL", "http://shared:7979", "http://shared:7979"),
            ("GATEWAY_URL", "http://plain:7979", "http://plain:7979"),
        ],
    ),
    (
        UiSettings,
        lambda s: s.api_key.get_secret_value(),
        [("NILUFLIX_UI_API_KEY", "ui-key", "ui-key"), ("NILUFLIX_API_KEY", "install-key", "install-key")],
    ),
]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NILUFLIX_DATA_DIR", str(tmp_path))
    for _, _, names in PRECEDENCE:
        for name, _, _ in names:
            monkeypatch.delenv(name, raising=False)
    for name in ("NILUFLIX_HOST", "NILUFLIX_PORT", "NILUFLIX_UI_HOST", "NILUFLIX_UI_PORT"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("settings", "read", "names"),
    PRECEDENCE,
    ids=[f"{settings.__name__}-{names[0][0]}" for settings, _, names in PRECEDENCE],
)
def test_every_name_reaches_the_settings_and_the_first_set_wins(
    settings: type[BaseSettings],
    read: Callable[[BaseSettings], object],
    names: list[tuple[str, str, object]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value, _ in names:
        monkeypatch.setenv(name, value)
    # Unset them from the winner down: each time the next one takes over.
    for name, _, expected in names:
        assert read(settings()) == expected, f"{name} should win over the ones after it"
        monkeypatch.delenv(name)


def test_the_gateway_address_does_not_move_the_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NILUFLIX_HOST", "0.0.0.0")
    monkeypatch.setenv("NILUFLIX_PORT", "8124")
    assert (GatewaySettings().host, GatewaySettings().port) == ("0.0.0.0", 8124)
    assert (UiSettings().host, UiSettings().port) == ("127.0.0.1", 8501)

    monkeypatch.setenv("NILUFLIX_UI_HOST", "127.0.0.2")
    monkeypatch.setenv("NILUFLIX_UI_PORT", "8600")
    assert (UiSettings().host, UiSettings().port) == ("127.0.0.2", 8600)


@pytest.mark.parametrize(
    ("settings", "name", "read", "default"),
    [
        (DownloaderSettings, "TICK_SECONDS", lambda s: s.tick_seconds, 1.0),
        (DownloaderSettings, "DOWNLOADS_DIR", lambda s: s.downloads_dir.name, "downloads"),
        (OrganizerSettings, "ACK_WAIT", lambda s: s.ack_wait, OrganizerSettings().ack_wait),
    ],
)
def test_a_bare_name_set_for_some_other_program_is_not_read(
    settings: type[BaseSettings],
    name: str,
    read: Callable[[BaseSettings], object],
    default: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(name, "42")
    assert read(settings()) == default
