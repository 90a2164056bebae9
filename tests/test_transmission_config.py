"""A transmission-daemon NiluFlix starts keeps to loopback: what the running daemon reports and binds."""

import json
import os
import socket
import stat
from pathlib import Path

import httpx

from niluflix.testing.torrent_daemons import TorrentDaemon, transmission_daemon
from niluflix.transmission_config import loopback_settings, write_settings

LOOPBACK = {"127.0.0.1", "::1"}
UNSPECIFIED = {"0.0.0.0", "::"}


def session_get(daemon: TorrentDaemon) -> dict[str, object]:
    auth = (daemon.username, daemon.password) if daemon.password else None
    body = {"method": "session-get"}
    with httpx.Client(auth=auth, timeout=5) as http:
        r = http.post(daemon.url, json=body)
        if r.status_code == 409:  # Transmission's CSRF handshake: retry with the session id it hands out
            r = http.post(
                daemon.url,
                json=body,
                headers={"X-Transmission-Session-Id": r.headers["X-Transmission-Session-Id"]},
            )
        r.raise_for_status()
        return r.json()["arguments"]


def _address(hex_address: str) -> tuple[str, int]:
    host, port = hex_address.split(":")
    raw = bytes.fromhex(host)
    # /proc/net prints each 32-bit word of the address in host (little-endian) order.
    packed = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    family = socket.AF_INET if len(packed) == 4 else socket.AF_INET6
    return socket.inet_ntop(family, packed), int(port, 16)


def sockets_of(pid: int) -> list[tuple[str, tuple[str, int], tuple[str, int]]]:
    """(protocol, local address, remote address) of every TCP and UDP socket the process holds."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        table = Path(f"/proc/net/{proto}")
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                found.append((proto, _address(fields[1]), _address(fields[2])))
    return found


def test_the_daemon_finds_no_peers_by_itself_and_binds_loopback_only(tmp_path: Path) -> None:
    with transmission_daemon(tmp_path) as daemon:
        session = session_get(daemon)
        switches = ("dht-enabled", "lpd-enabled", "pex-enabled", "port-forwarding-enabled", "utp-enabled")
        assert {k: session[k] for k in switches} == dict.fromkeys(switches, False)
        assert session["peer-port"] == daemon.peer_port
        assert session["download-dir"] == str(daemon.download_dir)

        held = sockets_of(daemon.pid)
        assert ("tcp", ("127.0.0.1", daemon.peer_port)) in {(p, local) for p, local, _ in held}
        outside = [s for s in held if s[1][0] not in LOOPBACK or s[2][0] not in LOOPBACK | UNSPECIFIED]
        assert outside == [], "the daemon must hold no socket beyond loopback"


def test_a_daemon_without_auth_asks_for_no_login(tmp_path: Path) -> None:
    with transmission_daemon(tmp_path, auth=False) as daemon:
        assert daemon.password is None
        assert session_get(daemon)["rpc-version"]


def test_the_settings_win_over_the_saved_ones_and_only_their_owner_reads_them(tmp_path: Path) -> None:
    saved = {"dht-enabled": True, "rpc-port": 9091, "speed-limit-down": 300, "speed-limit-down-enabled": True}
    (tmp_path / "settings.json").write_text(json.dumps(saved))

    write_settings(
        tmp_path,
        loopback_settings(
            rpc_port=41000,
            peer_port=41001,
            download_dir=tmp_path / "downloads",
            incomplete_dir=tmp_path / "incomplete",
            username="niluflix",
            password="s3cret",
        ),
    )

    written = json.loads((tmp_path / "settings.json").read_text())
    assert (written["dht-enabled"], written["rpc-port"]) == (False, 41000)
    # A preference NiluFlix does not set, such as a speed limit, stays as it was.
    assert (written["speed-limit-down"], written["speed-limit-down-enabled"]) == (300, True)
    assert written["rpc-authentication-required"] is True
    # The file holds the RPC password in clear until Transmission hashes it.
    assert stat.S_IMODE((tmp_path / "settings.json").stat().st_mode) == 0o600
