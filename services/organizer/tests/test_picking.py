"""Which file of a download is the movie, and which paths are never trusted."""

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from organizer.errors import CompletionUnusable, FilesNotReady
from organizer.library.picking import pick_video

from niluflix.contracts.downloads import DownloadedFile


def listed(folder: Path) -> list[DownloadedFile]:
    return [
        DownloadedFile(path=str(p), size=p.stat().st_size) for p in sorted(folder.rglob("*")) if p.is_file()
    ]


def test_largest_video_wins_over_samples_and_extras(downloads_dir: Path, files: Callable[..., Path]) -> None:
    folder = files(
        downloads_dir,
        "Sintel.2010.1080p.BluRay.x264-GRP",
        {
            "Sintel.2010.1080p.BluRay.x264-GRP.mkv": 3000,
            "Sample/sintel.sample.mkv": 4000,  # a sample folder, even larger than the movie
            "sintel-sample.mp4": 5000,
            "Sintel.2010.nfo": 9000,
            "Subs/English.srt": 100,
            "Extras/Making.of.mp4": 1000,
        },
    )
    picked = pick_video(str(folder), listed(folder), download_dirs=[downloads_dir], title="Sintel")
    assert picked.path == folder / "Sintel.2010.1080p.BluRay.x264-GRP.mkv"
    assert picked.size == 3000


def test_a_title_with_the_word_sample_still_finds_its_movie(
    downloads_dir: Path, files: Callable[..., Path]
) -> None:
    folder = files(
        downloads_dir,
        "The.Sample.2020.720p",
        {"The.Sample.2020.720p.mp4": 3000, "The.Sample.2020.sample.mp4": 300},
    )
    picked = pick_video(str(folder), listed(folder), download_dirs=[downloads_dir], title="The Sample")
    assert picked.path.name == "The.Sample.2020.720p.mp4"


def test_single_file_download(downloads_dir: Path, files: Callable[..., Path]) -> None:
    movie = downloads_dir / "Sintel.2010.mkv"
    movie.write_bytes(b"x" * 100)
    picked = pick_video(str(movie), listed(downloads_dir), download_dirs=[downloads_dir])
    assert picked.path == movie


def test_paths_that_leave_the_download_are_skipped(
    downloads_dir: Path, tmp_path: Path, files: Callable[..., Path]
) -> None:
    folder = files(downloads_dir, "Sintel", {"Sintel.mkv": 1000})
    outside = tmp_path / "etc"
    outside.mkdir()
    (outside / "x.mkv").write_bytes(b"x" * 50_000)
    (folder / "link.mkv").symlink_to(outside / "x.mkv")
    (folder / "sub").symlink_to(outside, target_is_directory=True)
    files = [
        DownloadedFile(path=f"{folder}/../../etc/x.mkv", size=50_000),
        DownloadedFile(path=str(outside / "x.mkv"), size=50_000),
        DownloadedFile(path="etc/x.mkv", size=50_000),
        DownloadedFile(path=str(folder / "link.mkv"), size=50_000),
        DownloadedFile(path=str(folder / "sub" / "x.mkv"), size=50_000),
        DownloadedFile(path=str(folder / "Sintel.mkv"), size=1000),
    ]
    picked = pick_video(str(folder), files, download_dirs=[downloads_dir])
    assert picked.path == folder / "Sintel.mkv"


def test_only_unsafe_or_non_video_files_is_unusable(
    downloads_dir: Path, tmp_path: Path, files: Callable[..., Path]
) -> None:
    folder = files(downloads_dir, "Fake", {"Fake.nfo": 10, "Fake.exe": 10_000, "Sample/Fake.mkv": 100})
    with pytest.raises(CompletionUnusable, match="no video file"):
        pick_video(str(folder), listed(folder), download_dirs=[downloads_dir])
    with pytest.raises(CompletionUnusable, match="left the download"):
        pick_video(
            str(folder), [DownloadedFile(path=f"{folder}/../x.mkv", size=1)], download_dirs=[downloads_dir]
        )


def test_a_download_outside_the_download_folders_is_refused(
    downloads_dir: Path, tmp_path: Path, files: Callable[..., Path]
) -> None:
    elsewhere = files(tmp_path, "Sintel", {"Sintel.mkv": 100})
    with pytest.raises(CompletionUnusable, match="not inside the download folders"):
        pick_video(str(elsewhere), listed(elsewhere), download_dirs=[downloads_dir])
    with pytest.raises(CompletionUnusable, match="plain absolute path"):
        pick_video(f"{downloads_dir}/../Sintel", listed(elsewhere), download_dirs=[downloads_dir])
    # A download folder that is a symlink to elsewhere is followed before the check.
    (downloads_dir / "evil").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(CompletionUnusable, match="not inside the download folders"):
        pick_video(str(downloads_dir / "evil"), listed(elsewhere), download_dirs=[downloads_dir])


def test_missing_or_short_files_are_worth_another_try(
    downloads_dir: Path, files: Callable[..., Path]
) -> None:
    folder = files(downloads_dir, "Sintel", {"Sintel.mkv": 1000})
    with pytest.raises(FilesNotReady, match="does not exist"):
        pick_video(str(downloads_dir / "Gone"), [], download_dirs=[downloads_dir])
    with pytest.raises(FilesNotReady, match="missing"):
        pick_video(
            str(folder),
            [
                DownloadedFile(path=str(folder / "Sintel.mkv"), size=1000),
                DownloadedFile(path=str(folder / "B.mkv"), size=5),
            ],
            download_dirs=[downloads_dir],
        )
    with pytest.raises(FilesNotReady, match="1000 of 2000 bytes"):
        pick_video(
            str(folder),
            [DownloadedFile(path=str(folder / "Sintel.mkv"), size=2000)],
            download_dirs=[downloads_dir],
        )


def test_names_with_odd_characters_are_fine_as_sources(
    downloads_dir: Path, files: Callable[..., Path]
) -> None:
    folder = files(downloads_dir, "Who: Are *You*?", {"Who: Are *You*? <1080p>.mkv": 100, "CON.mkv": 50})
    picked = pick_video(str(folder), listed(folder), download_dirs=[downloads_dir])
    assert picked.path.name == "Who: Are *You*? <1080p>.mkv"
    assert os.path.isfile(picked.path)
