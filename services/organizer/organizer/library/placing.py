"""Putting a file into the library so that a crash at any moment leaves either nothing or the whole file.

Every function here blocks (big copies, fsync): call them through `asyncio.to_thread`.
`place_file` is also the entry point for benchmarks of hardlinking against copying.
"""

import errno
import os
from enum import StrEnum
from pathlib import Path

from niluflix.failpoints import failpoint

PART_SUFFIX = ".niluflix-part"
_CHUNK = 16 * 1024 * 1024
# Filesystems without hardlinks (FAT, exFAT, many network shares) answer EPERM or ENOTSUP, not EXDEV.
_NO_LINK = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}
_NO_COPY_RANGE = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF}


class LinkMode(StrEnum):
    AUTO = "auto"  # hardlink when the filesystem allows, else copy
    HARDLINK = "hardlink"
    COPY = "copy"


def part_path(target: Path) -> Path:
    """The hidden name a file has while being placed; a leftover one is from a crash and is redone."""
    return target.with_name(f".{target.name}{PART_SUFFIX}")


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    """The same inode (a hardlink), or a copy this module made (same size and modification time)."""
    if (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino):
        return True
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def place_file(src: Path, dest_dir: Path, name: str, mode: LinkMode = LinkMode.AUTO) -> Path:
    """Put `src` at `dest_dir/name` and return that path.

    Hardlink when allowed, so the torrent keeps seeding from the same bytes and no space is used twice;
    else copy to a hidden part file, fsync, check the size, and rename over the target, so a reader never
    sees half a movie. An existing target that is already this file is left alone (a redelivered
    completion, or a crash before the library row was written); any other is replaced atomically.
    Raises OSError (ENOSPC, EROFS, EACCES, ENOENT...) with no part file left behind.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / name
    part = part_path(target)
    src_stat = os.stat(src)
    try:
        if same_file(src_stat, os.stat(target)):
            part.unlink(missing_ok=True)
            return target
    except FileNotFoundError:
        pass
    part.unlink(missing_ok=True)
    try:
        if mode is LinkMode.COPY or not _link(src, part, strict=mode is LinkMode.HARDLINK):
            _copy(src, part, src_stat)
        os.replace(part, target)
        fsync_dir(dest_dir)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target


def _link(src: Path, part: Path, *, strict: bool) -> bool:
    try:
        os.link(src, part)
    except OSError as exc:
        if strict or exc.errno not in _NO_LINK:
            raise
        return False
    return True


def _copy(src: Path, part: Path, src_stat: os.stat_result) -> None:
    size = src_stat.st_size
    with open(src, "rb") as fin, open(part, "wb") as fout:
        copied, use_range = 0, hasattr(os, "copy_file_range")
        while copied < size:
            count = min(_CHUNK, size - copied)
            n = 0
            if use_range:
                try:
                    n = os.copy_file_range(fin.fileno(), fout.fileno(), count, copied, copied)
                except OSError as exc:
                    if exc.errno not in _NO_COPY_RANGE:
                        raise
                    use_range = False
            if not use_range:
                n = os.pwrite(fout.fileno(), os.pread(fin.fileno(), count, copied), copied)
            if n == 0:
                break
            copied += n
            if copied < size:
                failpoint("organizer.mid_copy")
        os.fsync(fout.fileno())
    written = os.stat(part).st_size
    if written != size:
        raise OSError(errno.EIO, f"copied {written} of {size} bytes of {src}")
    # The source's times mark the copy as this file, so a redelivery recognises it (see same_file).
    os.utime(part, ns=(src_stat.st_atime_ns, src_stat.st_mtime_ns))


def write_atomic(path: Path, data: bytes) -> None:
    """Write a small file so that readers see the old or the new content, never a mix."""
    part = part_path(path)
    try:
        with open(part, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable; a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
