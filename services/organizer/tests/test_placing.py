"""Placing a file in the library: hardlink or copy, and nothing half-done after any failure."""

import errno
import os
from pathlib import Path

import pytest
from organizer.library.placing import LinkMode, part_path, place_file


@pytest.fixture
def movie(tmp_path: Path) -> Path:
    path = tmp_path / "downloads" / "Sintel.2010.1080p.mkv"
    path.parent.mkdir()
    path.write_bytes(os.urandom(300_000))
    return path


def test_hardlink_on_the_same_filesystem(movie: Path, tmp_path: Path) -> None:
    placed = place_file(movie, tmp_path / "lib" / "Sintel (2010)", "Sintel (2010).mkv")
    assert placed == tmp_path / "lib" / "Sintel (2010)" / "Sintel (2010).mkv"
    assert placed.stat().st_ino == movie.stat().st_ino
    assert movie.stat().st_nlink == 2  # the torrent keeps its file and seeds on
    assert sorted(p.name for p in placed.parent.iterdir()) == ["Sintel (2010).mkv"]


def test_copy_when_forced(movie: Path, tmp_path: Path) -> None:
    placed = place_file(movie, tmp_path / "lib", "Sintel (2010).mkv", LinkMode.COPY)
    assert placed.stat().st_ino != movie.stat().st_ino
    assert placed.read_bytes() == movie.read_bytes()
    assert movie.stat().st_nlink == 1


def test_auto_copies_across_filesystems(movie: Path, other_filesystem: Path) -> None:
    placed = place_file(movie, other_filesystem / "Sintel (2010)", "Sintel (2010).mkv", LinkMode.AUTO)
    assert placed.read_bytes() == movie.read_bytes()
    assert [p.name for p in placed.parent.iterdir()] == ["Sintel (2010).mkv"]
    with pytest.raises(OSError) as raised:
        place_file(movie, other_filesystem / "Other", "x.mkv", LinkMode.HARDLINK)
    assert raised.value.errno == errno.EXDEV
    assert list((other_filesystem / "Other").iterdir()) == []


@pytest.mark.parametrize("mode", [LinkMode.AUTO, LinkMode.COPY])
def test_placing_again_keeps_the_placed_file(movie: Path, tmp_path: Path, mode: LinkMode) -> None:
    first = place_file(movie, tmp_path / "lib", "Sintel (2010).mkv", mode)
    before = first.stat()
    again = place_file(movie, tmp_path / "lib", "Sintel (2010).mkv", mode)
    after = again.stat()
    assert again == first
    assert (after.st_ino, after.st_ctime_ns) == (before.st_ino, before.st_ctime_ns)


def test_a_half_copied_part_file_is_redone(movie: Path, tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    part = part_path(folder / "Sintel (2010).mkv")
    part.write_bytes(movie.read_bytes()[:1000])  # a crash in the middle of the copy
    placed = place_file(movie, folder, "Sintel (2010).mkv", LinkMode.COPY)
    assert placed.read_bytes() == movie.read_bytes()
    assert not part.exists()


def test_another_file_at_the_target_is_replaced(movie: Path, tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "Sintel (2010).mkv").write_bytes(b"an older release")
    placed = place_file(movie, folder, "Sintel (2010).mkv")
    assert placed.stat().st_ino == movie.stat().st_ino
    assert sorted(p.name for p in folder.iterdir()) == ["Sintel (2010).mkv"]


def test_a_full_disk_leaves_nothing_behind(movie: Path, small_disk) -> None:
    folder = small_disk.path / "Sintel (2010)"
    with pytest.raises(OSError) as raised:
        place_file(movie, folder, "Sintel (2010).mkv")
    assert raised.value.errno == errno.ENOSPC
    assert list(folder.iterdir()) == []
    small_disk.resize("1m")
    assert place_file(movie, folder, "Sintel (2010).mkv").read_bytes() == movie.read_bytes()


def test_a_missing_source_is_an_error_not_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        place_file(tmp_path / "gone.mkv", tmp_path / "lib", "x.mkv")
    assert list((tmp_path / "lib").iterdir()) == []
