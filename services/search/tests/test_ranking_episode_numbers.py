"""Episodes known by other numbers than S01E02: anime releases named by absolute number, and daily shows'
by the day they aired."""

import hashlib
from datetime import date

import pytest
from pydantic import ValidationError
from search.parsing import parse_release
from search.ranking import rank
from search.ranking.rules import EpisodeMatches, Wanted

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import FindReleases, RejectionCode, Release
from niluflix.contracts.settings import QualityProfile, SizeLimit

GB = 1_000_000_000
MB = 1_000_000

# Season 1 has 28 episodes, so season 2's fifth is the 33rd of the show.
FRIEREN = FindReleases(
    tmdb_id=209867,
    media_type=MediaType.TV,
    title="Frieren: Beyond Journey's End",
    original_title="Sousou no Frieren",
    year=2023,
    runtime=24,
    season=2,
    episode=5,
    absolute_episodes=[33],
    original_language="ja",
)
SEASON_TWO = FRIEREN.model_copy(
    update={"episode": None, "episodes": list(range(1, 13)), "absolute_episodes": list(range(29, 41))}
)
DAILY = FindReleases(
    tmdb_id=2224,
    media_type=MediaType.TV,
    title="The Daily Show",
    year=1996,
    runtime=30,
    season=29,
    episode=45,
    air_date=date(2024, 3, 15),
)


def release(name: str, *, size: float = 1.4 * GB, seeders: int = 50, **tags) -> Release:
    return Release(
        name=name,
        indexer="Loopback",
        size=int(size),
        seeders=seeders,
        info_hash=hashlib.sha1(name.encode()).hexdigest(),
        parsed=parse_release(name),
        **tags,
    )


def verdicts(request: FindReleases, *found: Release) -> dict[str, list[str]]:
    ranking = rank(request, found)
    return {r.name: [x.message for x in r.rejections] for r in ranking.accepted + ranking.rejected}


def test_a_fansub_release_named_by_absolute_number_is_the_wanted_episode() -> None:
    ranking = rank(
        FRIEREN,
        [
            release("[SubsPlease] Sousou no Frieren - 33 (1080p) [ABCD1234].mkv"),
            release("[SubsPlease] Sousou no Frieren - 33v2 (1080p) [1234ABCD].mkv"),
        ],
    )
    # a fixed version, like a REPACK, comes first at one quality
    assert [r.name for r in ranking.accepted] == [
        "[SubsPlease] Sousou no Frieren - 33v2 (1080p) [1234ABCD].mkv",
        "[SubsPlease] Sousou no Frieren - 33 (1080p) [ABCD1234].mkv",
    ], ranking.rejected and ranking.rejected[0].rejections
    assert ranking.accepted[1].covers.model_dump(exclude_defaults=True) == {
        "seasons": [2],
        "episodes": [5],
        "absolute_episodes": [33],
        "wanted": [5],
    }


def test_another_absolute_number_is_another_episode_never_the_seasons_own_number() -> None:
    # `- 05` is the fifth episode of the show (S01E05), not S02E05: the request knows S02E05 is 33.
    assert verdicts(
        FRIEREN,
        release("[SubsPlease] Sousou no Frieren - 05 (1080p) [ABCD1234].mkv"),
        release("[Group] Sousou no Frieren - 01-12 (1080p) [Batch]", size=12 * GB),
        release("[SubsPlease] Sousou no Frieren - 05 (1080p) [ABCD1234].mkv".replace("05", "34")),
    ) == {
        "[SubsPlease] Sousou no Frieren - 05 (1080p) [ABCD1234].mkv": ["another episode: absolute 05"],
        "[Group] Sousou no Frieren - 01-12 (1080p) [Batch]": ["other episodes: absolute 01-12"],
        "[SubsPlease] Sousou no Frieren - 34 (1080p) [ABCD1234].mkv": ["another episode: absolute 34"],
    }


def test_a_release_named_by_season_and_episode_still_counts_as_it_says() -> None:
    assert verdicts(
        FRIEREN,
        release("[Judas] Sousou no Frieren - S02E05 [1080p]"),
        release("Frieren.Beyond.Journeys.End.S02E06.1080p.WEB.h264-GRP"),
    ) == {
        "[Judas] Sousou no Frieren - S02E05 [1080p]": [],
        "Frieren.Beyond.Journeys.End.S02E06.1080p.WEB.h264-GRP": ["another episode: S02E06"],
    }


def test_without_absolute_numbers_a_bare_number_is_the_seasons_episode_as_before() -> None:
    request = FRIEREN.model_copy(update={"absolute_episodes": []})
    ranking = rank(request, [release("[SubsPlease] Sousou no Frieren - 05 (1080p) [ABCD1234].mkv")])
    assert ranking.accepted[0].covers.wanted == [5]
    assert ranking.accepted[0].covers.absolute_episodes == []


def test_a_batch_holds_the_wanted_episodes_whose_absolute_numbers_it_names() -> None:
    batch = release("[Group] Sousou no Frieren - 29-40 (1080p) [Batch]", size=14 * GB)
    half = release("[Erai-raws] Sousou no Frieren - 29 ~ 34 [1080p][Batch]", size=7 * GB)
    ranking = rank(SEASON_TWO, [half, batch])
    assert [(r.name, r.covers.wanted) for r in ranking.accepted] == [
        (batch.name, list(range(1, 13))),  # more of the wanted episodes first
        (half.name, [1, 2, 3, 4, 5, 6]),
    ]
    # for one episode it is accepted too (the downloader takes it only when it brings everything a job wants)
    assert rank(FRIEREN, [batch]).accepted[0].covers.wanted == [5]


def test_a_batch_is_sized_by_every_episode_it_names() -> None:
    profile = QualityProfile(
        name="Sized", size_limits=[SizeLimit(quality="1080p", min_mb_per_minute=5, max_mb_per_minute=60)]
    )
    # twelve episodes of 24 min: 1.4 GB each at most, 17 GB in all; judged as one episode it would be too big
    ranking = rank(
        FRIEREN, [release("[Group] Sousou no Frieren - 29-40 (1080p) [Batch]", size=14 * GB)], profile=profile
    )
    assert ranking.accepted, ranking.rejected[0].rejections
    too_small = release("[Group] Sousou no Frieren - 29-40 (1080p) [Batch]", size=600 * MB)
    [rejected] = rank(FRIEREN, [too_small], profile=profile).rejected
    assert [r.code for r in rejected.rejections] == [RejectionCode.FAKE, RejectionCode.TOO_SMALL]
    assert rejected.rejections[1].message == "too small for 1080p: 600 MB for 12 episodes of 24 min"


def test_absolute_numbers_must_be_one_per_wanted_episode() -> None:
    with pytest.raises(ValidationError, match="absolute_episodes names 2 numbers for 1 wanted episodes"):
        FindReleases.model_validate(FRIEREN.model_dump() | {"absolute_episodes": [33, 34]})
    assert SEASON_TWO.episodes_by_absolute()[33] == 5


def test_a_daily_release_of_the_episodes_day_is_that_episode() -> None:
    ranking = rank(
        DAILY,
        [
            release("The.Daily.Show.2024.03.15.Guest.Name.1080p.WEB.h264-GRP", size=1.2 * GB),
            release("The.Daily.Show.2024.03.14.Other.Guest.1080p.WEB.h264-GRP", size=1.2 * GB),
            release("The.Daily.Show.S29E45.1080p.WEB.h264-GRP", size=1.2 * GB),
        ],
    )
    assert [(r.name, r.covers.wanted) for r in ranking.accepted] == [
        ("The.Daily.Show.2024.03.15.Guest.Name.1080p.WEB.h264-GRP", [45]),
        ("The.Daily.Show.S29E45.1080p.WEB.h264-GRP", [45]),
    ]
    assert [(r.name, [x.message for x in r.rejections]) for r in ranking.rejected] == [
        ("The.Daily.Show.2024.03.14.Other.Guest.1080p.WEB.h264-GRP", ["another day: 2024-03-14"])
    ]


def test_a_dated_release_for_a_request_without_a_date_holds_no_wanted_episode() -> None:
    request = DAILY.model_copy(update={"air_date": None})
    found = release("The.Daily.Show.2024.03.15.Guest.Name.1080p.WEB.h264-GRP", size=1.2 * GB)
    assert EpisodeMatches().check(found, Wanted.of(request)) is None
    assert Wanted.of(request).coverage(found).wanted == []
