"""A transmission-daemon that NiluFlix runs itself, when the user has no torrent client of their own.

Its configuration lives in a directory under the data directory and is written before every start
(`niluflix.transmission_config`: loopback only), with a fresh random RPC password each start. Its torrents
and resume files stay in that directory, so the next start of the downloader finds them and they continue.
"""

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

from downloader.clients.base import TorrentClientError
from downloader.clients.transmission import DEFAULT_RPC_PATH, TransmissionClient
from niluflix.private_files import private_dir
from niluflix.runtime.lifeline import die_with_parent
from niluflix.transmission_config import loopback_settings, read_settings, write_settings

log = logging.getLogger(__name__)

RPC_USERNAME = "niluflix"
PID_FILE = "niluflix-daemon.pid"


class ManagedTransmissionClient(TransmissionClient):
    """A TransmissionClient that starts its own transmission-daemon on `start()` and stops it on `close()`."""

    def __init__(
        self,
        binary: str,
        config_dir: Path,
        download_dir: Path,
        *,
        rpc_port: int | None = None,
        peer_port: int | None = None,
        start_timeout: float = 20.0,
    ) -> None:
        self.binary = binary
        self.config_dir = config_dir
        self.download_dir = download_dir
        self.start_timeout = start_timeout
        previous = read_settings(config_dir)
        # Keep last run's ports when they are still free: the peer port is how the swarm knows us.
        self.rpc_port = rpc_port or _reuse_or_free(previous.get("rpc-port"))
        self.peer_port = peer_port or _reuse_or_free(previous.get("peer-port"))
        self._password = secrets.token_urlsafe(24)
        self._process: subprocess.Popen[bytes] | None = None
        super().__init__(f"http://127.0.0.1:{self.rpc_port}{DEFAULT_RPC_PATH}", RPC_USERNAME, self._password)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def log_file(self) -> Path:
        return self.config_dir / "transmission.log"

    async def start(self) -> None:
        if self._process is None:
            await asyncio.to_thread(self._prepare)
            # Started from the event loop's thread, which lives as long as the downloader: the kernel ends
            # the daemon when the thread that started it ends (see `die_with_parent`), so not from a worker.
            self._spawn()
            await asyncio.to_thread(self._wait_until_answering)
        await super().start()

    async def close(self) -> None:
        await super().close()
        await asyncio.to_thread(self._stop_daemon)

    def settings(self) -> dict[str, object]:
        return loopback_settings(
            rpc_port=self.rpc_port,
            peer_port=self.peer_port,
            download_dir=self.download_dir,
            # Beside the downloads, so finishing is a rename on the same filesystem, not a copy.
            incomplete_dir=self.download_dir / ".incomplete",
            username=RPC_USERNAME,
            password=self._password,
        )

    def _prepare(self) -> None:
        private_dir(self.config_dir)  # settings.json holds the RPC password
        (self.download_dir / ".incomplete").mkdir(parents=True, exist_ok=True)
        _stop_leftover(self.config_dir)
        write_settings(self.config_dir, self.settings())

    def _spawn(self) -> None:
        self._process = subprocess.Popen(
            [self.binary, "-f", "-g", str(self.config_dir), "--logfile", str(self.log_file)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C meant for the downloader should not skip our orderly stop
            # It dies with the downloader, however that ends: it must never outlive it, holding its ports.
            preexec_fn=die_with_parent(),  # noqa: PLW1509 - only a prctl call, prepared beforehand
        )
        (self.config_dir / PID_FILE).write_text(str(self._process.pid))

    def _wait_until_answering(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                tail = self.log_file.read_text(errors="replace")[-1500:] if self.log_file.exists() else ""
                self._process = None
                raise TorrentClientError(f"transmission-daemon exited at start:\n{tail}")
            try:
                # Any HTTP answer (409 asking for a session id, 401) means the RPC server is up.
                httpx.get(self.url, timeout=0.5)
                log.info("started transmission-daemon (pid %d) with RPC on %s", self._process.pid, self.url)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        self._stop_daemon()
        raise TorrentClientError(
            f"transmission-daemon did not answer on {self.url} in {self.start_timeout:g} s"
        )

    def _stop_daemon(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()  # it saves its resume files and settings on SIGTERM
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                log.warning("transmission-daemon (pid %d) ignored SIGTERM; killing it", process.pid)
                process.kill()
                process.wait(5)
        with contextlib.suppress(FileNotFoundError):
            (self.config_dir / PID_FILE).unlink()


def _stop_leftover(config_dir: Path) -> None:
    """Stop a daemon a crashed downloader left running on this config dir: two would fight over it."""
    pid_file = config_dir / PID_FILE
    try:
        pid = int(pid_file.read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return
    # Only a transmission-daemon on our own config dir: the PID may belong to someone else by now.
    if (
        not cmdline
        or not cmdline[0].endswith(b"transmission-daemon")
        or str(config_dir).encode() not in cmdline
    ):
        return
    log.warning("stopping transmission-daemon (pid %d) left over from an earlier run", pid)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)


def _reuse_or_free(port: object) -> int:
    if isinstance(port, int) and 0 < port < 65536 and _bindable(port):
        return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
