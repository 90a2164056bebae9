"""One NiluFlix per data directory: an exclusive lock on `<data dir>/run/lock`, held for the supervisor's life.

Two `niluflix up` started at the same moment both find no running NiluFlix in the state file; the lock
lets only one through. The kernel drops it when the holder ends, however it ends (SIGKILL included), so a
crash never leaves a stale lock. The holder writes its pid into the file, for the message of the second.
"""

import contextlib
import fcntl
import os
import time
from pathlib import Path

from niluflix.private_files import open_private, private_dir


class AlreadyRunning(RuntimeError):
    def __init__(self, data_dir: Path, pid: int | None) -> None:
        holder = f" (pid {pid})" if pid else ""
        super().__init__(
            f"NiluFlix is already running from {data_dir}{holder}: "
            "`niluflix status` shows it, `niluflix down` stops it"
        )
        self.pid = pid


def lock_path(data_dir: Path) -> Path:
    return data_dir / "run" / "lock"


class DataDirLock:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock, or raise `AlreadyRunning` naming the holder's pid; at once, never waiting."""
        if self._fd is not None:
            return
        path = lock_path(self.data_dir)
        private_dir(path.parent)
        # Not inherited by the children (Python's default): the lock ends with the supervisor alone.
        fd = open_private(path, os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(self.data_dir, self._wait_for_holder_pid()) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def _wait_for_holder_pid(self) -> int | None:
        # A holder that has just taken the lock writes its pid a moment later.
        for _ in range(20):
            if pid := holder_pid(self.data_dir):
                return pid
            time.sleep(0.01)
        return None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing drops the lock


def holder_pid(data_dir: Path) -> int | None:
    """The pid the lock's holder wrote; None while it has not written it yet (or nobody holds it)."""
    try:
        return int(lock_path(data_dir).read_text().strip() or 0) or None
    except (FileNotFoundError, ValueError):
        return None


def check_free(data_dir: Path) -> None:
    """Raise `AlreadyRunning` when a NiluFlix holds the data directory; holds nothing itself."""
    probe = DataDirLock(data_dir)
    probe.acquire()
    probe.release()
