"""Finding movies already in the library folder, e.g. copied there by hand or by another tool."""

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from organizer.library.metadata import read_metadata
from organizer.library.naming import parse_folder
from organizer.library.picking import is_sample, is_video


@dataclass(frozen=True)
class FoundMovie:
    folder: Path
    path: Path
    size: int
    title: str
    year: int | None
    tmdb_id: int | None
    imdb_id: str | None


def scan_movies(movies_dir: Path, known: Collection[str] = frozenset()) -> tuple[int, list[FoundMovie]]:
    """Blocking. (title folders looked at, the movie found in each folder that holds a video file).

    Folders in `known` (recorded already) are counted but not read: a sync of a big library would
    otherwise stat every file and parse every metadata.json only to throw the answers away.
    """
    if not movies_dir.is_dir():
        return 0, []
    scanned = 0
    found: list[FoundMovie] = []
    for folder in sorted(movies_dir.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        scanned += 1
        if str(folder) in known:
            continue
        title, year, tagged_tmdb_id = parse_folder(folder.name)
        videos = [
            (f.stat().st_size, f)
            for f in folder.iterdir()
            # Hidden files include our own part files of a placement still under way.
            if not f.name.startswith(".")
            and is_video(f)
            and f.is_file()
            and not is_sample(Path(f.name), title)
        ]
        if not videos:
            continue
        size, path = max(videos)
        metadata = read_metadata(folder)
        found.append(
            FoundMovie(
                folder=folder,
                path=path,
                size=size,
                title=title,
                year=year,
                tmdb_id=(metadata.tmdb_id if metadata else None) or tagged_tmdb_id,
                imdb_id=metadata.imdb_id if metadata else None,
            )
        )
    return scanned, found
