"""Auto-configuration: each branch, against real daemons on the probed ports (or nothing there)."""

import json
import shutil
from pathlib import Path

import pytest
from downloader.clients.autoconfig import ChosenKind, choose_client
from downloader.clients.base import TorrentClientError, TorrentSource, TorrentState
from pydantic import SecretStr

from niluflix.contracts.settings import TorrentClientKind, TorrentClientSettings
from niluflix.demo.swarm import MiB, Swarm
from niluflix.testing.net import free_port
from niluflix.testing.torrent_daemons import TorrentDaemon, transmission_daemon

AUTO = TorrentClientSettings()


def nowhere() -> str:
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def no_binaries(tmp_path: Path) -> str:
    """A PATH with no transmission-daemon on it."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    return str(empty)


async def test_configured_transmission_is_used(transmission: TorrentDaemon, tmp_path: Path):
    settings = TorrentClientSettings(
        kind=TorrentClientKind.TRANSMISSION,
        url=transmission.url,
        username=transmission.username,
        password=SecretStr(transmission.password or ""),
    )

    choice = await choose_client(settings, data_dir=tmp_path)
    try:
        assert choice.kind is ChosenKind.TRANSMISSION
        assert choice.reason == f"Using Transmission at {transmission.url}, as configured."
        assert isinstance(await choice.client.list_all(), list)
    finally:
        await choice.client.close()


async def test_configured_client_that_does_not_answer_is_kept_and_explained(tmp_path: Path):
    url = nowhere()
    settings = TorrentClientSettings(kind=TorrentClientKind.QBITTORRENT, url=url)

    choice = await choose_client(settings, data_dir=tmp_path)

    assert choice.kind is ChosenKind.QBITTORRENT
    assert choice.reason.startswith(f"Using qBittorrent at {url}, as configured, but it is not usable yet:")
    with pytest.raises(TorrentClientError, match="does not answer"):
        await choice.client.list_all()
    await choice.client.close()


async def test_configured_embedded_engine(tmp_path: Path):
    choice = await choose_client(TorrentClientSettings(kind=TorrentClientKind.EMBEDDED), data_dir=tmp_path)
    try:
        assert choice.kind is ChosenKind.EMBEDDED
        assert choice.reason == "Using the built-in torrent engine, as configured."
        assert await choice.client.list_all() == []
    finally:
        await choice.client.close()
    assert (tmp_path / "embedded").is_dir()


async def test_auto_finds_transmission_that_needs_no_password(tmp_path: Path, no_binaries: str):
    with transmission_daemon(tmp_path / "tr", auth=False) as daemon:
        choice = await choose_client(
            AUTO,
            data_dir=tmp_path,
            transmission_url=daemon.url,
            qbittorrent_url=nowhere(),
            search_path=no_binaries,
        )
        try:
            assert choice.kind is ChosenKind.TRANSMISSION
            port = daemon.url.split(":")[2].split("/")[0]
            assert (
                choice.reason
                == f"No torrent client is configured; found Transmission answering on 127.0.0.1:{port}."
            )
            assert await choice.client.list_all() == []
        finally:
            await choice.client.close()


async def test_auto_skips_a_client_that_refuses_the_saved_login(
    transmission: TorrentDaemon, qbittorrent: TorrentDaemon, tmp_path: Path, no_binaries: str
):
    # The saved login is qBittorrent's: Transmission refuses it, qBittorrent takes it.
    settings = TorrentClientSettings(
        username=qbittorrent.username, password=SecretStr(qbittorrent.password or "")
    )

    choice = await choose_client(
        settings,
        data_dir=tmp_path,
        transmission_url=transmission.url,
        qbittorrent_url=qbittorrent.url,
        search_path=no_binaries,
    )
    try:
        assert choice.kind is ChosenKind.QBITTORRENT
        assert "Transmission on 127.0.0.1:" in choice.reason
        assert "refused the saved username and password, so it was skipped" in choice.reason
        assert choice.reason.endswith(
            f"found qBittorrent answering on {qbittorrent.url.removeprefix('http://')}."
        )
        assert isinstance(await choice.client.list_all(), list)
    finally:
        await choice.client.close()


async def test_auto_without_a_password_falls_back_to_the_embedded_engine(
    transmission: TorrentDaemon, qbittorrent: TorrentDaemon, tmp_path: Path, no_binaries: str
):
    choice = await choose_client(
        AUTO,
        data_dir=tmp_path,
        transmission_url=transmission.url,
        qbittorrent_url=qbittorrent.url,
        search_path=no_binaries,
    )
    try:
        assert choice.kind is ChosenKind.EMBEDDED
        assert choice.reason == (
            f"No torrent client is configured; Transmission on {transmission.url.split('/')[2]} asks for a "
            "password NiluFlix does not have, so it was skipped; "
            f"qBittorrent on {qbittorrent.url.split('/')[2]} asks for a password NiluFlix does not have, "
            "so it was skipped; no transmission-daemon is installed; using the built-in torrent engine."
        )
        assert await choice.client.list_all() == []
    finally:
        await choice.client.close()


async def test_auto_runs_its_own_transmission_daemon_and_reuses_it(
    tmp_path: Path, swarm: Swarm, wait_for_torrent
):
    binary = shutil.which("transmission-daemon")
    assert binary, "transmission-daemon must be installed for this test"
    probes = {
        "transmission_url": nowhere(),
        "qbittorrent_url": nowhere(),
        "search_path": str(Path(binary).parent),
    }
    release = swarm.create("Caminandes.Llamigos.2016.1080p.WEB-DL.x264-NILU", MiB)

    first = await choose_client(AUTO, data_dir=tmp_path, **probes)
    try:
        assert first.kind is ChosenKind.MANAGED_TRANSMISSION
        assert "nothing answers as Transmission" in first.reason
        assert f"started NiluFlix's own transmission-daemon ({binary})" in first.reason
        info_hash = await first.client.add(TorrentSource(torrent=release.torrent), tmp_path / "movies")
        await wait_for_torrent(first.client, info_hash, lambda s: s.state is TorrentState.STALLED)
        pid = first.client.pid
    finally:
        await first.client.close()
    assert not Path(f"/proc/{pid}").exists(), "the daemon must stop with the client"
    settings = json.loads((tmp_path / "transmission" / "settings.json").read_text())
    assert settings["rpc-bind-address"] == settings["bind-address-ipv4"] == "127.0.0.1"
    assert not any(settings[k] for k in ("dht-enabled", "lpd-enabled", "pex-enabled", "utp-enabled"))
    assert settings["rpc-authentication-required"] is True

    second = await choose_client(AUTO, data_dir=tmp_path, **probes)
    try:
        assert second.kind is ChosenKind.MANAGED_TRANSMISSION
        status = await wait_for_torrent(second.client, info_hash, lambda s: s.state is TorrentState.STALLED)
        assert status.name == release.name
        assert status.save_path == str(tmp_path / "movies")
    finally:
        await second.client.close()
