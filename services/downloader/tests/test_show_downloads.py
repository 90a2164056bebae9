"""Downloads of shows over NATS, as the gateway asks for them: a season, some episodes, one episode.

The service runs for real on SQLite and on PostgreSQL with the embedded engine and the loopback swarm;
catalog (details and seasons), search and the organizer's library are real NATS responders fed by the test.
"""

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from niluflix.contracts import downloads
from niluflix.contracts.common import ErrorCode, MediaType
from niluflix.contracts.downloads import CreateDownload, JobList, JobRef, JobState, ListDownloads
from niluflix.contracts.library import LibraryItem
from niluflix.contracts.search import Coverage, ParsedRelease
from niluflix.demo.swarm import MiB, Swarm

SHOW, OTHER_SHOW, MOVIE = 95396, 1399, 45745
AIRED = date(2022, 2, 18)
STARTED_TO_DONE = [downloads.QUEUED, downloads.STARTED, downloads.COMPLETED]


def tv(season: int | None, *episodes: int, **request: object) -> CreateDownload:
    return CreateDownload(
        tmdb_id=SHOW, media_type=MediaType.TV, season=season, episodes=list(episodes), **request
    )


def show_with(peers, aired: int, to_come: int = 0) -> None:
    """SHOW's season 1: `aired` episodes out a week apart, then `to_come` still to air."""
    episodes = {n: AIRED + timedelta(weeks=n - 1) for n in range(1, aired + 1)}
    soon = date.today() + timedelta(days=30)
    episodes |= {n: soon for n in range(aired + 1, aired + to_come + 1)}
    peers.add_show(SHOW, "Severance", 2022, 1, episodes)


async def show_jobs(service, tmdb_id: int = SHOW) -> list:
    listed = await service.call(
        downloads.LIST, ListDownloads(tmdb_id=tmdb_id, media_type=MediaType.TV), JobList
    )
    return sorted(listed.jobs, key=lambda j: j.episodes)


def library_item(tmdb_id: int) -> LibraryItem:
    return LibraryItem(
        id=uuid.uuid4(),
        tmdb_id=tmdb_id,
        title="Found By A Sync",
        year=2001,
        folder="/library/Movies/Found By A Sync (2001)",
        path="/library/Movies/Found By A Sync (2001)/Found By A Sync (2001).mkv",
        size=MiB,
        added_at=datetime.now(UTC),
    )


def completed(job) -> bool:
    return job.state is JobState.COMPLETED


async def test_a_season_with_a_healthy_pack_downloads_that_one_torrent(
    downloads_service, swarm: Swarm, offer_show
):
    peers = downloads_service.peers
    show_with(peers, aired=3, to_come=1)
    pack = swarm.seed(
        "Severance.S01.1080p.WEB-DL.x264-NILU",
        files={f"Severance.S01E0{n}.1080p.WEB-DL.x264-NILU.mkv": MiB // 2 for n in (1, 2, 3)},
    )
    single = swarm.create("Severance.S01E01.1080p.WEB-DL.x264-NILU", MiB, single_file=True)
    # Search ranks an episode first: a season request still prefers the pack that brings them all.
    peers.offer_for_show(SHOW, 1, None, offer_show(single, 1, [1]), offer_show(pack, 1, []))

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, tv(1))
        # Named from the start, with the episodes aired so far.
        assert (job.title, job.year, job.season, job.episodes) == ("Severance", 2022, 1, [1, 2, 3])
        done = await downloads_service.wait_job(job.id, completed)
        events = await downloads_service.wait_events(job.id, lambda s: s == STARTED_TO_DONE)
        jobs = await show_jobs(downloads_service)

        # The claims went with the completion: the episode may be asked for again (an upgrade).
        again = await downloads_service.call(downloads.CREATE, tv(1, 2))
        assert again.id != job.id and again.episodes == [2]

    assert [j.id for j in jobs] == [job.id]
    assert (done.release_name, done.info_hash) == (pack.name, pack.info_hash)
    season_searches = [(s.season, s.episode) for s in peers.searches if s.tmdb_id == SHOW]
    assert season_searches[0] == (1, None)
    facts = events[2][1]["facts"]
    assert (facts["title"], facts["tvdb_id"]) == ("Severance", SHOW + 7_000_000)
    # The whole season, the episode not out yet too: a pack may hold what the job did not ask for.
    assert facts["episodes"] == [
        {
            "season": 1,
            "episode": n,
            "name": f"Chapter {n}",
            "air_date": str(AIRED + timedelta(weeks=n - 1) if n < 4 else date.today() + timedelta(days=30)),
            "absolute_number": None,
        }
        for n in (1, 2, 3, 4)
    ]


@pytest.mark.parametrize("asked", ["the season", "one episode by the pack the user picked"])
async def test_a_pack_of_several_seasons_names_the_other_seasons_episodes_too(
    downloads_service, swarm: Swarm, offer_show, asked: str
):
    peers = downloads_service.peers
    show_with(peers, aired=2)
    peers.seasons[(SHOW, 2)] = peers.seasons[(SHOW, 1)].model_copy(
        update={
            "season": 2,
            "episodes": [
                e.model_copy(update={"season": 2, "name": f"Second {e.episode}"})
                for e in peers.seasons[(SHOW, 1)].episodes
            ],
        }
    )
    pack = swarm.seed(
        "Severance.S01-S02.1080p.WEB-DL.x264-NILU",
        files={f"Severance.S0{s}E0{n}.1080p.WEB-DL.x264-NILU.mkv": MiB // 4 for s in (1, 2) for n in (1, 2)},
    )
    release = offer_show(pack, 1, [])
    release.parsed = ParsedRelease(season=1, seasons=[1, 2])
    release.covers = Coverage(seasons=[1, 2], season_pack=True)
    peers.offer_for_show(SHOW, 1, None, release)
    request = tv(1) if asked == "the season" else tv(1, 2, release=release)

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, request)
        await downloads_service.wait_job(job.id, completed)
        events = await downloads_service.wait_events(job.id, lambda s: s == STARTED_TO_DONE)

    completion = events[2][1]
    assert (completion["job"]["season"], completion["job"]["release_name"]) == (1, pack.name)
    assert completion["job"]["episodes"] == ([1, 2] if asked == "the season" else [2])
    assert [(e["season"], e["episode"], e["name"]) for e in completion["facts"]["episodes"]] == [
        (1, 1, "Chapter 1"),
        (1, 2, "Chapter 2"),
        (2, 1, "Second 1"),
        (2, 2, "Second 2"),
    ]


async def test_without_a_healthy_pack_the_season_becomes_one_job_per_episode(
    downloads_service, swarm: Swarm, offer_show
):
    peers = downloads_service.peers
    show_with(peers, aired=3)
    dead_pack = swarm.create("Severance.S01.2160p.WEB-DL.x265-NILU", MiB)
    peers.offer_for_show(SHOW, 1, None, offer_show(dead_pack, 1, [], seeders=0))
    seeded = {}
    for n in (1, 2, 3):
        seeded[n] = swarm.seed(f"Severance.S01E0{n}.1080p.WEB-DL.x264-NILU", MiB // 2, single_file=True)
        peers.offer_for_show(SHOW, 1, n, offer_show(seeded[n], 1, [n]))

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, tv(1))
        await downloads_service.wait_job(job.id, completed)
        while len(jobs := await show_jobs(downloads_service)) < 3 or not all(map(completed, jobs)):
            await asyncio.sleep(0.1)
        first_events = await downloads_service.wait_events(job.id, lambda s: s == STARTED_TO_DONE)
        others = [await downloads_service.wait_events(j.id, lambda s: s == STARTED_TO_DONE) for j in jobs[1:]]

    assert [(j.episodes, j.release_name) for j in jobs] == [([n], seeded[n].name) for n in (1, 2, 3)]
    assert jobs[0].id == job.id  # the request's job keeps its id and the first episode
    assert all(j.title == "Severance" and j.season == 1 for j in jobs)
    searched = sorted((s.season, s.episode or 0) for s in peers.searches if s.tmdb_id == SHOW)
    assert searched == [(1, 0), (1, 1), (1, 2), (1, 3)]
    # A job of one episode takes a release of that episode alone: its facts are its episode's.
    assert [e["episode"] for e in first_events[2][1]["facts"]["episodes"]] == [1]
    assert [[e["name"] for e in ev[2][1]["facts"]["episodes"]] for ev in others] == [
        ["Chapter 2"],
        ["Chapter 3"],
    ]


async def test_an_episode_on_its_way_is_never_asked_for_twice(downloads_service, swarm: Swarm, offer_show):
    await downloads_service.configure(max_concurrent_downloads=1)
    peers = downloads_service.peers
    show_with(peers, aired=3)
    nobody_seeds = swarm.create("Severance.S01E02.1080p.WEB-DL.x264-NILU", MiB, single_file=True)
    peers.offer_for_show(SHOW, 1, 2, offer_show(nobody_seeds, 1, [2]))
    peers.catalog_down.add(MOVIE)

    async with downloads_service.running():
        first = await downloads_service.call(downloads.CREATE, tv(1, 2))
        await downloads_service.wait_job(first.id, lambda j: j.state is JobState.DOWNLOADING)
        racing = await asyncio.gather(*[downloads_service.call(downloads.CREATE, tv(1, 2)) for _ in range(5)])
        # A season whose episode 2 is on its way: one job for the rest only.
        rest = await downloads_service.call(downloads.CREATE, tv(1))
        again = await downloads_service.call(downloads.CREATE, tv(1, 3))
        whole_again = await downloads_service.call(downloads.CREATE, tv(1))
        movie = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=MOVIE))
        slot = "waiting for a free download slot"
        waiting = await downloads_service.wait_job(rest.id, lambda j: j.waiting_for == slot, timeout=10)
        jobs = await show_jobs(downloads_service)
        everything = await downloads_service.call(downloads.LIST, ListDownloads(), JobList)
        movies = await downloads_service.call(
            downloads.LIST, ListDownloads(media_type=MediaType.MOVIE), JobList
        )

    assert {j.id for j in racing} == {first.id}
    assert rest.id != first.id and rest.episodes == [1, 3]
    assert again.id == rest.id and whole_again.id == rest.id
    assert waiting.state is JobState.QUEUED
    assert [(j.id, j.episodes) for j in jobs] == [(rest.id, [1, 3]), (first.id, [2])]
    assert {j.id for j in everything.jobs} == {first.id, rest.id, movie.id}
    assert [j.id for j in movies.jobs] == [movie.id]


async def test_two_replicas_racing_for_a_season_make_one_job(downloads_service, swarm: Swarm, offer_show):
    peers = downloads_service.peers
    show_with(peers, aired=4)
    nobody_seeds = swarm.create("Severance.S01.1080p.WEB-DL.x264-NILU", MiB)
    peers.offer_for_show(SHOW, 1, None, offer_show(nobody_seeds, 1, []))
    async with downloads_service.running(replica_id="one"), downloads_service.running(replica_id="two"):
        jobs = await asyncio.gather(*[downloads_service.call(downloads.CREATE, tv(1)) for _ in range(10)])
        listed = await show_jobs(downloads_service)

    assert len({j.id for j in jobs}) == 1
    assert [(j.id, j.episodes) for j in listed] == [(jobs[0].id, [1, 2, 3, 4])]


async def test_cancelling_a_job_lets_its_episodes_be_asked_for_again(
    downloads_service, swarm: Swarm, offer_show
):
    peers = downloads_service.peers
    show_with(peers, aired=2)
    nobody_seeds = swarm.create("Severance.S01.1080p.WEB-DL.x264-NILU", MiB)
    peers.offer_for_show(SHOW, 1, None, offer_show(nobody_seeds, 1, []))

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, tv(1))
        await downloads_service.wait_job(job.id, lambda j: j.state is JobState.DOWNLOADING)
        assert (await downloads_service.call(downloads.CREATE, tv(1, 1))).id == job.id
        await downloads_service.call(downloads.CANCEL, JobRef(job_id=job.id))
        again = await downloads_service.call(downloads.CREATE, tv(1, 1))

    assert again.id != job.id and again.episodes == [1]


async def test_a_movie_already_downloaded_is_a_conflict_unless_replace(
    downloads_service, swarm: Swarm, offer
):
    peers = downloads_service.peers
    seeded = swarm.seed("Sintel.2010.1080p.BluRay.x264-NILU", MiB, single_file=True)
    peers.add_title(MOVIE, "Sintel", 2010, [offer(seeded)])
    peers.catalog_down.add(MOVIE + 1)

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=MOVIE))
        await downloads_service.wait_job(job.id, completed)
        refused = await downloads_service.refused(downloads.CREATE, CreateDownload(tmdb_id=MOVIE))
        upgrade = await downloads_service.call(downloads.CREATE, CreateDownload(tmdb_id=MOVIE, replace=True))

        # The organizer's library has another movie NiluFlix never downloaded (found by a sync).
        peers.library.append(library_item(MOVIE + 1))
        refused_by_library = await downloads_service.refused(
            downloads.CREATE, CreateDownload(tmdb_id=MOVIE + 1)
        )
        replaced = await downloads_service.call(
            downloads.CREATE, CreateDownload(tmdb_id=MOVIE + 1, replace=True)
        )

    assert refused.code is ErrorCode.CONFLICT
    assert refused.message == "already in the library: ask again with replace to upgrade"
    assert upgrade.id != job.id and upgrade.state is JobState.QUEUED
    assert refused_by_library.code is ErrorCode.CONFLICT
    assert replaced.tmdb_id == MOVIE + 1


async def test_requests_that_cannot_be_a_download_say_why(downloads_service):
    show_with(downloads_service.peers, aired=3, to_come=2)
    async with downloads_service.running():
        no_season = await downloads_service.refused(downloads.CREATE, tv(None))
        no_such_episode = await downloads_service.refused(downloads.CREATE, tv(1, 2, 9))
        no_such_season = await downloads_service.refused(downloads.CREATE, tv(4))
        movie_episode = await downloads_service.refused(
            downloads.CREATE, CreateDownload(tmdb_id=MOVIE, season=1, episodes=[1])
        )

    assert no_season.code is ErrorCode.INVALID_REQUEST
    assert "names a season" in no_season.message
    assert no_such_episode.code is ErrorCode.INVALID_REQUEST
    assert no_such_episode.message == "season 1 has no episode 9 (it has 1-5)"
    assert no_such_season.code is ErrorCode.NOT_FOUND
    assert movie_episode.code is ErrorCode.INVALID_REQUEST


async def test_one_episode_downloads_a_release_of_that_episode_alone(
    downloads_service, swarm: Swarm, offer_show
):
    peers = downloads_service.peers
    show_with(peers, aired=3)
    pack = swarm.create("Severance.S01.2160p.WEB-DL.x265-NILU", MiB)
    double = swarm.create("Severance.S01E02E03.2160p.WEB-DL.x265-NILU", MiB, single_file=True)
    single = swarm.seed("Severance.S01E02.1080p.WEB-DL.x264-NILU", MiB // 2, single_file=True)
    # Ranked above it: a pack and a two-episode file, which would bring episodes nobody asked for.
    peers.offer_for_show(
        SHOW, 1, 2, offer_show(pack, 1, []), offer_show(double, 1, [2, 3]), offer_show(single, 1, [2])
    )

    async with downloads_service.running():
        job = await downloads_service.call(downloads.CREATE, tv(1, 2))
        done = await downloads_service.wait_job(job.id, completed)

    assert (done.episodes, done.release_name) == ([2], single.name)
    assert [(s.season, s.episode) for s in peers.searches if s.tmdb_id == SHOW] == [(1, 2)]
