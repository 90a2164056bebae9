"""What indexers are asked for an episode known by other numbers: an anime's absolute number (`Title 33`) when
season and episode find nothing, a daily show's air date."""

from collections.abc import Callable, Iterator
from datetime import date

import httpx
import pytest
from search.indexers.base import SearchQuery
from search.indexers.providers.tpb import TpbProvider
from search.indexers.torznab.client import plan_searches
from search.indexers.torznab.feed import parse_caps

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import FindReleases
from niluflix.testing.providers import TpbServer, TpbTorrent

FRIEREN = FindReleases(
    tmdb_id=209867,
    media_type=MediaType.TV,
    title="Sousou no Frieren",
    tvdb_id=424536,
    season=2,
    episode=5,
    absolute_episodes=[33],
    original_language="ja",
)
DAILY = FindReleases(
    tmdb_id=2224,
    media_type=MediaType.TV,
    title="The Daily Show",
    tvdb_id=71256,
    season=29,
    episode=45,
    air_date=date(2024, 3, 15),
)


def caps(tv: str | None) -> bytes:
    tv_node = f'<tv-search available="yes" supportedParams="{tv}"/>' if tv else ""
    return (
        '<?xml version="1.0"?><caps><limits default="100" max="100"/><searching>'
        f'<search available="yes" supportedParams="q"/>{tv_node}</searching>'
        '<categories><category id="5000" name="TV"/></categories></caps>'
    ).encode()


def plans(tv: str | None, request: FindReleases) -> list[dict[str, str]]:
    return [
        {k: v for k, v in plan.items() if k != "cat"}
        for plan in plan_searches(parse_caps(caps(tv)), SearchQuery.from_request(request))
    ]


@pytest.mark.parametrize(
    ("tv", "expected"),
    [
        pytest.param(
            "q,season,ep,tvdbid",
            [
                {"t": "tvsearch", "tvdbid": "424536", "season": "2", "ep": "5"},
                {"t": "tvsearch", "q": "Sousou no Frieren", "season": "2", "ep": "5"},
                # an id search drops the number, so the words go alone
                {"t": "tvsearch", "q": "Sousou no Frieren 33"},
                {"t": "tvsearch", "tvdbid": "424536", "season": "2"},
                {"t": "tvsearch", "q": "Sousou no Frieren", "season": "2"},
            ],
            id="season and episode, then the absolute number, then the season",
        ),
        pytest.param(
            "q",
            [
                {"t": "tvsearch", "q": "Sousou no Frieren S02E05"},
                {"t": "tvsearch", "q": "Sousou no Frieren 33"},
                {"t": "tvsearch", "q": "Sousou no Frieren S02"},
            ],
            id="by words alone",
        ),
        pytest.param(
            None,
            [
                {"t": "search", "q": "Sousou no Frieren S02E05"},
                {"t": "search", "q": "Sousou no Frieren 33"},
                {"t": "search", "q": "Sousou no Frieren S02"},
            ],
            id="no tv search",
        ),
    ],
)
def test_an_anime_episode_is_asked_for_by_its_absolute_number_too(tv: str | None, expected: list) -> None:
    assert plans(tv, FRIEREN) == expected


def test_fansubs_write_small_absolute_numbers_with_two_digits() -> None:
    early = FRIEREN.model_copy(update={"season": 1, "absolute_episodes": [5]})
    assert {"t": "tvsearch", "q": "Sousou no Frieren 05"} in plans("q,season,ep", early)


def test_a_show_not_named_by_absolute_number_is_never_asked_by_it() -> None:
    western = FRIEREN.model_copy(update={"original_language": "en", "title": "Severance"})
    assert plans("q,season,ep", western) == [
        {"t": "tvsearch", "q": "Severance", "season": "2", "ep": "5"},
        {"t": "tvsearch", "q": "Severance", "season": "2"},
    ]


def test_an_anime_season_is_asked_for_as_the_shows_releases_too() -> None:
    season = FRIEREN.model_copy(
        update={"episode": None, "episodes": [1, 2, 3], "absolute_episodes": [29, 30, 31]}
    )
    assert plans("q,season,ep,tvdbid", season) == [
        {"t": "tvsearch", "tvdbid": "424536", "season": "2"},
        {"t": "tvsearch", "q": "Sousou no Frieren", "season": "2"},
        # batches (`- 29-40`) name no season
        {"t": "tvsearch", "tvdbid": "424536"},
        {"t": "tvsearch", "q": "Sousou no Frieren"},
    ]


@pytest.mark.parametrize(
    ("tv", "expected"),
    [
        pytest.param(
            "q,season,ep,tvdbid",
            [
                {"t": "tvsearch", "tvdbid": "71256", "season": "29", "ep": "45"},
                {"t": "tvsearch", "q": "The Daily Show", "season": "29", "ep": "45"},
                {"t": "tvsearch", "tvdbid": "71256", "season": "2024", "ep": "03/15"},
                {"t": "tvsearch", "q": "The Daily Show", "season": "2024", "ep": "03/15"},
                {"t": "tvsearch", "tvdbid": "71256", "season": "29"},
                {"t": "tvsearch", "q": "The Daily Show", "season": "29"},
            ],
            id="season and episode, then the date in Newznab's form, then the season",
        ),
        pytest.param(
            "q",
            [
                {"t": "tvsearch", "q": "The Daily Show S29E45"},
                {"t": "tvsearch", "q": "The Daily Show 2024 03 15"},
                {"t": "tvsearch", "q": "The Daily Show S29"},
            ],
            id="by words alone",
        ),
        pytest.param(
            "q,season",
            [
                {"t": "tvsearch", "q": "The Daily Show", "season": "29"},
                {"t": "tvsearch", "q": "The Daily Show 2024 03 15"},
            ],
            id="the season first when the caps take no episode",
        ),
    ],
)
def test_an_episode_with_an_air_date_is_asked_for_by_its_date_too(tv: str, expected: list) -> None:
    assert plans(tv, DAILY) == expected


def test_a_day_without_an_episode_number_is_asked_for_by_its_date_alone() -> None:
    day = DAILY.model_copy(update={"episode": None})
    assert plans("q,season,ep", day) == [
        {"t": "tvsearch", "q": "The Daily Show", "season": "2024", "ep": "03/15"}
    ]


async def test_a_loopback_indexer_finds_the_fansub_release_by_its_absolute_number(
    torznab, indexer, make_item
) -> None:
    server = torznab(
        [
            make_item("[SubsPlease] Sousou no Frieren - 33 (1080p) [ABCD1234].mkv", category=5070),
            make_item("[SubsPlease] Sousou no Frieren - 34 (1080p) [1234ABCD].mkv", category=5070),
        ],
        tv_search="q,season,ep,tvdbid",
    )
    releases = await indexer(server.url).search(SearchQuery.from_request(FRIEREN))
    assert [r.name for r in releases] == ["[SubsPlease] Sousou no Frieren - 33 (1080p) [ABCD1234].mkv"]
    assert server.queries[-1] == {"t": "tvsearch", "q": "Sousou no Frieren 33", "cat": "5000"}


@pytest.fixture
def tpb() -> Iterator[Callable[[list[TpbTorrent]], TpbServer]]:
    started: list[TpbServer] = []

    def start(torrents: list[TpbTorrent]) -> TpbServer:
        started.append(TpbServer(torrents).start())
        return started[-1]

    yield start
    for server in started:
        server.stop()


async def test_the_bay_is_asked_by_date_after_season_and_episode(tpb, http: httpx.AsyncClient) -> None:
    site = tpb([TpbTorrent("The.Daily.Show.2024.03.15.Guest.Name.1080p.WEB.h264-GRP", category=208)])
    releases = await TpbProvider(site.base_url, http, max_bytes=10 << 20).search(
        SearchQuery.from_request(DAILY)
    )
    assert [r.name for r in releases] == ["The.Daily.Show.2024.03.15.Guest.Name.1080p.WEB.h264-GRP"]
    assert [q[1]["q"] for q in site.queries] == ["The Daily Show S29E45", "The Daily Show 2024 03 15"]
