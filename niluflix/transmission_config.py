"""The settings.json of a transmission-daemon NiluFlix starts itself: the downloader's and the tests'.

Transmission's defaults turn on DHT, LSD, PEX and UPnP/NAT-PMP and listen on every interface, so the file is
written before every start: RPC and peers on 127.0.0.1; DHT, LSD, PEX, uTP and port forwarding off.
"""

import json
import os
import tempfile
from pathlib import Path

SETTINGS_FILE = "settings.json"


def loopback_settings(
    *,
    rpc_port: int,
    peer_port: int,
    download_dir: Path,
    incomplete_dir: Path,
    username: str | None,
    password: str | None,
) -> dict[str, object]:
    """Settings that keep the daemon on loopback and to itself; without a password, RPC asks for no login."""
    return {
        "rpc-enabled": True,
        "rpc-bind-address": "127.0.0.1",
        "rpc-port": rpc_port,
        "rpc-whitelist": "127.0.0.1",
        "rpc-whitelist-enabled": True,
        "rpc-authentication-required": password is not None,
        "rpc-username": username or "",
        "rpc-password": password or "",  # Transmission replaces it with its hash when it saves
        "bind-address-ipv4": "127.0.0.1",
        "bind-address-ipv6": "::1",
        "peer-port": peer_port,
        "peer-port-random-on-start": False,
        "port-forwarding-enabled": False,
        "dht-enabled": False,
        "lpd-enabled": False,
        "pex-enabled": False,
        "utp-enabled": False,
        "download-dir": str(download_dir),
        "incomplete-dir": str(incomplete_dir),
        "incomplete-dir-enabled": True,
        "ratio-limit-enabled": False,
        "idle-seeding-limit-enabled": False,
        # NiluFlix queues downloads itself; Transmission's own queue would hide them as "queued".
        "download-queue-enabled": False,
        "seed-queue-enabled": False,
        "queue-stalled-enabled": False,
        "blocklist-enabled": False,
        "start-added-torrents": True,
        "watch-dir-enabled": False,
        "script-torrent-done-enabled": False,
    }


def read_settings(config_dir: Path) -> dict[str, object]:
    """The daemon's settings.json as last saved, or nothing when there is none or it is unreadable."""
    try:
        data = json.loads((config_dir / SETTINGS_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_settings(config_dir: Path, settings: dict[str, object]) -> None:
    """Write `settings` over the saved ones; the preferences NiluFlix does not set stay as they were."""
    data = {**read_settings(config_dir), **settings}
    fd, tmp = tempfile.mkstemp(dir=config_dir, prefix=".settings.", suffix=".tmp")
    with os.fdopen(fd, "w") as out:
        json.dump(data, out, indent=4, sort_keys=True)
    os.chmod(tmp, 0o600)  # holds the RPC password until Transmission hashes it
    os.replace(tmp, config_dir / SETTINGS_FILE)
