"""A real `python -m organizer` killed (SIGKILL, as a power cut) at the moments that matter, then restarted:
the movie ends up in the library once, recorded once, announced once, with nothing half-done left."""

import asyncio
import signal
from pathlib import Path

import pytest
from organizer.library.placing import PART_SUFFIX

from niluflix.contracts.common import MediaType

MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("failpoint", "link_mode", "size"),
    [
        ("organizer.mid_copy", "copy", 20 * MIB),  # copies go in 16 MiB pieces: killed half way
        ("organizer.after_place", "auto", 50_000),  # file in place, no record
        ("organizer.after_record", "auto", 50_000),  # recorded, not announced
    ],
)
async def test_a_killed_organizer_finishes_the_job_after_a_restart(
    organizer_process,
    connect,
    files,
    completed,
    downloads_dir: Path,
    library_dir: Path,
    failpoint: str,
    link_mode: str,
    size: int,
) -> None:
    process = organizer_process(failpoints=failpoint, link_mode=link_mode, ack_wait=1.0)
    folder = files(downloads_dir, "Sintel.2010", {"Sintel.2010.mkv": size})
    event = completed(folder)
    target = library_dir / "Movies" / "Sintel (2010)"

    async with connect(process.settings) as organizer:
        process.start()
        await process.ready(organizer)
        await organizer.complete(event)
        assert await asyncio.to_thread(process.wait, 30) == -signal.SIGKILL
        left = sorted(p.name for p in target.iterdir())
        if failpoint == "organizer.mid_copy":
            assert left == [f".Sintel (2010).mkv{PART_SUFFIX}"]
        else:
            assert "Sintel (2010).mkv" in left

        process.start()
        await process.ready(organizer)
        [item] = await organizer.wait_items(1)
        await organizer.settled()
        events = await organizer.added_events()

    assert item.job_id == event.job.id
    assert sorted(p.name for p in target.iterdir()) == ["Sintel (2010).mkv", "metadata.json"]
    assert Path(item.path).read_bytes() == (folder / "Sintel.2010.mkv").read_bytes()
    assert [e.item for e in events] == [item]


@pytest.mark.parametrize("failpoint", ["organizer.after_place", "organizer.after_record"])
async def test_a_killed_organizer_finishes_a_season_pack_after_a_restart(
    organizer_process, connect, files, completed, downloads_dir: Path, library_dir: Path, failpoint: str
) -> None:
    process = organizer_process(failpoints=failpoint, ack_wait=1.0)
    pack = files(
        downloads_dir,
        "Show.S01",
        {"Show.S01E01.mkv": 5000, "Show.S01E02.mkv": 6000, "Show.S01E02.en.srt": 10},
    )
    event = completed(pack, title="Show", year=2020, tmdb_id=7, media_type=MediaType.TV, season=1)
    season = library_dir / "TV Shows" / "Show (2020)" / "Season 01"

    async with connect(process.settings) as organizer:
        process.start()
        await process.ready(organizer)
        await organizer.complete(event)
        assert await asyncio.to_thread(process.wait, 30) == -signal.SIGKILL

        process.start()
        await process.ready(organizer)
        items = await organizer.wait_items(2)
        await organizer.settled()
        events = await organizer.added_events()

    assert sorted(p.name for p in season.iterdir()) == [
        "Show (2020) - S01E01.mkv",
        "Show (2020) - S01E02.en.srt",
        "Show (2020) - S01E02.mkv",
    ]
    assert [(i.episodes, i.job_id) for i in items] == [([1], event.job.id), ([2], event.job.id)]
    assert sorted(e.item.path for e in events) == [i.path for i in items]
