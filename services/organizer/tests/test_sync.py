"""`library.v1.sync`: movies and episodes put in the library folder by hand are found, ones deleted by hand
forgotten."""

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from niluflix.contracts import library
from niluflix.contracts.common import MediaType
from niluflix.contracts.library import SyncLibrary, SyncResult
from niluflix.errors import RemoteError
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


def show_folder(shows: Path, name: str, files: dict[str, int], metadata: dict | None = None) -> Path:
    folder = shows / name
    for relative, size in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(os.urandom(size))
    if metadata is not None:
        (folder / "metadata.json").write_text(json.dumps(metadata))
    return folder


async def test_sync_imports_show_folders_episode_by_episode(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    shows = library_dir / "TV Shows"
    expanse = show_folder(
        shows,
        "The Expanse (2015)",
        {
            "Season 01/The Expanse (2015) - S01E01 - Dulcinea.mkv": 3000,
            "Season 01/The Expanse (2015) - S01E01 - Dulcinea.en.srt": 10,
            "Season 01/The.Expanse.S01E02.720p.mkv": 3100,
            # a second file of an episode already there: the larger one is the episode
            "Season 01/The.Expanse.S01E02.480p.avi": 1000,
            "Season 1/the.expanse.1x03.mp4": 3200,
            "Season 01/The.Expanse.S01E01-sample.mkv": 300,
            "Season 01/.The Expanse (2015) - S01E04.mkv.niluflix-part": 300,
            "Specials/The Expanse - S00E01 - Behind the Belt.mkv": 2000,
            "Extras/The.Expanse.S01E01.Featurette.mkv": 2000,
            "Season 01/notes.txt": 10,
        },
        metadata={"tmdb_id": 63639, "tvdb_id": 280619, "title": "The Expanse", "media_type": "tv"},
    )
    show_folder(
        shows, "The Daily Show (1996) {tmdb-2224}", {"Season 2024/The Daily Show - 2024-03-15.mkv": 900}
    )
    show_folder(shows, "Empty Show (2020)", {"Season 01/cover.jpg": 10})

    async with start_organizer() as organizer:
        first = await sync(organizer)
        assert first.scanned == 3
        found = [
            (
                Path(i.path).relative_to(shows).as_posix(),
                i.title,
                i.year,
                i.tmdb_id,
                i.season,
                i.episodes,
                i.air_date,
            )
            for i in first.added
        ]
        assert found == [
            (
                "The Daily Show (1996) {tmdb-2224}/Season 2024/The Daily Show - 2024-03-15.mkv",
                "The Daily Show",
                1996,
                2224,
                2024,
                [],
                date(2024, 3, 15),
            ),
            (
                "The Expanse (2015)/Season 01/The Expanse (2015) - S01E01 - Dulcinea.mkv",
                "The Expanse",
                2015,
                63639,
                1,
                [1],
                None,
            ),
            (
                "The Expanse (2015)/Season 01/The.Expanse.S01E02.720p.mkv",
                "The Expanse",
                2015,
                63639,
                1,
                [2],
                None,
            ),
            ("The Expanse (2015)/Season 1/the.expanse.1x03.mp4", "The Expanse", 2015, 63639, 1, [3], None),
            (
                "The Expanse (2015)/Specials/The Expanse - S00E01 - Behind the Belt.mkv",
                "The Expanse",
                2015,
                63639,
                0,
                [1],
                None,
            ),
        ]
        assert all(
            i.media_type is MediaType.TV and i.folder == str(Path(i.path).parents[1]) for i in first.added
        )
        assert sorted(e.item.path for e in await organizer.added_events()) == sorted(
            i.path for i in first.added
        )
        assert (await sync(organizer)).added == []

        # A new episode is filed in the folder the scan found, and a later scan leaves it alone.
        download = files(downloads_dir, "The.Expanse.S01E05", {"The.Expanse.S01E05.mkv": 1000})
        await organizer.complete(
            completed(download, title="The Expanse", year=2015, tmdb_id=63639, media_type=MediaType.TV)
        )
        await organizer.settled()
        assert Path(expanse / "Season 01" / "The Expanse (2015) - S01E05.mkv").is_file()
        assert (await sync(organizer)).added == []

        (expanse / "Season 01" / "The.Expanse.S01E02.720p.mkv").unlink()
        third = await sync(organizer)
        assert [Path(i.path).name for i in third.removed] == ["The.Expanse.S01E02.720p.mkv"]
        # The smaller file of that episode is there still: it is the episode now.
        assert [Path(i.path).name for i in third.added] == ["The.Expanse.S01E02.480p.avi"]
        assert len(await organizer.items(tmdb_id=63639)) == 5

        shutil.rmtree(shows)  # as a disk that is not mounted looks
        fourth = await sync(organizer)
        assert (fourth.scanned, fourth.added, fourth.removed) == (0, [], [])
        assert len(await organizer.items(media_type=MediaType.TV)) == 6


async def test_a_big_library_is_listed_a_page_at_a_time(start_organizer, library_dir: Path) -> None:
    """A NATS reply holds at most 1 MB (about 3,500 items): callers read a big library in pages, which must
    neither skip nor repeat an item."""
    movies = library_dir / "Movies"
    for n in range(2500):
        folder = movies / f"Film {n:04d} ({1950 + n % 70})"
        folder.mkdir(parents=True)
        (folder / f"{folder.name}.mkv").write_bytes(b"x")
    async with start_organizer() as organizer:
        result = await request(organizer.client, library.SYNC, SyncLibrary(), SyncResult, timeout=120)
        assert (result.added_count, len(result.added)) == (2500, 100)  # counted, the first named

        paged = []
        while len(page := await organizer.items(media_type=MediaType.MOVIE, offset=len(paged), limit=1000)):
            assert len(page) <= 1000
            paged += page
        # All at once it would not fit in one message: said at once, not a timeout.
        with pytest.raises(RemoteError, match="too large"):
            await organizer.items(media_type=MediaType.MOVIE)

    assert len({item.id for item in paged}) == 2500
    assert [item.title for item in paged] == [f"Film {n:04d}" for n in range(2500)]
