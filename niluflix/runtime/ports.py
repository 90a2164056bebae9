"""Ports for the processes of one NiluFlix: the configured one when it is free, else the next free one.

Several NiluFlix (different data directories) may start at the same moment, and a supervisor picks a
port a few seconds before its child binds it. So a picked port is also claimed: a small file in the
temporary directory names the supervisor's pid and start time, and other supervisors skip a port whose
claimant still runs. A claim left by a killed supervisor names a dead process and counts for nothing.
"""

import contextlib
import errno
import json
import os
import socket
import tempfile
import time
from pathlib import Path

import psutil

from niluflix.runtime.identity import identity, running

SEARCH = 200  # ports tried after the configured one
CLAIMS = Path(tempfile.gettempdir()) / "niluflix-ports"


def port_free(port: int) -> bool:
    """Nothing listens on `port` on any address of this machine.

    Bound on every address, so a listener on 127.0.0.1 or on 0.0.0.0 both count; with SO_REUSEADDR, so
    connections of a stopped server waiting out TIME_WAIT do not.
    """
    with socket.socket() as s:
        if os.name == "posix":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("0.0.0.0", port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES) or os.name != "posix":
                return False
            raise
    return True


def any_free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PortClaims:
    """The ports one supervisor has picked: claimed until `release()`, or until its process is gone."""

    def __init__(self, directory: Path = CLAIMS) -> None:
        self.directory = directory
        self.owner = identity(psutil.Process())
        self.ports: list[int] = []

    def pick(self, preferred: int) -> int:
        """`preferred` when it is free and unclaimed, else the next such port (0: any free port)."""
        if preferred == 0:
            preferred = any_free_port()
        for port in range(preferred, min(preferred + SEARCH, 65536)):
            if port_free(port) and self._claim(port):
                return port
        raise OSError(f"no free port in {preferred}-{preferred + SEARCH - 1}")

    def release(self) -> None:
        for port in self.ports:
            path = self._path(port)
            with contextlib.suppress(FileNotFoundError, ValueError):
                if json.loads(path.read_text()) == self.owner:
                    path.unlink()
        self.ports.clear()

    def _path(self, port: int) -> Path:
        return self.directory / f"{port}.json"

    def _claim(self, port: int) -> bool:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(port)
        for _ in range(2):
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                if _claim_alive(path):
                    return False
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()  # a dead supervisor's claim
                continue
            with os.fdopen(fd, "w") as out:
                json.dump(self.owner, out)
            self.ports.append(port)
            return True
        return False


def _claim_alive(path: Path) -> bool:
    try:
        pid, started = json.loads(path.read_text())
    except FileNotFoundError:
        return False
    except (ValueError, TypeError):
        # Empty for the instant between its creation and its write; a broken old one is replaced.
        try:
            return time.time() - path.stat().st_mtime < 5
        except FileNotFoundError:
            return False
    return running(pid, started) is not None
