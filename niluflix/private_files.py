"""Files under the data directory that only the user NiluFlix runs as may read: mode 0600, folders 0700.

What NiluFlix keeps there holds data (SQLite databases and their -wal/-shm files, `secret.key`, the client
credential, the run state, logs), so each is created 0600 whatever the umask, and each folder NiluFlix makes
for them 0700. A file an older version left readable by others is narrowed when it is opened again. Folders
that already exist keep their mode: the data directory may be a volume the user set up on purpose.
Downloads and the library are not made here: other programs (a media server) read them.
"""

import contextlib
import os
from pathlib import Path
from typing import IO, Literal

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """`path` and its missing parents, each made 0700; an existing folder stays as it is."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            folder.mkdir(mode=DIR_MODE)
    return path


def narrow(path: Path) -> None:
    """An existing file made 0600 (an older version may have left it wider); a missing one is no matter."""
    with contextlib.suppress(FileNotFoundError):
        if path.stat().st_mode & 0o777 != FILE_MODE:
            path.chmod(FILE_MODE)


def open_private(path: Path, flags: int) -> int:
    """`os.open` of a file created 0600 (`flags` as for `os.open`, `O_CREAT` among them), narrowed if it
    existed wider. Returns the descriptor."""
    fd = os.open(path, flags, FILE_MODE)
    try:
        if os.fstat(fd).st_mode & 0o777 != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_private_log(path: Path) -> IO[bytes]:
    """A log file opened for appending, unbuffered, created 0600."""
    private_dir(path.parent)
    return os.fdopen(open_private(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND), "ab", buffering=0)


def write_private(path: Path, text: str, *, mode: Literal["replace", "create"] = "replace") -> None:
    """`text` written to `path`, 0600. "replace": atomically, through a temporary file beside it, so a reader
    never sees half of it. "create": only if the file does not exist yet (`FileExistsError` otherwise)."""
    private_dir(path.parent)
    if mode == "create":
        with os.fdopen(open_private(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL), "w") as out:
            out.write(text)
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with os.fdopen(open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), "w") as out:
        out.write(text)
    os.replace(tmp, path)


def private_sqlite(database: Path) -> None:
    """A SQLite database file made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the
    mode of the database file, so they follow. Files of an older version are narrowed."""
    private_dir(database.parent)
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm"), Path(f"{database}-journal")):
        narrow(path)
    os.close(open_private(database, os.O_RDWR | os.O_CREAT))
