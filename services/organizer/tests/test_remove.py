"""Removing titles from the library, with or without their files: over real NATS, SQLite and PostgreSQL."""

import os
from pathlib import Path

import pytest

from niluflix.contracts import library
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import EpisodeFacts
from niluflix.contracts.library import LibraryItemRemoved, RemovedFromLibrary, RemoveFromLibrary
from niluflix.errors import RemoteError
from niluflix.messaging import request


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


async def remove(organizer, **fields) -> RemovedFromLibrary:
    return await request(
        organizer.client, library.REMOVE, RemoveFromLibrary(**fields), RemovedFromLibrary, timeout=10
    )


async def removed_events(organizer) -> list[LibraryItemRemoved]:
    info = await organizer.js.stream_info(library.EVENTS_STREAM)
    found = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        msg = await organizer.js.get_msg(library.EVENTS_STREAM, seq)
        if msg.subject == library.REMOVED:
            found.append(LibraryItemRemoved.model_validate_json(msg.data))
    return found


async def test_remove_a_movie_and_an_episode_with_and_without_files(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    movie = files(downloads_dir, "Sintel.2010.1080p.BluRay.x264-GRP", {"Sintel.2010.1080p.mkv": 20_000})
    pack = files(
        downloads_dir,
        "Caminandes.S01.1080p.WEB-NILU",
        {
            "Caminandes.S01E01.1080p.WEB-NILU.mkv": 3000,
            "Caminandes.S01E01.en.srt": 10,
            "Caminandes.S01E02.1080p.WEB-NILU.mkv": 3100,
        },
    )
    show = {"title": "Caminandes", "year": 2013, "tmdb_id": 9000101, "media_type": MediaType.TV}
    facts = [
        EpisodeFacts(season=1, episode=1, name="Llama Drama"),
        EpisodeFacts(season=1, episode=2, name="Gran Dillama"),
    ]
    async with start_organizer() as organizer:
        await organizer.complete(completed(movie))
        await organizer.complete(completed(pack, season=1, episodes=[1, 2], episode_facts=facts, **show))
        await organizer.settled()
        items = {(i.title, tuple(i.episodes)): i for i in await organizer.items()}
        assert len(items) == 3

        # Forgetting only: the file stays for the user to keep or play elsewhere.
        kept = await remove(organizer, item_ids=[items[("Caminandes", (2,))].id])
        assert [i.episodes for i in kept.removed] == [[2]] and kept.deleted_files == []
        assert "TV Shows/Caminandes (2013)/Season 01/Caminandes (2013) - S01E02 - Gran Dillama.mkv" in tree(
            library_dir
        )

        gone = await remove(organizer, item_ids=[items[("Caminandes", (1,))].id], delete_files=True)
        assert sorted(Path(p).name for p in gone.deleted_files) == [
            "Caminandes (2013) - S01E01 - Llama Drama.en.srt",
            "Caminandes (2013) - S01E01 - Llama Drama.mkv",
        ]
        gone = await remove(organizer, tmdb_id=45745, media_type=MediaType.MOVIE, delete_files=True)
        assert [i.title for i in gone.removed] == ["Sintel"]
        assert tree(library_dir) == [
            "TV Shows/Caminandes (2013)/Season 01/Caminandes (2013) - S01E02 - Gran Dillama.mkv",
            "TV Shows/Caminandes (2013)/metadata.json",
        ]
        assert not (library_dir / "Movies" / "Sintel (2010)").exists()
        # The downloads keep seeding: only the library's links went.
        assert (movie / "Sintel.2010.1080p.mkv").exists()
        assert await organizer.items() == []
        events = await removed_events(organizer)
        assert sorted((e.item.title, e.files_deleted) for e in events) == [
            ("Caminandes", False),
            ("Caminandes", True),
            ("Sintel", True),
        ]


async def test_the_last_episode_deleted_takes_its_empty_folders(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    one = files(downloads_dir, ".", {"Caminandes.S01E03.mkv": 1000}) / "Caminandes.S01E03.mkv"
    show = {"title": "Caminandes", "year": 2013, "tmdb_id": 9000101, "media_type": MediaType.TV}
    async with start_organizer() as organizer:
        await organizer.complete(completed(one, season=1, episodes=[3], **show))
        await organizer.settled()
        result = await remove(organizer, tmdb_id=9000101, media_type=MediaType.TV, delete_files=True)
        assert len(result.removed) == 1
    assert not (library_dir / "TV Shows" / "Caminandes (2013)").exists()
    assert (library_dir / "TV Shows").is_dir()


async def test_bad_removals_get_a_reason_and_touch_nothing(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path, tmp_path: Path
) -> None:
    movie = files(downloads_dir, "Sintel.2010.1080p.BluRay.x264-GRP", {"Sintel.2010.1080p.mkv": 20_000})
    async with start_organizer() as organizer:
        await organizer.complete(completed(movie))
        await organizer.settled()
        [item] = await organizer.items()
        with pytest.raises(RemoteError, match="no library item with id"):
            await remove(organizer, item_ids=[item.id.__class__(int=1)])
        with pytest.raises(RemoteError, match="say which items to remove"):
            await remove(organizer)
        with pytest.raises(RemoteError, match="has nothing of TMDB id 1"):
            await remove(organizer, tmdb_id=1, media_type=MediaType.MOVIE)

        # A title folder swapped for a link out of the library is never followed when deleting.
        folder = Path(item.folder)
        outside = tmp_path / "precious"
        outside.mkdir()
        (outside / "keep.mkv").write_bytes(os.urandom(100))
        moved = folder.with_name("moved")
        folder.rename(moved)
        folder.symlink_to(outside)
        with pytest.raises(RemoteError, match="not deleting"):
            await remove(organizer, item_ids=[item.id], delete_files=True)
        assert (outside / "keep.mkv").exists()
        assert [i.id for i in await organizer.items()] == [item.id]
