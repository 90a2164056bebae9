"""A show's episodes known by other numbers than S02E05: an anime's absolute numbers and a daily show's air
dates travel with the job's searches and its completion, and a release search read by them is taken like one
named S02E05.

The service runs for real with the embedded engine and the loopback swarm; catalog and search are NATS
responders fed by the test, search answering as it does (each release's `covers`, read for the request).
"""

from datetime import date, timedelta

from downloader.jobs.episode_numbers import EpisodeNumbers, from_facts, from_season

from niluflix.contracts import downloads
from niluflix.contracts.catalog import EpisodeDetails, SeasonDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import CreateDownload, JobState
from niluflix.contracts.search import Coverage, ParsedRelease, Release
from niluflix.demo.swarm import MiB, Swarm

ANIME, DAILY = 209867, 2224
# Season 1 has 28 episodes: season 2's first is the 29th of the show.
SEASON_ONE = 28
FIRST_AIRED = date(2026, 1, 10)


def completed(job) -> bool:
    return job.state is JobState.COMPLETED


def anime(peers) -> None:
    episodes = {n: FIRST_AIRED + timedelta(weeks=n - 1) for n in range(1, 7)}
    peers.add_show(ANIME, "Sousou no Frieren", 2023, 2, episodes, absolute_before=SEASON_ONE)


def by_absolute(release: Release, numbers: list[int], wanted: list[int]) -> Release:
    """A fansub release as search offers it: no season in its name, its numbers read as absolute ones."""
    return release.model_copy(
        update={
            "seeders": 5,
            "parsed": ParsedRelease(title="Sousou no Frieren", episodes=numbers),
            "covers": Coverage(
                seasons=[2] if wanted else [], episodes=wanted, absolute_episodes=numbers, wanted=wanted
            ),
        }
    )


async def test_an_anime_episode_is_searched_by_its_absolute_number_and_taken_alone(
    downloads_service, swarm: Swarm, offer
):
    peers = downloads_service.peers
    anime(peers)
    batch = swarm.create("[Group] Sousou no Frieren - 29-40 (1080p) [Batch]", MiB)
    single = swarm.seed(
        "[SubsPlease] Sousou no Frieren - 33 (1080p) [ABCD1234].mkv", MiB // 2, single_file=True
    )
    # ranked first, the batch brings eleven episodes nobody asked for
    peers.offer_for_show(
        ANIME,
        2,
        5,
        by_absolute(offer(batch), list(range(29, 41)), [5]),
        by_absolute(offer(single), [33], [5]),
    )

    async with downloads_service.running():
        job = await downloads_service.call(
            downloads.CREATE, CreateDownload(tmdb_id=ANIME, media_type=MediaType.TV, season=2, episodes=[5])
        )
        done = await downloads_service.wait_job(job.id, completed)
        events = await downloads_service.wait_events(
            job.id, lambda s: s == [downloads.QUEUED, downloads.STARTED, downloads.COMPLETED]
        )

    assert done.release_name == single.name
    [asked] = [s for s in peers.searches if s.tmdb_id == ANIME]
    assert (asked.season, asked.episode, asked.absolute_episodes, asked.air_date) == (
        2,
        5,
        [33],
        FIRST_AIRED + timedelta(weeks=4),
    )
    # the organizer files `- 33` as S02E05 by these (the season's other episodes come along)
    facts = events[2][1]["facts"]["episodes"]
    assert [f for f in facts if f["episode"] == 5] == [
        {
            "season": 2,
            "episode": 5,
            "name": "Chapter 5",
            "air_date": str(FIRST_AIRED + timedelta(weeks=4)),
            "absolute_number": 33,
        }
    ]


async def test_an_anime_batch_named_by_absolute_numbers_brings_the_season_in_one_torrent(
    downloads_service, swarm: Swarm, offer
):
    peers = downloads_service.peers
    anime(peers)
    batch = swarm.seed(
        "[Group] Sousou no Frieren - 29-34 (1080p) [Batch]",
        files={f"[Group] Sousou no Frieren - {n} (1080p).mkv": MiB // 4 for n in range(29, 35)},
    )
    half = swarm.create("[Group] Sousou no Frieren - 29-31 (1080p) [Batch]", MiB)
    peers.offer_for_show(
        ANIME,
        2,
        None,
        by_absolute(offer(half), [29, 30, 31], [1, 2, 3]),
        by_absolute(offer(batch), list(range(29, 35)), list(range(1, 7))),
    )

    async with downloads_service.running():
        job = await downloads_service.call(
            downloads.CREATE, CreateDownload(tmdb_id=ANIME, media_type=MediaType.TV, season=2)
        )
        done = await downloads_service.wait_job(job.id, completed)

    assert (done.episodes, done.release_name) == ([1, 2, 3, 4, 5, 6], batch.name), "one torrent, no split"
    [asked] = [s for s in peers.searches if s.tmdb_id == ANIME]
    assert (asked.season, asked.episodes, asked.absolute_episodes) == (
        2,
        [1, 2, 3, 4, 5, 6],
        [29, 30, 31, 32, 33, 34],
    )


async def test_a_daily_shows_episode_is_searched_by_its_air_date_and_a_dated_release_taken(
    downloads_service, swarm: Swarm, offer
):
    peers = downloads_service.peers
    days = {n: date(2024, 3, 12) + timedelta(days=n) for n in range(1, 4)}  # 13th to 15th
    peers.add_show(DAILY, "The Daily Show", 1996, 29, days)
    dated = swarm.seed("The.Daily.Show.2024.03.15.Guest.Name.1080p.WEB.h264-GRP", MiB // 2, single_file=True)
    release = offer(dated).model_copy(
        update={
            "seeders": 5,
            "parsed": ParsedRelease(title="The Daily Show", year=2024, air_date=date(2024, 3, 15)),
            "covers": Coverage(air_date=date(2024, 3, 15), wanted=[3]),
        }
    )
    peers.offer_for_show(DAILY, 29, 3, release)

    async with downloads_service.running():
        job = await downloads_service.call(
            downloads.CREATE, CreateDownload(tmdb_id=DAILY, media_type=MediaType.TV, season=29, episodes=[3])
        )
        done = await downloads_service.wait_job(job.id, completed)

    assert done.release_name == dated.name
    [asked] = [s for s in peers.searches if s.tmdb_id == DAILY]
    assert (asked.episode, asked.air_date, asked.absolute_episodes) == (3, date(2024, 3, 15), [])


def test_a_job_made_before_absolute_numbers_were_kept_asks_catalog_for_them() -> None:
    season = SeasonDetails(
        tmdb_id=ANIME,
        season=2,
        episodes=[
            EpisodeDetails(
                episode_id=n,
                show_id=ANIME,
                season=2,
                episode=n,
                air_date=date(2026, 1, n),
                absolute_number=28 + n,
            )
            for n in (1, 2, 5)
        ],
    )
    older = [{"season": 2, "episode": 5, "name": "Chapter 5", "air_date": "2026-01-05"}]
    assert from_facts(older, 2, [5]) is None
    numbers = from_season(season, [5])
    assert (numbers.absolute, numbers.air_date) == ((33,), date(2026, 1, 5))
    # one number not known: none is sent, as search needs one per episode; several have no one air date
    season.episodes[0].absolute_number = None
    assert from_season(season, [1, 2]) == EpisodeNumbers()
