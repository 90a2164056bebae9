"""A loopback BitTorrent swarm: an HTTP tracker and a libtorrent seeder of generated release files.

The offline demo, the end-to-end tests and the torrent client tests download from it exactly as from
the internet: a magnet or a .torrent naming a tracker, peers found through that tracker, the pieces
over the peer wire protocol. Everything listens on 127.0.0.1, unless given a host: inside a container stack
the demo listens on every interface of its container and names itself by its service name in every link.

Transmission never dials a peer on 127.0.0.0/8, so the seeder dials the leechers instead: the tracker
tells the seeder about every leecher that announces (it is dialled at once) and the seeder also
re-announces every few seconds, so it learns of leechers from the tracker's peer lists as any peer would.

    with Swarm() as swarm:
        release = swarm.seed("Sintel.2010.1080p.BluRay.x264-NILU", size=20 * MiB, sample_size=MiB, nfo=True)
        client.add(release.magnet)
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, quote, urlsplit

import libtorrent as lt

from niluflix import libtorrent_config

log = logging.getLogger(__name__)

MiB = 1024 * 1024

ANNOUNCE_INTERVAL = 5  # seconds; leechers come back often, so a late seeder is found quickly
PEER_TTL = 60.0  # a peer that stopped announcing is forgotten after this long
REANNOUNCE_EVERY = 2.0

# The seeder's own additions to NiluFlix's libtorrent settings: it re-announces every few seconds and
# dials with plain handshakes (nothing to hide on loopback, and every client accepts them).
_SEEDER_SETTINGS: dict[str, object] = {
    "min_announce_interval": 1,
    "out_enc_policy": int(lt.enc_policy.disabled),
    "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
}


@dataclass(frozen=True)
class SeededFile:
    path: str  # relative to the download directory, starting with the torrent's name
    size: int
    source: Path  # the seeder's copy, to compare a download against


@dataclass(frozen=True)
class SeededTorrent:
    name: str
    info_hash: str  # lower-case hex v1
    magnet: str
    torrent: bytes
    size: int
    files: list[SeededFile]
    tracker_url: str
    seeder_port: int
    source_dir: Path  # the seeder's save path: the folder holding the torrent's top file or folder

    @property
    def video(self) -> SeededFile:
        """The largest file: the movie itself."""
        return max(self.files, key=lambda f: f.size)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        # A client that shuts down mid-announce hangs up on us: normal, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class _Peer:
    ip: str
    port: int
    seed: bool
    expires: float


@dataclass
class Tracker:
    """A BEP 3 HTTP tracker answering with compact peer lists (BEP 23), remembering peers per info hash."""

    port: int = 0
    interval: int = ANNOUNCE_INTERVAL
    host: str = "127.0.0.1"
    public_host: str | None = None  # the name in the announce URL, when peers reach us by another name
    on_announce: Callable[[str, str, int, bool], None] | None = None  # info hash hex, ip, port, is seed
    _peers: dict[bytes, dict[bytes, _Peer]] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _server: ThreadingHTTPServer | None = field(default=None, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    @property
    def announce_url(self) -> str:
        return f"http://{self.public_host or self.host}:{self.port}/announce"

    def start(self) -> None:
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path != "/announce":
                    self.send_error(404)
                    return
                body = tracker.announce(parse_qs(url.query, encoding="latin-1"), self.client_address[0])
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                log.debug("tracker: " + format, *args)

        self._server = _QuietServer((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="swarm-tracker", daemon=True)
        self._thread.start()

    def close(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def peers(self, info_hash: str) -> list[tuple[str, int]]:
        with self._lock:
            return [(p.ip, p.port) for p in self._peers.get(bytes.fromhex(info_hash), {}).values()]

    def announce(self, query: dict[str, list[str]], remote_ip: str) -> bytes:
        def one(key: str) -> str | None:
            values = query.get(key)
            return values[0] if values else None

        raw_hash, peer_id, port = one("info_hash"), one("peer_id"), one("port")
        if raw_hash is None or peer_id is None or port is None:
            return lt.bencode({b"failure reason": b"info_hash, peer_id and port are required"})
        # parse_qs decoded the percent-escapes as latin-1, which maps bytes 0-255 one to one.
        info_hash, pid = raw_hash.encode("latin-1"), peer_id.encode("latin-1")
        if len(info_hash) != 20 or not port.isdigit():
            return lt.bencode({b"failure reason": b"bad info_hash or port"})
        ip = remote_ip  # not the optional "ip" parameter: the seeder must not be steered to dial elsewhere
        seed = one("left") == "0"
        now = time.monotonic()
        with self._lock:
            swarm = self._peers.setdefault(info_hash, {})
            for key in [k for k, p in swarm.items() if p.expires < now]:
                del swarm[key]
            if one("event") == "stopped":
                swarm.pop(pid, None)
                others = []
            else:
                swarm[pid] = _Peer(ip, int(port), seed, now + PEER_TTL)
                others = [p for k, p in swarm.items() if k != pid]
            complete = sum(p.seed for p in swarm.values())
            incomplete = len(swarm) - complete
        if self.on_announce and one("event") != "stopped":
            self.on_announce(info_hash.hex(), ip, int(port), seed)
        compact = b"".join(
            ipaddress.IPv4Address(p.ip).packed + struct.pack(">H", p.port) for p in others if ":" not in p.ip
        )
        return lt.bencode(
            {
                b"interval": self.interval,
                b"min interval": 1,
                b"complete": complete,
                b"incomplete": incomplete,
                b"peers": compact,
            }
        )


class Seeder:
    """A libtorrent session seeding generated files from a work directory, dialling every leecher it hears of."""

    def __init__(
        self,
        work_dir: Path,
        tracker_url: str,
        port: int = 0,
        *,
        host: str = "127.0.0.1",
        public_host: str | None = None,
    ) -> None:
        self.work_dir = work_dir
        self.tracker_url = tracker_url
        self.public_host = public_host or host
        self._session = lt.session(
            {
                **libtorrent_config.session_settings(listen_interface=host, port=port),
                **_SEEDER_SETTINGS,
            }
        )
        self.port = self._session.listen_port()
        self._handles: dict[str, lt.torrent_handle] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="swarm-seeder", daemon=True)
        self._thread.start()

    def create(
        self,
        name: str,
        size: int = 4 * MiB,
        *,
        sample_size: int | None = None,
        nfo: bool = False,
        files: Mapping[str, int] | None = None,
        single_file: bool = False,
        extension: str = "mkv",
    ) -> SeededTorrent:
        """Write fresh random files for a release and make its torrent, without seeding it.

        The default layout is a folder `name/` holding `name.mkv` (plus `Sample/name.sample.mkv` and
        `name.nfo` when asked); `files` gives any other layout, as paths inside that folder (a season
        pack, say); `single_file` makes a torrent of the bare `name.mkv`.
        """
        # Fresh bytes every time: a client that once finished a torrent from a loopback peer refuses
        # that peer for the same info hash later.
        parent = self.work_dir / secrets.token_hex(6)
        if single_file:
            layout = {f"{name}.{extension}": size}
        else:
            inside = files or self._release_layout(name, size, sample_size, extension)
            layout = {f"{name}/{rel}": n for rel, n in inside.items()}
            if nfo:
                layout[f"{name}/{name}.nfo"] = -1
        seeded: list[SeededFile] = []
        for rel, n in layout.items():
            path = parent / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if n < 0:
                path.write_text(f"{name}\nGenerated by NiluFlix for the offline demo.\n")
            else:
                _write_random(path, n)
            seeded.append(SeededFile(rel, path.stat().st_size, path))
        entries = lt.list_files(str(parent / (f"{name}.{extension}" if single_file else name)))
        # v1 only: Transmission 3 cannot read hybrid v1+v2 torrents (their padding files confuse it).
        creator = lt.create_torrent(entries, 0, lt.create_torrent.v1_only)
        creator.add_tracker(self.tracker_url)
        creator.set_creator("NiluFlix demo swarm")
        lt.set_piece_hashes(creator, str(parent))
        data = lt.bencode(creator.generate())
        info = lt.torrent_info(data)
        info_hash = str(info.info_hashes().v1)
        magnet = (
            f"magnet:?xt=urn:btih:{info_hash}&dn={quote(info.name())}"
            f"&tr={quote(self.tracker_url, safe='')}&x.pe={self.public_host}:{self.port}"
        )
        seeded.sort(key=lambda f: f.path)
        return SeededTorrent(
            name=info.name(),
            info_hash=info_hash,
            magnet=magnet,
            torrent=data,
            size=sum(f.size for f in seeded),
            files=seeded,
            tracker_url=self.tracker_url,
            seeder_port=self.port,
            source_dir=parent,
        )

    def seed(self, release: SeededTorrent, *, upload_limit: int = 0) -> None:
        """Seed a release made by `create` (upload_limit in bytes/s, 0 = unlimited)."""
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(release.torrent)
        params.save_path = str(release.source_dir)
        # Not auto-managed: libtorrent's queue would otherwise stop seeding past its active limits.
        params.flags = lt.torrent_flags.seed_mode
        params.upload_limit = upload_limit
        handle = self._session.add_torrent(params)
        with self._lock:
            self._handles[release.info_hash] = handle
        handle.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)

    def set_upload_limit(self, info_hash: str, bytes_per_second: int) -> None:
        self._handle(info_hash).set_upload_limit(bytes_per_second)

    def connect(self, port: int, info_hash: str | None = None, host: str = "127.0.0.1") -> None:
        """Dial a peer for one seeded torrent, or for all of them."""
        with self._lock:
            handles = [self._handles[info_hash]] if info_hash else list(self._handles.values())
        for handle in handles:
            handle.connect_peer((host, port))

    def dial(self, info_hash: str, host: str, port: int) -> None:
        """Dial a leecher of one torrent, if that torrent is seeded here."""
        with self._lock:
            handle = self._handles.get(info_hash)
        if handle is not None:
            handle.connect_peer((host, port))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._session.pause()
        with self._lock:
            for handle in self._handles.values():
                self._session.remove_torrent(handle)
            self._handles.clear()

    def _handle(self, info_hash: str) -> lt.torrent_handle:
        with self._lock:
            return self._handles[info_hash]

    @staticmethod
    def _release_layout(name: str, size: int, sample_size: int | None, extension: str) -> dict[str, int]:
        layout = {f"{name}.{extension}": size}
        if sample_size:
            layout[f"Sample/{name}.sample.{extension}"] = sample_size
        return layout

    def _run(self) -> None:
        last = 0.0
        while not self._stop.is_set():
            self._session.wait_for_alert(250)
            for alert in self._session.pop_alerts():
                if alert.category() & lt.alert.category_t.error_notification:
                    log.debug("seeder: %s", alert.message())
            if time.monotonic() - last >= REANNOUNCE_EVERY:
                last = time.monotonic()
                with self._lock:
                    handles = list(self._handles.values())
                for handle in handles:
                    handle.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)


class Swarm:
    """A tracker and a seeder on 127.0.0.1, started together and stopped together."""

    def __init__(
        self,
        work_dir: Path | None = None,
        *,
        tracker_port: int = 0,
        seeder_port: int = 0,
        host: str = "127.0.0.1",
        public_host: str | None = None,
    ) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if work_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="niluflix-swarm-")
            work_dir = Path(self._tmp.name)
        work_dir.mkdir(parents=True, exist_ok=True)
        self.work_dir = work_dir
        self.tracker = Tracker(
            port=tracker_port, host=host, public_host=public_host, on_announce=self._on_announce
        )
        self.tracker.start()
        try:
            self.seeder = Seeder(
                work_dir, self.tracker.announce_url, seeder_port, host=host, public_host=public_host
            )
        except BaseException:
            self.tracker.close()
            raise

    @property
    def announce_url(self) -> str:
        return self.tracker.announce_url

    def seed(
        self, name: str, size: int = 4 * MiB, *, upload_limit: int = 0, **layout: object
    ) -> SeededTorrent:
        """Generate a release (see `Seeder.create` for the layout options) and seed it."""
        release = self.seeder.create(name, size, **layout)  # type: ignore[arg-type]
        self.seeder.seed(release, upload_limit=upload_limit)
        return release

    def create(self, name: str, size: int = 4 * MiB, **layout: object) -> SeededTorrent:
        """A release nobody seeds: a download of it waits for peers forever."""
        return self.seeder.create(name, size, **layout)  # type: ignore[arg-type]

    def connect(self, port: int, info_hash: str | None = None) -> None:
        self.seeder.connect(port, info_hash)

    def close(self) -> None:
        try:
            self.seeder.close()
        finally:
            self.tracker.close()
            if self._tmp:
                self._tmp.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _on_announce(self, info_hash: str, ip: str, port: int, seed: bool) -> None:
        # Transmission only accepts loopback peers, never dials them: reach out to every leecher.
        if not seed and port != self.seeder.port:
            self.seeder.dial(info_hash, ip, port)


def _write_random(path: Path, size: int) -> None:
    with path.open("wb") as out:
        left = size
        while left:
            chunk = min(left, MiB)
            out.write(os.urandom(chunk))
            left -= chunk
