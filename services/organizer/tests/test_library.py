"""The library over time: upgrades, namesakes, a moved library folder, a full or unwritable disk, health."""

import json
from pathlib import Path

from niluflix.contracts import library
from niluflix.contracts.common import ErrorCode, ErrorReply
from niluflix.contracts.settings import SharedSettings
from niluflix.messaging import ERROR_HEADER
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings


async def test_a_newer_download_replaces_the_movie_file(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    old = files(downloads_dir, "Sintel.2010.720p", {"Sintel.2010.720p.mp4": 30_000})
    new = files(downloads_dir, "Sintel.2010.2160p", {"Sintel.2010.2160p.mkv": 60_000})
    first = completed(old, release_name="Sintel.2010.720p")
    second = completed(new, release_name="Sintel.2010.2160p")
    async with start_organizer() as organizer:
        await organizer.complete(first)
        await organizer.wait_items(1)
        await organizer.complete(second)
        await organizer.settled()
        [item] = await organizer.items()
        # A late redelivery of the first download must not bring the old file back.
        await organizer.complete(first)
        await organizer.settled()
        assert await organizer.items() == [item]
        events = await organizer.added_events()

    folder = library_dir / "Movies" / "Sintel (2010)"
    assert item.job_id == second.job.id
    assert sorted(p.name for p in folder.iterdir()) == ["Sintel (2010).mkv", "metadata.json"]
    assert Path(item.path).stat().st_ino == (new / "Sintel.2010.2160p.mkv").stat().st_ino
    assert json.loads((folder / "metadata.json").read_text())["release_name"] == "Sintel.2010.2160p"
    assert (old / "Sintel.2010.720p.mp4").exists()  # the old torrent keeps its file
    assert [e.item.job_id for e in events] == [first.job.id, second.job.id]


async def test_same_title_and_year_but_another_movie_gets_its_own_folder(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    one = files(downloads_dir, "Crash.2004", {"Crash.2004.mkv": 10_000})
    other = files(downloads_dir, "Crash.2004.Other", {"Crash.2004.Other.mkv": 20_000})
    async with start_organizer() as organizer:
        await organizer.complete(completed(one, title="Crash", year=2004, tmdb_id=1640))
        await organizer.wait_items(1)
        await organizer.complete(completed(other, title="Crash", year=2004, tmdb_id=99999))
        items = await organizer.wait_items(2)
    assert sorted(Path(i.path).relative_to(library_dir).as_posix() for i in items) == [
        "Movies/Crash (2004) {tmdb-99999}/Crash (2004).mkv",
        "Movies/Crash (2004)/Crash (2004).mkv",
    ]


async def test_the_library_folder_can_move_without_a_restart(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path, tmp_path: Path
) -> None:
    moved = tmp_path / "elsewhere"
    async with start_organizer() as organizer:
        await organizer.complete(completed(files(downloads_dir, "A", {"A.mkv": 1000}), title="A", tmdb_id=1))
        await organizer.wait_items(1)

        settings = LiveSettings(organizer.js, SecretBox.from_env_or_file(organizer.settings.data_dir))
        await settings.start()
        try:
            await settings.save(SharedSettings(library_dir=str(moved)))
        finally:
            await settings.stop()

        async def uses_new_folder() -> bool:
            health = await organizer.health()
            return any(c.name == "library" and c.detail == str(moved) for c in health.checks)

        await organizer.until(uses_new_folder, what="the organizer sees the new library folder")
        await organizer.complete(completed(files(downloads_dir, "B", {"B.mkv": 1000}), title="B", tmdb_id=2))
        items = await organizer.wait_items(2)
    assert {i.title: i.path for i in items} == {
        "A": str(library_dir / "Movies" / "A (2010)" / "A (2010).mkv"),
        "B": str(moved / "Movies" / "B (2010)" / "B (2010).mkv"),
    }


async def test_a_full_disk_is_retried_and_leaves_nothing_half_done(
    start_organizer, files, completed, downloads_dir: Path, small_disk, monkeypatch, caplog
) -> None:
    monkeypatch.setenv("NILUFLIX_LIBRARY_DIR", str(small_disk.path))
    folder = files(downloads_dir, "Sintel.2010", {"Sintel.2010.mkv": 400_000})  # the disk holds 256 KiB
    event = completed(folder)
    target = small_disk.path / "Movies" / "Sintel (2010)"
    async with start_organizer(max_deliver=1000) as organizer:
        await organizer.complete(event)
        await organizer.until(
            lambda: any(
                "no space left" in r.getMessage() and str(event.job.id) in r.getMessage()
                for r in caplog.records
            ),
            what="a log line naming the full disk",
        )
        assert not any(p.name != "metadata.json" for p in target.iterdir())
        assert await organizer.items() == []
        small_disk.resize("2m")
        [item] = await organizer.wait_items(1)
    assert Path(item.path).read_bytes() == (folder / "Sintel.2010.mkv").read_bytes()
    assert sorted(p.name for p in target.iterdir()) == ["Sintel (2010).mkv", "metadata.json"]


async def test_an_unwritable_library_is_retried(
    start_organizer, files, completed, downloads_dir: Path, tmp_path: Path, monkeypatch, caplog
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the library folder should be")
    monkeypatch.setenv("NILUFLIX_LIBRARY_DIR", str(blocked / "library"))
    event = completed(files(downloads_dir, "Sintel.2010", {"Sintel.2010.mkv": 1000}))
    async with start_organizer(max_deliver=1000) as organizer:
        health = await organizer.health()
        assert not health.ok
        assert [c.detail for c in health.checks if c.name == "library"] == [f"{blocked} is not a folder"]
        await organizer.complete(event)
        await organizer.until(
            lambda: any(
                "cannot be written" in r.getMessage() and str(event.job.id) in r.getMessage()
                for r in caplog.records
            ),
            what="a log line naming the unwritable library",
        )
        blocked.unlink()
        [item] = await organizer.wait_items(1)
        assert (await organizer.health()).ok
    assert Path(item.path).is_file()


async def test_health(start_organizer, library_dir: Path) -> None:
    async with start_organizer() as organizer:
        health = await organizer.health()
    assert health.service == "organizer" and health.ok
    assert {(c.name, c.ok) for c in health.checks} == {("database", True), ("library", True)}
    assert [c.detail for c in health.checks if c.name == "library"] == [str(library_dir)]


async def test_a_bad_request_gets_a_typed_error(start_organizer) -> None:
    async with start_organizer() as organizer:
        reply = await organizer.client.request({"media_type": "radio"}, library.LIST, timeout=5)
    assert reply.headers[ERROR_HEADER] == "invalid_request"
    error = ErrorReply.model_validate_json(reply.body)
    assert error.code is ErrorCode.INVALID_REQUEST and "media_type" in error.message
