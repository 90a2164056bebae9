"""A real filesystem that fills up, for the full-disk tests: writes there fail with ENOSPC, as on a full disk.

As root, a tmpfs of its own is mounted. Where mounting is not allowed (a container without CAP_SYS_ADMIN, as
on a fresh machine), a folder on the small tmpfs at /dev/shm is used, with a filler file taking all of its
space but the size asked for: still a real filesystem that is really full, never a faked error.
"""

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SHARED_TMPFS = Path("/dev/shm")
# Filling a tmpfs costs memory: only a small one (a container's 64 MB /dev/shm) is used that way.
MAX_FILLED = 1 << 30
UNITS = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def _bytes(size: str) -> int:
    unit = size[-1].lower()
    return int(size[:-1]) * UNITS[unit] if unit in UNITS else int(size)


def _free(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


class SmallDisk:
    def __init__(self, path: Path, filler: Path | None = None) -> None:
        self.path = path
        self._filler = filler

    def resize(self, size: str) -> None:
        """Room for `size` bytes in all, counting what the folder holds already."""
        if self._filler is None:
            subprocess.run(["mount", "-o", f"remount,size={size}", str(self.path)], check=True)
            return
        used = sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())
        wanted_free = max(_bytes(size) - used, 0)
        current = self._filler.stat().st_size
        target = max(current + _free(self.path) - wanted_free, 0)
        if target < current:
            os.truncate(self._filler, target)
        elif target > current:
            fd = os.open(self._filler, os.O_WRONLY)
            try:
                os.posix_fallocate(fd, current, target - current)
            finally:
                os.close(fd)


@contextmanager
def small_disk(parent: Path, size: str = "256k") -> Iterator[SmallDisk]:
    path = parent / "small-disk"
    path.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)]
    mounted = subprocess.run(mount, check=False, capture_output=True, text=True)
    if mounted.returncode == 0:
        try:
            yield SmallDisk(path)
        finally:
            subprocess.run(["umount", "-l", str(path)], check=False)
        return
    st = os.statvfs(SHARED_TMPFS) if SHARED_TMPFS.is_dir() else None
    if st is None or st.f_blocks * st.f_frsize > MAX_FILLED:
        raise RuntimeError(
            f"the full-disk tests need a small filesystem: mounting a tmpfs failed ({mounted.stderr.strip()}; "
            f"run the tests as root) and {SHARED_TMPFS} is not a small tmpfs"
        )
    shared = SHARED_TMPFS / f"niluflix-small-disk-{uuid.uuid4().hex[:8]}"
    shared.mkdir()
    filler = SHARED_TMPFS / f"{shared.name}.filler"
    filler.touch()
    disk = SmallDisk(shared, filler)
    try:
        disk.resize(size)
        yield disk
    finally:
        filler.unlink(missing_ok=True)
        shutil.rmtree(shared, ignore_errors=True)
