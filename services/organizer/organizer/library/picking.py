"""Which file of a finished download is the movie.

Names inside a torrent are chosen by whoever made it, so no path is trusted: a file counts only if its
path, taken literally and with every symlink resolved, stays inside the download's own folder, and that
folder inside one of the download folders the organizer was given. Then the movie is the largest video
file that is not a sample (a show's episodes are told apart in `episodes.py`).
"""

import logging
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from niluflix.contracts.downloads import DownloadedFile
from organizer.errors import CompletionUnusable, FilesNotReady

log = logging.getLogger(__name__)

VIDEO_EXTENSIONS = frozenset(
    {".mkv", ".mp4", ".avi", ".m4v", ".mov", ".wmv", ".ts", ".m2ts", ".webm", ".mpg", ".mpeg"}
)
_SAMPLE = re.compile(r"(?<![a-z0-9])sample(?![a-z0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class VideoFile:
    path: Path
    size: int


@dataclass(frozen=True)
class Download:
    root: Path  # the folder every file of the download lies in
    files: list[VideoFile]
    unsafe: list[str]

    @property
    def why_none(self) -> str:
        """Said after "no video file": why there may be none."""
        return " (some paths left the download's folder)" if self.unsafe else ""


def is_video(path: PurePath) -> bool:
    return path.suffix.lower() in VIDEO_EXTENSIONS


def is_sample(relative: PurePath, title: str) -> bool:
    """A file or folder named "sample" as a word, e.g. `Sample/x.mkv` or `x-sample.mkv`.

    When the movie's own title holds the word ("The Sample"), every file would match, so only the
    size decides: the sample is then the smaller file and never the pick.
    """
    if _SAMPLE.search(title):
        return False
    return any(_SAMPLE.search(part) for part in (*relative.parent.parts, relative.stem))


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def _plain(path: PurePath) -> bool:
    return path.is_absolute() and ".." not in path.parts


def safe_files(
    content_path: str,
    files: Sequence[DownloadedFile],
    *,
    download_dirs: Sequence[Path],
    wanted: Callable[[Path], bool] = is_video,
) -> "Download":
    """The download's folder and its `wanted` files whose paths are safe to read.

    Raises `FilesNotReady` when the download or one of the wanted files is missing or shorter than the
    client said (moved or still being written: worth another try), `CompletionUnusable` when the download
    lies outside the download folders.
    """
    content = Path(content_path)
    if not _plain(content):
        raise CompletionUnusable(f"the download's path {content_path!r} is not a plain absolute path")
    if not content.exists():
        raise FilesNotReady(f"the download {content_path} does not exist (yet)")
    real_content = content.resolve()
    real_dirs = [d.resolve() for d in download_dirs]
    if not any(_inside(real_content, d) and real_content != d for d in real_dirs):
        raise CompletionUnusable(
            f"the download {content_path} is not inside the download folders "
            f"({', '.join(map(str, download_dirs))}); refusing to import it"
        )
    # A single-file torrent's content is the file itself; its folder is the client's save folder.
    single = not content.is_dir()
    root, real_root = (content.parent, real_content.parent) if single else (content, real_content)

    safe: list[VideoFile] = []
    unsafe: list[str] = []
    for entry in files:
        path = Path(entry.path)
        if not wanted(path):
            continue
        if not _plain(path) or not _inside(path, root) or (single and path != content):
            unsafe.append(entry.path)
            continue
        try:
            info = os.lstat(path)
        except FileNotFoundError as exc:
            raise FilesNotReady(f"{entry.path} of the download is missing") from exc
        if (
            stat.S_ISLNK(info.st_mode)
            or not stat.S_ISREG(info.st_mode)
            or not _inside(path.resolve(), real_root)
        ):
            unsafe.append(entry.path)
            continue
        if info.st_size < entry.size:
            raise FilesNotReady(f"{entry.path} has {info.st_size} of {entry.size} bytes: not complete yet")
        safe.append(VideoFile(path=path, size=info.st_size))
    if unsafe:
        log.warning(
            "skipped %d file(s) whose path leaves %s: %s", len(unsafe), content_path, ", ".join(unsafe)
        )
    return Download(root=root, files=safe, unsafe=unsafe)


def pick_video(
    content_path: str,
    files: Sequence[DownloadedFile],
    *,
    download_dirs: Sequence[Path],
    title: str = "",
) -> VideoFile:
    """The movie file of a completed download: the largest safe video file that is not a sample.

    Raises `FilesNotReady` and `CompletionUnusable` as `safe_files` does, and the latter also when no
    non-sample video file is left.
    """
    download = safe_files(content_path, files, download_dirs=download_dirs)
    candidates = [v for v in download.files if not is_sample(v.path.relative_to(download.root), title)]
    if not candidates:
        raise CompletionUnusable(f"no video file in {content_path} other than samples{download.why_none}")
    return max(candidates, key=lambda f: (f.size, str(f.path)))
