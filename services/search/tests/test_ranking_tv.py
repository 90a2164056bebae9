"""Shows and films apart: what a release covers, and the reasons a release of another show, season, episode,
kind or id is never picked; fakes by their size, for films too."""

import hashlib
from datetime import date

import pytest
from search.parsing import parse_release
from search.ranking import rank
from search.ranking.rules import (
    EpisodeMatches,
    IdMatches,
    KindMatches,
    NotFake,
    SizeFits,
    TitleMatches,
    Wanted,
)

from niluflix.contracts.catalog import SeasonSummary, TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.search import FindReleases, RejectionCode, Release
from niluflix.contracts.settings import QualityProfile, SizeLimit

GB = 1_000_000_000
MB = 1_000_000

FARGO_SHOW = FindReleases(
    tmdb_id=60622,
    media_type=MediaType.TV,
    title="Fargo",
    year=2014,
    imdb_id="tt2802850",
    tvdb_id=269613,
    runtime=53,
    season=1,
    episode=2,
)
FARGO_FILM = FindReleases(tmdb_id=275, title="Fargo", year=1996, imdb_id="tt0116282", runtime=98)
MATRIX = FindReleases(tmdb_id=603, title="The Matrix", year=1999, imdb_id="tt0133093", runtime=136)
DAILY = FindReleases(
    tmdb_id=2224,
    media_type=MediaType.TV,
    title="The Daily Show",
    year=1996,  # the show's first year; its episodes' names hold the year they aired
    runtime=30,
    season=2023,
    air_date=date(2023, 10, 17),
)


def release(name: str, *, size: float = 2 * GB, seeders: int = 50, **tags) -> Release:
    return Release(
        name=name,
        indexer="Demo",
        size=int(size),
        seeders=seeders,
        info_hash=hashlib.sha1(name.encode()).hexdigest(),
        parsed=parse_release(name),
        **tags,
    )


def reason(rule, found: Release, request: FindReleases):
    rejection = rule.check(found, Wanted.of(request))
    return None if rejection is None else (rejection.code, rejection.message)


def judged(request: FindReleases, *found: Release) -> dict[str, list[tuple[RejectionCode, str]]]:
    ranking = rank(request, found)
    return {r.name: [(x.code, x.message) for x in r.rejections] for r in ranking.accepted + ranking.rejected}


@pytest.mark.parametrize(
    ("name", "size", "covers"),
    [
        ("Fargo.S01E02.720p.HDTV.x264-KILLERS", 1.2 * GB, {"seasons": [1], "episodes": [2], "wanted": [2]}),
        # a multi-episode release counts for each episode it holds
        (
            "Fargo.S01E01-E03.1080p.WEB-DL.DD5.1.H.264-NTb",
            6 * GB,
            {"seasons": [1], "episodes": [1, 2, 3], "wanted": [2]},
        ),
        ("Fargo.S01E01E02.1080p.WEB-DL-NTb", 4 * GB, {"seasons": [1], "episodes": [1, 2], "wanted": [2]}),
        # a season pack, several seasons covering the wanted one, the complete series
        ("Fargo.S01.1080p.BluRay.x264-ROVERS", 20 * GB, {"seasons": [1], "season_pack": True, "wanted": [2]}),
        (
            "Fargo.S01-S03.1080p.BluRay.x264-ROVERS",
            60 * GB,
            {"seasons": [1, 2, 3], "season_pack": True, "wanted": [2]},
        ),
        (
            "Fargo.Complete.Series.1080p.BluRay.x264-GRP",
            90 * GB,
            {"season_pack": True, "complete_series": True, "wanted": [2]},
        ),
    ],
)
def test_episodes_packs_and_multi_episode_releases_hold_the_wanted_episode(
    name: str, size: float, covers: dict
) -> None:
    ranking = rank(FARGO_SHOW, [release(name, size=size)])
    assert [r.name for r in ranking.accepted] == [name], ranking.rejected and ranking.rejected[0].rejections
    assert ranking.accepted[0].covers.model_dump(exclude_defaults=True) == covers


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Fargo.S01E05.720p.HDTV.x264-KILLERS", (RejectionCode.WRONG_EPISODE, "another episode: S01E05")),
        (
            "Fargo.S01E04E05.720p.HDTV.x264-KILLERS",
            (RejectionCode.WRONG_EPISODE, "other episodes: S01E04E05"),
        ),
        (
            "Fargo.S01E03-E06.720p.HDTV.x264-KILLERS",
            (RejectionCode.WRONG_EPISODE, "other episodes: S01E03-E06"),
        ),
        ("Fargo.S02E02.720p.HDTV.x264-KILLERS", (RejectionCode.WRONG_SEASON, "another season: S02")),
        ("Fargo.S02.1080p.BluRay.x264-ROVERS", (RejectionCode.WRONG_SEASON, "another season: S02")),
        ("Fargo.S02-S04.1080p.BluRay.x264-ROVERS", (RejectionCode.WRONG_SEASON, "other seasons: S02-S04")),
        ("Fargo.S01E02.720p.HDTV.x264-KILLERS", None),
    ],
)
def test_another_season_or_episode_is_rejected_with_what_it_is(name: str, expected) -> None:
    assert reason(EpisodeMatches(), release(name), FARGO_SHOW) == expected


def test_several_wanted_episodes_take_any_release_holding_one_and_say_which() -> None:
    request = FARGO_SHOW.model_copy(update={"episode": None, "episodes": [2, 3, 4]})
    ranking = rank(
        request,
        [
            release("Fargo.S01E03.720p.HDTV.x264-KILLERS", size=1.2 * GB),
            release("Fargo.S01E01E02.720p.HDTV.x264-KILLERS", size=2.4 * GB),
            release("Fargo.S01.720p.BluRay.x264-DEMAND", size=12 * GB),
            release("Fargo.S01E07.720p.HDTV.x264-KILLERS", size=1.2 * GB),
        ],
    )
    # at one quality the pack comes first: it holds every wanted episode in one download
    assert [(r.name, r.covers.wanted, r.covers.season_pack) for r in ranking.accepted] == [
        ("Fargo.S01.720p.BluRay.x264-DEMAND", [2, 3, 4], True),
        ("Fargo.S01E01E02.720p.HDTV.x264-KILLERS", [2], False),
        ("Fargo.S01E03.720p.HDTV.x264-KILLERS", [3], False),
    ]
    assert [(r.name, r.rejections[0].message) for r in ranking.rejected] == [
        ("Fargo.S01E07.720p.HDTV.x264-KILLERS", "another episode: S01E07")
    ]


def test_a_whole_season_prefers_its_pack_and_takes_its_episodes() -> None:
    request = FARGO_SHOW.model_copy(update={"episode": None, "season_episodes": 10})
    ranking = rank(
        request,
        [
            release("Fargo.S01E01.1080p.WEB-DL-NTb", size=2 * GB, seeders=900),
            release("Fargo.S01.1080p.BluRay.x264-ROVERS", size=30 * GB, seeders=20),
            release("Fargo.S02E01.1080p.WEB-DL-NTb", size=2 * GB),
        ],
    )
    assert [r.name for r in ranking.accepted] == [
        "Fargo.S01.1080p.BluRay.x264-ROVERS",
        "Fargo.S01E01.1080p.WEB-DL-NTb",
    ]
    assert ranking.accepted[1].covers.wanted == [1]
    assert ranking.rejected[0].rejections[0].message == "another season: S02"


def test_a_daily_show_is_matched_by_its_air_date() -> None:
    verdicts = judged(
        DAILY,
        release("The.Daily.Show.2023.10.17.Guest.720p.WEB.h264-EDITH", size=700 * MB),
        release("The.Daily.Show.2023.10.18.Guest.720p.WEB.h264-EDITH", size=700 * MB),
    )
    assert verdicts == {
        "The.Daily.Show.2023.10.17.Guest.720p.WEB.h264-EDITH": [],
        "The.Daily.Show.2023.10.18.Guest.720p.WEB.h264-EDITH": [
            (RejectionCode.WRONG_EPISODE, "another day: 2023-10-18")
        ],
    }


def test_another_show_is_named() -> None:
    assert reason(TitleMatches(), release("Legion.S01E02.720p.HDTV.x264-KILLERS"), FARGO_SHOW) == (
        RejectionCode.TITLE_MISMATCH,
        "another show: Legion",
    )
    # tagged with the show's TVDB id by the indexer: it is the show, whatever the name
    tagged = release("Fargo.TV.Series.S01E02.720p.HDTV.x264-GRP", tvdb_id=269613)
    assert reason(TitleMatches(), tagged, FARGO_SHOW) is None


@pytest.mark.parametrize(
    ("request_", "name", "expected"),
    [
        # Fargo.S01 is the 2014 show, not the 1996 film, however alike their names
        (FARGO_FILM, "Fargo.S01.1080p.BluRay.x264-ROVERS", "a show's season S01, not a film"),
        (FARGO_FILM, "Fargo.S01E02.720p.HDTV.x264-KILLERS", "a show's episode S01E02, not a film"),
        (FARGO_FILM, "Fargo.S01-S03.1080p.BluRay.x264-ROVERS", "a show's seasons S01-S03, not a film"),
        (FARGO_FILM, "Fargo.Complete.Series.1080p.BluRay.x264-GRP", "a show's complete series, not a film"),
        (FARGO_FILM, "Fargo.1996.1080p.BluRay.x264-AMIABLE", None),
        (FARGO_SHOW, "Fargo.1996.1080p.BluRay.x264-AMIABLE", "a film, not a show's episode"),
        (FARGO_SHOW, "Fargo.S01E02.720p.HDTV.x264-KILLERS", None),
    ],
)
def test_a_film_is_never_a_shows_release_and_the_reverse(request_, name: str, expected) -> None:
    got = reason(KindMatches(), release(name), request_)
    assert got == (None if expected is None else (RejectionCode.WRONG_KIND, expected))


def test_the_film_and_the_show_of_one_name_each_pick_their_own() -> None:
    found = [
        release("Fargo.1996.1080p.BluRay.x264-AMIABLE", size=9 * GB, seeders=40),
        release("Fargo.S01.1080p.BluRay.x264-ROVERS", size=30 * GB, seeders=400),
        release("Fargo.S01E02.1080p.WEB-DL-NTb", size=2 * GB, seeders=300),
    ]
    assert [r.name for r in rank(FARGO_FILM, found).accepted] == ["Fargo.1996.1080p.BluRay.x264-AMIABLE"]
    assert [r.name for r in rank(FARGO_SHOW, found).accepted] == [
        "Fargo.S01.1080p.BluRay.x264-ROVERS",
        "Fargo.S01E02.1080p.WEB-DL-NTb",
    ]


@pytest.mark.parametrize(
    ("request_", "tags", "expected"),
    [
        (MATRIX, {"imdb_id": "tt0000001"}, "the indexer says it is tt0000001, not tt0133093"),
        (MATRIX, {"tmdb_id": 604}, "the indexer says it is TMDB 604, not TMDB 603"),
        (FARGO_SHOW, {"tvdb_id": 81189}, "the indexer says it is TVDB 81189, not TVDB 269613"),
        (MATRIX, {"imdb_id": "tt0133093"}, None),
        # one id of the wanted title is enough: indexers' ids disagree among themselves now and then
        (MATRIX, {"imdb_id": "tt0133093", "tmdb_id": 604}, None),
        (FARGO_SHOW, {"imdb_id": "tt9999999", "tvdb_id": 269613}, None),
        (MATRIX, {}, None),
    ],
)
def test_an_indexer_id_of_another_title_rejects_whatever_the_name(request_, tags: dict, expected) -> None:
    name = "The.Matrix.1999.1080p.BluRay.x264-GRP" if request_ is MATRIX else "Fargo.S01E02.720p.HDTV-GRP"
    got = reason(IdMatches(), release(name, **tags), request_)
    assert got == (None if expected is None else (RejectionCode.WRONG_ID, expected))


def test_a_release_named_right_but_tagged_as_another_film_is_never_picked() -> None:
    ranking = rank(
        MATRIX,
        [
            release(
                "The.Matrix.1999.2160p.UHD.BluRay.x265-GRP", size=20 * GB, seeders=900, imdb_id="tt0234215"
            ),
            release("The.Matrix.1999.720p.BluRay.x264-GRP", size=5 * GB, seeders=5),
        ],
    )
    assert [r.name for r in ranking.accepted] == ["The.Matrix.1999.720p.BluRay.x264-GRP"]
    assert [(x.code, x.message) for x in ranking.rejected[0].rejections] == [
        (RejectionCode.WRONG_ID, "the indexer says it is tt0234215, not tt0133093")
    ]


@pytest.mark.parametrize(
    ("request_", "name", "size", "expected"),
    [
        (
            MATRIX,
            "The.Matrix.1999.2160p.BluRay.REMUX.HEVC.DTS-HD.MA.5.1-GRP",
            900 * MB,
            "fake 2160p REMUX: 900 MB for 136 min",
        ),
        (
            MATRIX,
            "The.Matrix.1999.1080p.BluRay.REMUX.AVC.DTS-HD.MA.5.1-GRP",
            4 * GB,
            "fake 1080p REMUX: 4.0 GB for 136 min",
        ),
        (MATRIX, "The.Matrix.1999.2160p.WEB-DL.x265-GRP", 900 * MB, "fake 2160p: 900 MB for 136 min"),
        (MATRIX, "The.Matrix.1999.1080p.BluRay.REMUX.AVC.DTS-HD.MA.5.1-GRP", 28 * GB, None),
        (MATRIX, "The.Matrix.1999.2160p.WEB-DL.x265-GRP", 6 * GB, None),
        (MATRIX, "The.Matrix.1999.1080p.BluRay.x265-YIFY", 1.6 * GB, None),  # small but honest
        (MATRIX, "The.Matrix.1999.DVDRip.XviD-GRP", 300 * MB, None),  # no claim to judge
        # a show's release by the episodes it holds
        (FARGO_SHOW, "Fargo.S01E02.2160p.WEB-DL.x265-GRP", 200 * MB, "fake 2160p: 200 MB for 53 min"),
        (FARGO_SHOW, "Fargo.S01E02.1080p.WEB-DL.x265-MeGusta", 400 * MB, None),
        (
            FARGO_SHOW.model_copy(update={"season_episodes": 10}),
            "Fargo.S01.2160p.BluRay.REMUX-GRP",
            10 * GB,
            "fake 2160p REMUX: 10.0 GB for 10 episodes of 53 min",
        ),
    ],
)
def test_a_size_no_real_release_of_its_quality_has_is_a_fake(
    request_, name: str, size: float, expected
) -> None:
    got = reason(NotFake(), release(name, size=size), request_)
    assert got == (None if expected is None else (RejectionCode.FAKE, expected))


def test_fakes_are_rejected_whatever_the_profile_allows() -> None:
    roomy = QualityProfile(name="Roomy", size_limits=[SizeLimit(quality="other", min_mb_per_minute=0)])
    ranking = rank(MATRIX, [release("The.Matrix.1999.2160p.BluRay.REMUX-GRP", size=900 * MB)], profile=roomy)
    assert [(x.code, x.message) for x in ranking.rejected[0].rejections] == [
        (RejectionCode.FAKE, "fake 2160p REMUX: 900 MB for 136 min")
    ]
    # a profile without any size limit judges no size: the offline demo's files are a few MB
    unsized = QualityProfile(name="Demo", size_limits=[])
    ranking = rank(MATRIX, [release("The.Matrix.1999.1080p.BluRay-NILU", size=12 * MB)], profile=unsized)
    assert [r.name for r in ranking.accepted] == ["The.Matrix.1999.1080p.BluRay-NILU"]


@pytest.mark.parametrize(
    ("request_", "name", "size", "expected"),
    [
        # one episode's worth is judged for one episode, a season pack for the season's episodes
        (FARGO_SHOW, "Fargo.S01E02.1080p.WEB-DL-NTb", 30 * GB, "too big for 1080p: 30.0 GB for 53 min"),
        (
            FARGO_SHOW.model_copy(update={"season_episodes": 10}),
            "Fargo.S01.1080p.BluRay.x264-ROVERS",
            30 * GB,
            None,
        ),
        (
            FARGO_SHOW.model_copy(update={"season_episodes": 10}),
            "Fargo.S01.1080p.BluRay.x264-ROVERS",
            1 * GB,
            "too small for 1080p: 1.0 GB for 10 episodes of 53 min",
        ),
        (FARGO_SHOW, "Fargo.S01E01-E03.1080p.WEB-DL-NTb", 6 * GB, None),
        # a pack whose length is unknown: only too small can be told
        (FARGO_SHOW, "Fargo.S01.1080p.BluRay.x264-ROVERS", 500 * GB, None),
        # an episode of unknown length is judged as a short one, not as a film
        (
            FARGO_SHOW.model_copy(update={"runtime": None}),
            "Fargo.S01E02.1080p.WEB-DL.x265-MeGusta",
            350 * MB,
            None,
        ),
    ],
)
def test_a_shows_sizes_are_judged_by_the_episodes_held(request_, name: str, size: float, expected) -> None:
    got = reason(SizeFits(), release(name, size=size), request_)
    assert got == (
        None
        if expected is None
        else (RejectionCode.TOO_BIG if "big" in expected else RejectionCode.TOO_SMALL, expected)
    )


def test_a_film_search_leaves_coverage_empty() -> None:
    ranking = rank(MATRIX, [release("The.Matrix.1999.1080p.BluRay.x264-GRP", size=9 * GB)])
    assert ranking.accepted[0].covers is None


def test_a_request_for_a_season_of_a_show_knows_the_seasons_length_from_the_catalog() -> None:
    details = TitleDetails(
        tmdb_id=60622,
        media_type=MediaType.TV,
        title="Fargo",
        year=2014,
        tvdb_id=269613,
        seasons=[SeasonSummary(season=1, episode_count=10), SeasonSummary(season=2, episode_count=10)],
    )
    request = FindReleases.for_title(details, season=1, episodes=[2, 3])
    assert (request.season, request.wanted_episodes(), request.season_episodes, request.tvdb_id) == (
        1,
        [2, 3],
        10,
        269613,
    )
    assert FindReleases.for_title(details).season_episodes is None
    film = FindReleases.for_title(TitleDetails(tmdb_id=275, title="Fargo", year=1996), episode=None)
    assert (film.media_type, film.wanted_episodes()) == (MediaType.MOVIE, [])
