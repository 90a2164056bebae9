"""A finished download of a show becomes episode files in the library: over real NATS, SQLite and PostgreSQL."""

import json
import os
from datetime import date
from pathlib import Path

from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import DownloadedFile, EpisodeFacts

EXPANSE = {"title": "The Expanse", "year": 2015, "tmdb_id": 63639, "tvdb_id": 280619}
SHOW = "TV Shows/The Expanse (2015)"


def expanse(
    completed, content: Path, *, season: int, episodes: list[int], named: list[int] | None = None, **overrides
):
    """The completion of a job for these episodes; its facts name `named` (the whole season, as the
    downloader sends them), by default only the job's episodes, as an older downloader did."""
    names = {
        (0, 1): "Behind the Belt",
        (1, 1): "Dulcinea",
        (1, 2): "The Big Empty: Part One?",
        (1, 3): "Remember the Cant",
        (2, 5): "Home",
        (2, 6): "Paradigm Shift",
    }
    facts = [
        EpisodeFacts(season=season, episode=e, name=names.get((season, e), "")) for e in named or episodes
    ]
    values = {
        **EXPANSE,
        "media_type": MediaType.TV,
        "season": season,
        "episodes": episodes,
        "episode_facts": facts,
        "release_name": content.name,
        **overrides,
    }
    return completed(content, **values)


def library_files(library_dir: Path) -> list[str]:
    return sorted(p.relative_to(library_dir).as_posix() for p in library_dir.rglob("*") if p.is_file())


async def test_a_season_pack_is_split_into_its_episodes_with_their_subtitles(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path, tmp_path: Path
) -> None:
    pack = files(
        downloads_dir,
        "The.Expanse.S01.1080p.WEB-DL-GRP",
        {
            "The.Expanse.S01E01.1080p.WEB-DL-GRP.mkv": 30_000,
            "The.Expanse.S01E02.1080p.WEB-DL-GRP.mkv": 31_000,
            # not asked for by the job, but part of the pack: filed too, without a title an older
            # downloader's facts did not carry
            "The.Expanse.S01E03.1080p.WEB-DL-GRP.mkv": 32_000,
            "The.Expanse.S01E01.en.srt": 100,
            "The.Expanse.S01E01.eng.forced.srt": 101,
            "Subs/The.Expanse.S01E02.1080p.WEB-DL-GRP/2_English.srt": 102,
            "Subs/The.Expanse.S01E02.1080p.WEB-DL-GRP/5_French.sdh.srt": 103,
            "The.Expanse.S01E03.idx": 104,
            "The.Expanse.S01E03.sub": 105,
            "Sample/the.expanse.s01e01.sample.mkv": 5_000,
            "The.Expanse.S01E02.1080p-sample.mkv": 5_000,
            "Featurettes/The.Expanse.S01E01.Behind.The.Scenes.mkv": 40_000,
            "Extras/Making.Of.mkv": 40_000,
            "The.Expanse.S01.1080p.WEB-DL-GRP.nfo": 300,
            "Screens/shot1.jpg": 300,
        },
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "The.Expanse.S01E09.mkv").write_bytes(os.urandom(50_000))
    (pack / "The.Expanse.S01E09.1080p.mkv").symlink_to(outside / "The.Expanse.S01E09.mkv")
    event = expanse(completed, pack, season=1, episodes=[1, 2])
    # A name in the torrent that climbs out of the download is never followed.
    event.files.append(DownloadedFile(path=f"{pack}/../../elsewhere/The.Expanse.S01E08.mkv", size=1))

    async with start_organizer() as organizer:
        await organizer.complete(event)
        await organizer.settled()
        items = await organizer.items()
        events = await organizer.added_events()

    season = f"{SHOW}/Season 01"
    assert library_files(library_dir) == [
        f"{season}/The Expanse (2015) - S01E01 - Dulcinea.en.forced.srt",
        f"{season}/The Expanse (2015) - S01E01 - Dulcinea.en.srt",
        f"{season}/The Expanse (2015) - S01E01 - Dulcinea.mkv",
        f"{season}/The Expanse (2015) - S01E02 - The Big Empty - Part One.en.srt",
        f"{season}/The Expanse (2015) - S01E02 - The Big Empty - Part One.fr.sdh.srt",
        f"{season}/The Expanse (2015) - S01E02 - The Big Empty - Part One.mkv",
        f"{season}/The Expanse (2015) - S01E03.idx",
        f"{season}/The Expanse (2015) - S01E03.mkv",
        f"{season}/The Expanse (2015) - S01E03.sub",
        f"{SHOW}/metadata.json",
    ]
    assert [(i.season, i.episodes, i.size, i.job_id) for i in items] == [
        (1, [1], 30_000, event.job.id),
        (1, [2], 31_000, event.job.id),
        (1, [3], 32_000, event.job.id),
    ]
    assert all(
        (i.media_type, i.tmdb_id, i.title, i.year) == (MediaType.TV, 63639, "The Expanse", 2015)
        for i in items
    )
    assert {i.folder for i in items} == {str(library_dir / SHOW)}
    first = Path(items[0].path)
    assert first.stat().st_ino == (pack / "The.Expanse.S01E01.1080p.WEB-DL-GRP.mkv").stat().st_ino
    subtitle = first.with_name("The Expanse (2015) - S01E02 - The Big Empty - Part One.fr.sdh.srt")
    assert (
        subtitle.read_bytes()
        == (pack / "Subs/The.Expanse.S01E02.1080p.WEB-DL-GRP/5_French.sdh.srt").read_bytes()
    )
    assert sorted(e.item.path for e in events) == [i.path for i in items]
    metadata = json.loads((library_dir / SHOW / "metadata.json").read_text())
    assert (metadata["tmdb_id"], metadata["tvdb_id"], metadata["media_type"]) == (63639, 280619, "tv")


async def test_single_episodes_multi_episode_files_and_specials(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    single = files(downloads_dir, ".", {"The.Expanse.S02E06.720p.HDTV.x264.mkv": 1000}) / (
        "The.Expanse.S02E06.720p.HDTV.x264.mkv"
    )
    # A lone file whose name names no episode is the one the job asked for.
    unnamed = files(downloads_dir, "expanse-205", {"expanse-205.mp4": 1100})
    double = files(downloads_dir, "The.Expanse.S01E01E02.720p", {"The.Expanse.S01E01E02.720p.mkv": 1200})
    special = files(downloads_dir, "The.Expanse.S00E01.WEB", {"The.Expanse.S00E01.WEB.mkv": 1300})
    async with start_organizer() as organizer:
        await organizer.complete(expanse(completed, single, season=2, episodes=[6]))
        await organizer.complete(expanse(completed, unnamed, season=2, episodes=[5]))
        await organizer.complete(expanse(completed, double, season=1, episodes=[1, 2]))
        await organizer.complete(expanse(completed, special, season=0, episodes=[1]))
        await organizer.settled()
        items = await organizer.items()

    assert [(Path(i.path).relative_to(library_dir).as_posix(), i.season, i.episodes) for i in items] == [
        (f"{SHOW}/Season 00/The Expanse (2015) - S00E01 - Behind the Belt.mkv", 0, [1]),
        (
            f"{SHOW}/Season 01/The Expanse (2015) - S01E01-E02 - Dulcinea + The Big Empty - Part One.mkv",
            1,
            [1, 2],
        ),
        (f"{SHOW}/Season 02/The Expanse (2015) - S02E05 - Home.mp4", 2, [5]),
        (f"{SHOW}/Season 02/The Expanse (2015) - S02E06 - Paradigm Shift.mkv", 2, [6]),
    ]


async def test_a_daily_show_is_named_by_its_date(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    known = files(
        downloads_dir, "The.Daily.Show.2024.03.15.Guest.720p", {"The.Daily.Show.2024.03.15.720p.mkv": 900}
    )
    unknown = files(downloads_dir, "The.Daily.Show.2024.03.18.720p", {"the.daily.show.2024.03.18.mkv": 800})
    facts = [EpisodeFacts(season=29, episode=30, name="Jane Doe", air_date=date(2024, 3, 15))]
    show = {"title": "The Daily Show", "year": 1996, "tmdb_id": 2224, "media_type": MediaType.TV}
    async with start_organizer() as organizer:
        await organizer.complete(completed(known, season=29, episodes=[30], episode_facts=facts, **show))
        await organizer.complete(completed(unknown, **show))
        await organizer.settled()
        items = await organizer.items()

    folder = "TV Shows/The Daily Show (1996)"
    assert [
        (Path(i.path).relative_to(library_dir).as_posix(), i.season, i.episodes, i.air_date) for i in items
    ] == [
        (f"{folder}/Season 2024/The Daily Show (1996) - 2024-03-18.mkv", 2024, [], date(2024, 3, 18)),
        (
            f"{folder}/Season 29/The Daily Show (1996) - 2024-03-15 - Jane Doe.mkv",
            29,
            [30],
            date(2024, 3, 15),
        ),
    ]


async def test_a_download_outside_the_download_folders_is_refused(
    start_organizer, completed, library_dir: Path, tmp_path: Path, caplog
) -> None:
    outside = tmp_path / "elsewhere" / "The.Expanse.S01E01.mkv"
    outside.parent.mkdir()
    outside.write_bytes(os.urandom(1000))
    event = expanse(completed, outside, season=1, episodes=[1])
    async with start_organizer() as organizer:
        await organizer.complete(event)
        await organizer.settled()
        assert await organizer.items() == []
    assert any(
        f"job {event.job.id} (The Expanse) cannot be imported" in r.getMessage()
        and "not inside the download folders" in r.getMessage()
        for r in caplog.records
    )
    assert not library_dir.exists() or library_files(library_dir) == []


async def test_redelivery_changes_nothing_and_a_newer_episode_replaces_the_old(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    old = files(
        downloads_dir,
        "The.Expanse.S01E01.720p",
        {"The.Expanse.S01E01.720p.mkv": 1000, "The.Expanse.S01E01.720p.de.srt": 10},
    )
    pack = files(
        downloads_dir,
        "The.Expanse.S01.2160p",
        {"The.Expanse.S01E01.2160p.mp4": 4000, "The.Expanse.S01E02.2160p.mp4": 4100},
    )
    first = expanse(completed, old, season=1, episodes=[1])
    upgrade = expanse(completed, pack, season=1, episodes=[1, 2])
    async with start_organizer() as organizer:
        await organizer.complete(first)
        await organizer.settled()
        [item] = await organizer.items()
        placed = Path(item.path).stat()
        await organizer.complete(first)
        await organizer.settled()
        assert await organizer.items() == [item]
        assert (Path(item.path).stat().st_ino, Path(item.path).stat().st_ctime_ns) == (
            placed.st_ino,
            placed.st_ctime_ns,
        )
        assert len(await organizer.added_events()) == 1

        await organizer.complete(upgrade)
        await organizer.settled()
        # A late redelivery of the first download must not bring the old file back.
        await organizer.complete(first)
        await organizer.settled()
        items = await organizer.items()
        events = await organizer.added_events()

    season = f"{SHOW}/Season 01"
    assert library_files(library_dir) == [
        f"{season}/The Expanse (2015) - S01E01 - Dulcinea.mp4",
        f"{season}/The Expanse (2015) - S01E02 - The Big Empty - Part One.mp4",
        f"{SHOW}/metadata.json",
    ]
    assert [(i.episodes, i.job_id) for i in items] == [([1], upgrade.job.id), ([2], upgrade.job.id)]
    assert [e.item.job_id for e in events] == [first.job.id, upgrade.job.id, upgrade.job.id]
    assert (old / "The.Expanse.S01E01.720p.mkv").exists()  # the old torrent keeps its files


async def test_the_library_lists_one_title_by_its_tmdb_id(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    episode = files(downloads_dir, "The.Expanse.S01E01", {"The.Expanse.S01E01.mkv": 1000})
    other = files(downloads_dir, "Other.Show.S01E01", {"Other.Show.S01E01.mkv": 1000})
    movie = files(downloads_dir, "Sintel.2010", {"Sintel.2010.mkv": 1000})
    async with start_organizer() as organizer:
        await organizer.complete(expanse(completed, episode, season=1, episodes=[1]))
        await organizer.complete(
            completed(
                other,
                title="Other Show",
                year=2020,
                tmdb_id=5,
                media_type=MediaType.TV,
                season=1,
                episodes=[1],
            )
        )
        await organizer.complete(completed(movie))
        await organizer.settled()
        assert [i.title for i in await organizer.items(tmdb_id=63639)] == ["The Expanse"]
        assert [i.title for i in await organizer.items(media_type=MediaType.TV)] == [
            "Other Show",
            "The Expanse",
        ]
        assert [i.title for i in await organizer.items(media_type=MediaType.MOVIE)] == ["Sintel"]
        assert await organizer.items(tmdb_id=63639, media_type=MediaType.MOVIE) == []


async def test_a_pack_fills_the_gaps_but_keeps_episodes_it_was_not_asked_for(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    mine = files(
        downloads_dir, "The.Expanse.S01E01.2160p.REMUX", {"The.Expanse.S01E01.2160p.REMUX.mkv": 9000}
    )
    pack = files(
        downloads_dir,
        "The.Expanse.S01.480p",
        {f"The.Expanse.S01E0{n}.480p.avi": 1000 + n for n in (1, 2, 3)},
    )
    chosen = expanse(completed, mine, season=1, episodes=[1])
    # The facts name the whole season: the pack's episodes the job did not ask for get their titles too.
    for_two = expanse(completed, pack, season=1, episodes=[2], named=[1, 2, 3])
    async with start_organizer() as organizer:
        await organizer.complete(chosen)
        await organizer.settled()
        await organizer.complete(for_two)
        await organizer.settled()
        items = await organizer.items()

    season = f"{SHOW}/Season 01"
    assert [(Path(i.path).relative_to(library_dir).as_posix(), i.job_id) for i in items] == [
        (f"{season}/The Expanse (2015) - S01E01 - Dulcinea.mkv", chosen.job.id),
        (f"{season}/The Expanse (2015) - S01E02 - The Big Empty - Part One.avi", for_two.job.id),
        (f"{season}/The Expanse (2015) - S01E03 - Remember the Cant.avi", for_two.job.id),
    ]
    assert Path(items[0].path).stat().st_ino == (mine / "The.Expanse.S01E01.2160p.REMUX.mkv").stat().st_ino


async def test_a_pack_of_a_known_season_reads_bare_episode_numbers(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    pack = files(
        downloads_dir,
        "[Group] Frieren S2 [1080p]",
        {
            "[Group] Frieren - 01 [1080p].mkv": 1000,
            "[Group] Frieren - 02v2 [1080p].mkv": 1001,
            "[Group] Frieren - 02v2 [1080p].en.ass": 10,
            "[Group] Frieren - NCOP [1080p].mkv": 900,
        },
    )
    event = completed(
        pack,
        title="Frieren: Beyond Journey's End",
        year=2023,
        tmdb_id=209867,
        media_type=MediaType.TV,
        season=2,
        episode_facts=[EpisodeFacts(season=2, episode=1, name="The Journey Goes On")],
    )
    async with start_organizer() as organizer:
        await organizer.complete(event)
        await organizer.settled()
        items = await organizer.items()

    season = "TV Shows/Frieren - Beyond Journey's End (2023)/Season 02"
    assert [(i.season, i.episodes) for i in items] == [(2, [1]), (2, [2])]
    assert library_files(library_dir) == [
        f"{season}/Frieren - Beyond Journey's End (2023) - S02E01 - The Journey Goes On.mkv",
        f"{season}/Frieren - Beyond Journey's End (2023) - S02E02.en.ass",
        f"{season}/Frieren - Beyond Journey's End (2023) - S02E02.mkv",
        "TV Shows/Frieren - Beyond Journey's End (2023)/metadata.json",
    ]


FRIEREN = {
    "title": "Frieren: Beyond Journey's End",
    "year": 2023,
    "tmdb_id": 209867,
    "media_type": MediaType.TV,
}
FRIEREN_SEASON = "TV Shows/Frieren - Beyond Journey's End (2023)/Season 02"


def frieren_facts(*episodes: int) -> list[EpisodeFacts]:
    """Season 2's episodes as catalog knows them: season 1 had 28, so the fifth is the show's 33rd."""
    names = {1: "The Journey Goes On", 2: "The Sword Village", 5: "The Fifth"}
    return [
        EpisodeFacts(season=2, episode=e, name=names.get(e, ""), absolute_number=28 + e) for e in episodes
    ]


async def test_a_release_named_by_absolute_number_is_filed_as_its_season_and_episode(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    name = "[SubsPlease] Sousou no Frieren - 33 (1080p) [ABCD1234].mkv"
    files(downloads_dir, "", {name: 1000})
    event = completed(
        downloads_dir / name,
        season=2,
        episodes=[5],
        episode_facts=frieren_facts(5),
        release_name=name,
        files=[DownloadedFile(path=str(downloads_dir / name), size=1000)],
        **FRIEREN,
    )
    async with start_organizer() as organizer:
        await organizer.complete(event)
        await organizer.settled()
        items = await organizer.items()

    assert [(i.season, i.episodes) for i in items] == [(2, [5])]
    assert library_files(library_dir) == [
        f"{FRIEREN_SEASON}/Frieren - Beyond Journey's End (2023) - S02E05 - The Fifth.mkv",
        "TV Shows/Frieren - Beyond Journey's End (2023)/metadata.json",
    ]


async def test_a_batch_named_by_absolute_numbers_is_split_into_its_seasons_episodes(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    batch = files(
        downloads_dir,
        "[Group] Sousou no Frieren - 29-31 (1080p) [Batch]",
        {
            "[Group] Sousou no Frieren - 29 (1080p).mkv": 1000,
            "[Group] Sousou no Frieren - 30v2 (1080p).mkv": 1001,
            "[Group] Sousou no Frieren - 30v2 (1080p).en.ass": 10,
            # not in the facts: placed by the season's offset (31 - 28)
            "[Group] Sousou no Frieren - 31 (1080p).mkv": 1002,
            # the last of season 1: an earlier season than the facts can name, left in the download
            "[Group] Sousou no Frieren - 28 (1080p).mkv": 999,
        },
    )
    event = completed(
        batch,
        season=2,
        episodes=[1, 2],
        episode_facts=frieren_facts(1, 2),
        release_name=batch.name,
        **FRIEREN,
    )
    async with start_organizer() as organizer:
        await organizer.complete(event)
        await organizer.settled()
        items = await organizer.items()

    assert sorted((i.season, tuple(i.episodes)) for i in items) == [(2, (1,)), (2, (2,)), (2, (3,))]
    assert library_files(library_dir) == [
        f"{FRIEREN_SEASON}/Frieren - Beyond Journey's End (2023) - S02E01 - The Journey Goes On.mkv",
        f"{FRIEREN_SEASON}/Frieren - Beyond Journey's End (2023) - S02E02 - The Sword Village.en.ass",
        f"{FRIEREN_SEASON}/Frieren - Beyond Journey's End (2023) - S02E02 - The Sword Village.mkv",
        f"{FRIEREN_SEASON}/Frieren - Beyond Journey's End (2023) - S02E03.mkv",
        "TV Shows/Frieren - Beyond Journey's End (2023)/metadata.json",
    ]
    assert (batch / "[Group] Sousou no Frieren - 28 (1080p).mkv").is_file()


async def test_a_pack_that_names_its_season_keeps_reading_bare_numbers_as_the_seasons_own(
    start_organizer, files, completed, downloads_dir: Path, library_dir: Path
) -> None:
    pack = files(
        downloads_dir,
        "[Group] Sousou no Frieren S2 [1080p]",
        {
            "[Group] Sousou no Frieren - 01 [1080p].mkv": 1000,
            "[Group] Sousou no Frieren - 02 [1080p].mkv": 1001,
        },
    )
    event = completed(
        pack, season=2, episodes=[1, 2], episode_facts=frieren_facts(1, 2), release_name=pack.name, **FRIEREN
    )
    async with start_organizer() as organizer:
        await organizer.complete(event)
        await organizer.settled()

    assert library_files(library_dir) == [
        f"{FRIEREN_SEASON}/Frieren - Beyond Journey's End (2023) - S02E01 - The Journey Goes On.mkv",
        f"{FRIEREN_SEASON}/Frieren - Beyond Journey's End (2023) - S02E02 - The Sword Village.mkv",
        "TV Shows/Frieren - Beyond Journey's End (2023)/metadata.json",
    ]
