"""Deleting a title's files from the library when the user asks: only ever inside the library folder.

A movie goes with its folder (`Movies/Title (Year)/`, as Radarr deletes a movie's folder); an episode with its
subtitles, then its season folder and show folder once nothing else is left in them (a show folder holding
only its metadata.json is empty to a user).
"""

import glob
import logging
import shutil
from pathlib import Path

from organizer.library.episodes import is_subtitle

log = logging.getLogger(__name__)

METADATA = "metadata.json"


class OutsideLibrary(ValueError):
    pass


def _inside(path: Path, root: Path) -> Path:
    """`path` resolved, refused unless it lies strictly inside `root` (a symlink pointing out is refused)."""
    resolved = path.resolve()
    if resolved == root or not resolved.is_relative_to(root):
        raise OutsideLibrary(f"{path} is not inside the library folder {root}")
    return resolved


def delete_movie(folder: Path, movies_dir: Path) -> list[Path]:
    """Delete a movie's folder; returns the files deleted."""
    root = movies_dir.resolve()
    target = _inside(folder, root)
    if target.parent != root:
        raise OutsideLibrary(f"{folder} is not a title folder of {root}")
    if not target.is_dir():
        return []
    files = sorted(p for p in target.rglob("*") if p.is_file() or p.is_symlink())
    shutil.rmtree(target)
    return files


def delete_episode(path: Path, shows_dir: Path) -> list[Path]:
    """Delete an episode file and the subtitles named after it, then the folders it leaves empty."""
    root = shows_dir.resolve()
    video = _inside(path, root)
    deleted: list[Path] = []
    if video.parent.is_dir():
        for sub in sorted(video.parent.glob(f"{glob.escape(video.stem)}.*")):
            if is_subtitle(sub):
                sub.unlink(missing_ok=True)
                deleted.append(sub)
    if video.exists():
        video.unlink()
        deleted.insert(0, video)
    _prune(video.parent, root)
    return deleted


def _prune(folder: Path, root: Path) -> None:
    """Remove empty folders up to (not including) the library's `TV Shows` folder."""
    while folder != root and folder.is_relative_to(root) and folder.is_dir():
        left = [p for p in folder.iterdir() if p.name != METADATA]
        if left:
            return
        (folder / METADATA).unlink(missing_ok=True)
        folder.rmdir()
        folder = folder.parent
