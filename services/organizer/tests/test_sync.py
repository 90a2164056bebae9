"""`library.v1.sync`: movies put in the library folder by hand are found, movies deleted by hand forgotten."""

import json
import os
import shutil
from pathlib import Path

from niluflix.contracts import library
from niluflix.contracts.library import SyncLibrary, SyncResult
from niluflix.messaging import request


async def sync(organizer) -> SyncResult:
    return await request(organizer.client, library.SYNC, SyncLibrary(), SyncResult, timeout=10)


def movie_folder(movies: Path, name: str, files: dict[str, int], metadata: dict | None = None) -> Path:
    folder = movies / name
    folder.mkdir(parents=True)
    for file, size in files.items():
        (folder / file).write_bytes(os.urandom(size))
    if metadata is not None:
        (folder / "metadata.json").write_text(json.dumps(metadata))
    return folder


async def test_sync_imports_what_is_there_and_forgets_what_is_gone(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    movies = library_dir / "Movies"
    bunny = movie_folder(
        movies,
        "Big Buck Bunny (2008)",
        {"Big Buck Bunny (2008).mp4": 5000, "bbb-sample.mp4": 9000},
        metadata={"tmdb_id": 10378, "imdb_id": "tt1254207", "title": "Big Buck Bunny"},
    )
    movie_folder(movies, "Elephants Dream (2006)", {"Elephants Dream (2006).avi": 3000, "cover.jpg": 100})
    movie_folder(movies, "Empty (2000)", {"notes.txt": 10})
    movie_folder(movies, "Home Videos", {"party.mkv": 1000})
    movie_folder(movies, "Half (2001)", {".Half (2001).mkv.niluflix-part": 1000})
    (movies / "loose.mkv").write_bytes(b"x")

    async with start_organizer() as organizer:
        # A movie the organizer filed itself is not imported a second time.
        await organizer.complete(completed(files(downloads_dir, "Sintel.2010", {"Sintel.2010.mkv": 1000})))
        [sintel] = await organizer.wait_items(1)

        first = await sync(organizer)
        assert first.scanned == 6
        assert first.removed == []
        found = {(i.title, i.year, i.tmdb_id, Path(i.path).name, i.job_id) for i in first.added}
        assert found == {
            ("Big Buck Bunny", 2008, 10378, "Big Buck Bunny (2008).mp4", None),
            ("Elephants Dream", 2006, None, "Elephants Dream (2006).avi", None),
            ("Home Videos", None, None, "party.mkv", None),
        }
        items = await organizer.items()
        assert sorted(i.title for i in items) == [
            "Big Buck Bunny",
            "Elephants Dream",
            "Home Videos",
            "Sintel",
        ]
        assert sorted(e.item.title for e in await organizer.added_events()) == [i.title for i in items]

        assert (await sync(organizer)).added == []

        shutil.rmtree(bunny)
        third = await sync(organizer)
        assert [i.title for i in third.removed] == ["Big Buck Bunny"]
        assert third.added == []
        assert sorted(i.title for i in await organizer.items()) == [
            "Elephants Dream",
            "Home Videos",
            "Sintel",
        ]
        assert sintel in await organizer.items()


async def test_an_unmounted_library_forgets_nothing(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    async with start_organizer() as organizer:
        await organizer.complete(completed(files(downloads_dir, "Sintel.2010", {"Sintel.2010.mkv": 1000})))
        [sintel] = await organizer.wait_items(1)
        shutil.rmtree(library_dir)  # as a disk that is not mounted looks
        result = await sync(organizer)
        assert (result.scanned, result.added, result.removed) == (0, [], [])
        assert await organizer.items() == [sintel]
