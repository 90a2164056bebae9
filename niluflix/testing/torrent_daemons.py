"""Real torrent daemons for tests: transmission-daemon and qbittorrent-nox on free loopback ports.

Each is configured before its first start (their defaults turn on DHT, LSD, UPnP and listen on every
interface), lives in its own directory, and is stopped by its PID. A missing binary raises: a skipped
client test would hide a broken machine.

    with transmission_daemon(tmp_path) as daemon:
        client = TransmissionClient(daemon.url, daemon.username, daemon.password)
"""

import base64
import hashlib
import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from niluflix.testing.net import free_port
from niluflix.transmission_config import loopback_settings, write_settings


@dataclass(frozen=True)
class TorrentDaemon:
    kind: str  # "transmission" or "qbittorrent"
    url: str
    username: str | None
    password: str | None
    peer_port: int
    download_dir: Path
    config_dir: Path
    pid: int


def _binary(name: str, package: str) -> str:
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found on PATH: apt-get install {package}")
    return found


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _wait_until_answering(
    proc: subprocess.Popen[bytes], url: str, log_file: Path, timeout: float = 20.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} at start:\n{log}")
        try:
            httpx.get(url, timeout=0.5)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    _stop(proc)
    raise RuntimeError(f"{proc.args[0]} did not answer on {url} in {timeout:g} s")


@contextmanager
def transmission_daemon(
    base_dir: Path, *, auth: bool = True, rpc_port: int | None = None, peer_port: int | None = None
) -> Iterator[TorrentDaemon]:
    """A transmission-daemon under base_dir; with `auth`, it wants a random password."""
    binary = _binary("transmission-daemon", "transmission-daemon")
    config_dir, download_dir = base_dir / "config", base_dir / "downloads"
    for d in (config_dir, download_dir, base_dir / "incomplete"):
        d.mkdir(parents=True, exist_ok=True)
    rpc_port, peer_port = rpc_port or free_port(), peer_port or free_port()
    username, password = ("niluflix", secrets.token_urlsafe(16)) if auth else (None, None)
    settings = loopback_settings(
        rpc_port=rpc_port,
        peer_port=peer_port,
        download_dir=download_dir,
        incomplete_dir=base_dir / "incomplete",
        username=username,
        password=password,
    )
    write_settings(config_dir, settings)
    log_file = base_dir / "transmission.log"
    proc = subprocess.Popen(
        [binary, "-f", "-g", str(config_dir), "--logfile", str(log_file)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{rpc_port}/transmission/rpc"
        _wait_until_answering(proc, url, log_file)
        yield TorrentDaemon(
            "transmission", url, username, password, peer_port, download_dir, config_dir, proc.pid
        )
    finally:
        _stop(proc)


def qbittorrent_password_hash(password: str) -> str:
    """The WebUI\\Password_PBKDF2 value qBittorrent 4.2+ checks a login against."""
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100_000)
    return f"@ByteArray({base64.b64encode(salt).decode()}:{base64.b64encode(key).decode()})"


@contextmanager
def qbittorrent_daemon(
    base_dir: Path, *, webui_port: int | None = None, peer_port: int | None = None
) -> Iterator[TorrentDaemon]:
    """A qbittorrent-nox under base_dir, WebUI login niluflix / a random password."""
    binary = _binary("qbittorrent-nox", "qbittorrent-nox")
    profile, download_dir = base_dir / "profile", base_dir / "downloads"
    config = profile / "qBittorrent" / "config"
    for d in (config, download_dir):
        d.mkdir(parents=True, exist_ok=True)
    webui_port, peer_port = webui_port or free_port(), peer_port or free_port()
    username, password = "niluflix", secrets.token_urlsafe(16)
    log_dir = base_dir / "logs"
    (config / "qBittorrent.conf").write_text(
        "\n".join(
            [
                "[LegalNotice]",
                "Accepted=true",
                "",
                "[Application]",
                "FileLogger\\Enabled=true",
                f"FileLogger\\Path={log_dir}",
                "",
                "[Preferences]",
                "WebUI\\Address=127.0.0.1",
                f"WebUI\\Port={webui_port}",
                "WebUI\\UPnP=false",
                f"WebUI\\Username={username}",
                f'WebUI\\Password_PBKDF2="{qbittorrent_password_hash(password)}"',
                "WebUI\\LocalHostAuth=true",
                "WebUI\\HostHeaderValidation=false",
                "Connection\\ResolvePeerCountries=false",
                f"Downloads\\SavePath={download_dir}",
                "Downloads\\TempPathEnabled=false",
                "General\\Locale=en",
                "",
                "[Network]",
                "PortForwardingEnabled=false",
                "",
                "[BitTorrent]",
                f"Session\\Port={peer_port}",
                "Session\\Interface=lo",
                "Session\\InterfaceName=lo",
                "Session\\InterfaceAddress=127.0.0.1",
                "Session\\DHTEnabled=false",
                "Session\\LSDEnabled=false",
                "Session\\PeXEnabled=false",
                "Session\\BTProtocol=TCP",
                "Session\\MultiConnectionsPerIp=true",
                "Session\\QueueingSystemEnabled=false",
                "Session\\AnonymousModeEnabled=false",
                f"Session\\DefaultSavePath={download_dir}",
                "Session\\TempPathEnabled=false",
                "",
            ]
        )
    )
    proc = subprocess.Popen(
        [binary, f"--profile={profile}"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{webui_port}"
        _wait_until_answering(proc, f"{url}/api/v2/app/version", log_dir / "qbittorrent.log")
        yield TorrentDaemon(
            "qbittorrent", url, username, password, peer_port, download_dir, profile, proc.pid
        )
    finally:
        _stop(proc)
