"""Finding movies and episodes already in the library folder, e.g. copied there by hand or by another tool."""

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from organizer.library.episode_names import parse_episode
from organizer.library.episodes import is_extra
from organizer.library.metadata import read_metadata
from organizer.library.naming import parse_folder
from organizer.library.picking import is_sample, is_video

# `Season 01`, `Season 1`, `Series 2`, `S03`, `Season 2024` (a daily show), and `Specials` for season 0.
_SEASON_FOLDER = re.compile(
    r"^(?:season|series|s)[ ._-]*(?P<season>\d{1,4})$|^(?P<specials>specials)$", re.IGNORECASE
)


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


@dataclass(frozen=True)
class FoundEpisode:
    folder: Path
    path: Path
    size: int
    title: str
    year: int | None
    tmdb_id: int | None
    imdb_id: str | None
    season: int
    episodes: tuple[int, ...]
    air_date: date | None


def scan_shows(shows_dir: Path, known: Collection[str] = frozenset()) -> tuple[int, list[FoundEpisode]]:
    """Blocking. (show folders looked at, the episode files in them whose paths are not in `known`).

    A file counts when it is a video (not a sample or an extra) in the show's folder or in one of its
    season folders and its name names an episode (`S01E02`, `1x02`) or a date (a daily show, whose
    season is its folder's, else the date's year).
    """
    if not shows_dir.is_dir():
        return 0, []
    scanned = 0
    found: list[FoundEpisode] = []
    for show in sorted(shows_dir.iterdir()):
        if show.name.startswith(".") or not show.is_dir():
            continue
        scanned += 1
        title, year, tagged_tmdb_id = parse_folder(show.name)
        metadata, read = None, False
        for path, folder_season in _episode_files(show):
            if str(path) in known or is_extra(path.relative_to(show), title):
                continue
            ref = parse_episode(path.stem)
            if ref is None:
                continue
            if ref.season is not None and ref.episodes:
                season, episodes, aired = ref.season, ref.episodes, None
            else:
                assert ref.air_date is not None
                season = folder_season if folder_season is not None else ref.air_date.year
                episodes, aired = (), ref.air_date
            if not read:
                # Only a show with a new file is worth reading: a big library's sync stays cheap.
                metadata, read = read_metadata(show), True
            found.append(
                FoundEpisode(
                    folder=show,
                    path=path,
                    size=path.stat().st_size,
                    title=title,
                    year=year,
                    tmdb_id=(metadata.tmdb_id if metadata else None) or tagged_tmdb_id,
                    imdb_id=metadata.imdb_id if metadata else None,
                    season=season,
                    episodes=episodes,
                    air_date=aired,
                )
            )
    return scanned, found


def _episode_files(show: Path) -> Iterator[tuple[Path, int | None]]:
    """The video files in a show's folder and its season folders, with the season their folder names."""
    for entry in sorted(show.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            match = _SEASON_FOLDER.match(entry.name)
            if not match:
                continue
            season = 0 if match["specials"] else int(match["season"])
            for file in sorted(entry.iterdir()):
                # Hidden files include our own part files of a placement still under way.
                if not file.name.startswith(".") and is_video(file) and file.is_file():
                    yield file, season
        elif is_video(entry) and entry.is_file():
            yield entry, None
