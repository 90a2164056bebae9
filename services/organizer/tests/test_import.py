"""A finished download becomes a movie in the library: over real NATS, on SQLite and PostgreSQL."""

import json
import os
from collections.abc import Callable
from pathlib import Path

from faststream.nats import NatsBroker
from organizer.library.placing import part_path, place_file

from niluflix.contracts.catalog import DETAILS, GetTitle, TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import COMPLETED, EVENTS_STREAM, DownloadCompleted, DownloadedFile


async def test_a_completion_becomes_a_movie_in_the_library(
    start_organizer,
    files: Callable[..., Path],
    completed: Callable[..., DownloadCompleted],
    downloads_dir: Path,
    library_dir: Path,
) -> None:
    folder = files(
        downloads_dir,
        "Sintel.2010.1080p.BluRay.x264-GRP",
        {
            "Sintel.2010.1080p.BluRay.x264-GRP.mkv": 200_000,
            "Sample/sintel-sample.mkv": 300_000,
            "Sintel.2010.1080p.BluRay.x264-GRP.nfo": 400_000,
        },
    )
    event = completed(folder, title="Sintel", year=2010, tmdb_id=45745, imdb_id="tt1727587")
    async with start_organizer() as organizer:
        await organizer.complete(event)
        [item] = await organizer.wait_items(1)
        await organizer.settled()
        events = await organizer.added_events()

    movie = library_dir / "Movies" / "Sintel (2010)" / "Sintel (2010).mkv"
    source = folder / "Sintel.2010.1080p.BluRay.x264-GRP.mkv"
    assert movie.stat().st_ino == source.stat().st_ino  # hardlinked: the torrent keeps seeding
    assert sorted(p.name for p in movie.parent.iterdir()) == ["Sintel (2010).mkv", "metadata.json"]
    assert (item.title, item.year, item.tmdb_id, item.job_id) == ("Sintel", 2010, 45745, event.job.id)
    assert (item.path, item.folder, item.size) == (str(movie), str(movie.parent), 200_000)

    metadata = json.loads((movie.parent / "metadata.json").read_text())
    assert metadata["tmdb_id"] == 45745
    assert metadata["title"] == "Sintel" and metadata["year"] == 2010
    assert metadata["release_name"] == "Sintel.2010.1080p.BluRay.x264-GRP"
    assert metadata["size"] == 200_000
    assert metadata["job_id"] == str(event.job.id)
    assert metadata["file"] == "Sintel (2010).mkv"
    assert metadata["imdb_id"] == "tt1727587"
    assert "added_at" in metadata

    assert [e.item for e in events] == [item]


async def test_copy_when_hardlinks_are_not_wanted(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    folder = files(downloads_dir, "Sintel.2010.720p", {"Sintel.2010.720p.mp4": 100_000})
    async with start_organizer(link_mode="copy") as organizer:
        await organizer.complete(completed(folder))
        [item] = await organizer.wait_items(1)

    movie = Path(item.path)
    source = folder / "Sintel.2010.720p.mp4"
    assert movie == library_dir / "Movies" / "Sintel (2010)" / "Sintel (2010).mp4"
    assert movie.stat().st_ino != source.stat().st_ino
    assert movie.read_bytes() == source.read_bytes()


async def test_unsafe_names_are_made_safe(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "etc" / "x.mkv"
    secret.parent.mkdir()
    secret.write_bytes(os.urandom(50_000))
    folder = files(downloads_dir, "Who.Am.I.2014", {"Who: Am *I*?.mkv": 20_000, "info.nfo": 90_000})
    listed = completed(folder).files
    listed.append(DownloadedFile(path=f"{folder}/../../etc/x.mkv", size=50_000))
    con = files(downloads_dir, "CON", {"CON.mkv": 10_000})

    async with start_organizer() as organizer:
        await organizer.complete(
            completed(folder, title="Who: Am I?", year=2014, tmdb_id=284427, files=listed)
        )
        await organizer.complete(completed(con, title="CON", year=None, tmdb_id=999))
        items = await organizer.wait_items(2)

    movies = library_dir / "Movies"
    assert sorted(p.relative_to(movies).as_posix() for p in movies.rglob("*.mkv")) == [
        "CON_/CON_.mkv",
        "Who - Am I (2014)/Who - Am I (2014).mkv",
    ]
    assert {i.title for i in items} == {"Who: Am I?", "CON"}  # the record keeps the real title
    assert (movies / "Who - Am I (2014)" / "Who - Am I (2014).mkv").stat().st_size == 20_000
    assert secret.stat().st_nlink == 1  # never linked into the library


async def test_a_redelivered_completion_changes_nothing(
    start_organizer, settings_for, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    folder = files(downloads_dir, "Sintel.2010", {"Sintel.2010.mkv": 50_000})
    event = completed(folder)
    settings = settings_for()
    async with start_organizer(settings) as organizer:
        await organizer.complete(event)
        await organizer.complete(event)
        await organizer.settled()
        [item] = await organizer.items()
    movie = Path(item.path)
    placed = movie.stat()

    # Again after a restart, with the same durable consumer.
    async with start_organizer(settings) as organizer:
        await organizer.complete(event)
        await organizer.settled()
        assert await organizer.items() == [item]
        events = await organizer.added_events()

    assert [e.item for e in events] == [item]
    assert sorted(p.name for p in movie.parent.iterdir()) == ["Sintel (2010).mkv", "metadata.json"]
    assert (movie.stat().st_ino, movie.stat().st_ctime_ns) == (placed.st_ino, placed.st_ctime_ns)


async def test_a_file_placed_before_a_crash_is_recorded_not_placed_again(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    folder = files(downloads_dir, "Sintel.2010", {"Sintel.2010.mkv": 50_000})
    target_dir = library_dir / "Movies" / "Sintel (2010)"
    placed = place_file(folder / "Sintel.2010.mkv", target_dir, "Sintel (2010).mkv")  # then the crash
    before = placed.stat()
    async with start_organizer() as organizer:
        await organizer.complete(completed(folder))
        [item] = await organizer.wait_items(1)
        await organizer.settled()
        events = await organizer.added_events()
    assert item.path == str(placed)
    assert (placed.stat().st_ino, placed.stat().st_ctime_ns) == (before.st_ino, before.st_ctime_ns)
    assert [e.item for e in events] == [item]


async def test_a_half_copied_file_is_copied_again(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    folder = files(downloads_dir, "Sintel.2010", {"Sintel.2010.mkv": 300_000})
    target_dir = library_dir / "Movies" / "Sintel (2010)"
    target_dir.mkdir(parents=True)
    part = part_path(target_dir / "Sintel (2010).mkv")
    part.write_bytes(b"\0" * 1000)
    async with start_organizer(link_mode="copy") as organizer:
        await organizer.complete(completed(folder))
        [item] = await organizer.wait_items(1)
    assert Path(item.path).read_bytes() == (folder / "Sintel.2010.mkv").read_bytes()
    assert sorted(p.name for p in target_dir.iterdir()) == ["Sintel (2010).mkv", "metadata.json"]


async def test_files_not_there_yet_are_tried_again(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path, caplog
) -> None:
    content = downloads_dir / "Sintel.2010"
    event = completed(content, files=[DownloadedFile(path=str(content / "Sintel.2010.mkv"), size=40_000)])
    async with start_organizer(max_deliver=100) as organizer:
        await organizer.complete(event)
        await organizer.until(
            lambda: any(
                f"job {event.job.id} (Sintel) not imported" in r.getMessage()
                and "does not exist" in r.getMessage()
                for r in caplog.records
            ),
            what="a log line naming the cause",
        )
        assert await organizer.items() == []
        files(downloads_dir, "Sintel.2010", {"Sintel.2010.mkv": 40_000})
        [item] = await organizer.wait_items(1)
    assert Path(item.path).stat().st_ino == (content / "Sintel.2010.mkv").stat().st_ino


async def test_a_download_without_a_movie_is_dropped_not_retried(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path, caplog
) -> None:
    folder = files(downloads_dir, "Fake.2010", {"Fake.2010.nfo": 100, "Fake.2010.exe": 100_000})
    event = completed(folder)
    show = completed(
        files(downloads_dir, "Show.S01", {"Show.Pilot.mkv": 100, "Show.Finale.mkv": 100}),
        media_type=MediaType.TV,
    )
    async with start_organizer() as organizer:
        await organizer.complete(event)
        await organizer.complete(show)
        await organizer.client.publish(b'{"job": "not a job"}', COMPLETED, stream=EVENTS_STREAM)
        await organizer.settled()
        info = await organizer.js.consumer_info("DOWNLOAD_EVENTS", organizer.settings.consumer_name)
        assert await organizer.items() == []
    assert info.num_redelivered == 0
    assert any(
        f"job {event.job.id} (Sintel) cannot be imported: no video file" in r.getMessage()
        for r in caplog.records
    )
    assert any(
        f"job {show.job.id} (Sintel) cannot be imported: no episode file" in r.getMessage()
        for r in caplog.records
    )
    assert not (library_dir / "Movies").exists()
    assert not (library_dir / "TV Shows").exists()


async def test_the_completion_is_filed_by_its_own_facts_without_asking_catalog(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path, nats_server: str
) -> None:
    catalog = NatsBroker(nats_server)
    asked: list[int] = []

    @catalog.subscriber(DETAILS)
    async def details(request: GetTitle) -> TitleDetails:
        asked.append(request.tmdb_id)
        return TitleDetails(tmdb_id=request.tmdb_id, title="Wrong", year=1999, imdb_id="tt0000001")

    tears = files(downloads_dir, "tos.720p", {"tos.720p.mov": 1000})
    old = files(downloads_dir, "Sintel.2010", {"Sintel.2010.mkv": 2000})
    # A downloader older than the facts wrote this one: no "facts" key at all.
    old_event = completed(old, title="Sintel", year=2010, tmdb_id=45745).model_dump(
        mode="json", exclude={"facts"}
    )
    async with catalog, start_organizer() as organizer:
        await catalog.start()
        await organizer.complete(
            completed(tears, title="Tears of Steel", year=2012, tmdb_id=133701, imdb_id="tt2285752")
        )
        await organizer.client.publish(old_event, COMPLETED, stream=EVENTS_STREAM)
        items = sorted(await organizer.wait_items(2), key=lambda i: i.title)

    movies = library_dir / "Movies"
    assert [(i.title, i.year, i.path) for i in items] == [
        ("Sintel", 2010, str(movies / "Sintel (2010)" / "Sintel (2010).mkv")),
        ("Tears of Steel", 2012, str(movies / "Tears of Steel (2012)" / "Tears of Steel (2012).mov")),
    ]
    imdb = [json.loads((Path(i.folder) / "metadata.json").read_text())["imdb_id"] for i in items]
    assert imdb == [None, "tt2285752"]
    assert asked == []
