"""Shows through the TMDB client against a loopback server speaking TMDB v3: lists, details, seasons,
episodes, absolute numbers and the episode lookup."""

import logging
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from catalog.airing import airs_at
from catalog.cache import ResponseCache
from catalog.episode_index import EpisodeIndex
from catalog.errors import EpisodeNotFound, SeasonNotFound, TitleNotFound
from catalog.tmdb.client import TmdbClient
from catalog.tmdb.lifetimes import CacheLifetimes

from niluflix.contracts.catalog import GetEpisode, GetSeason, GetTitle, ListTitles, SearchTitles
from niluflix.contracts.common import MediaType
from niluflix.testing.tmdb_server import TmdbEpisode, TmdbSeason, TmdbServer, TmdbShow

TV = MediaType.TV


def client(http: httpx.AsyncClient, tmdb: TmdbServer, **kwargs) -> TmdbClient:
    return TmdbClient(http, base_url=tmdb.base_url, api_key=tmdb.api_key, **kwargs)


def test_an_episode_is_out_at_noon_utc_the_day_after_its_air_date() -> None:
    assert airs_at(date(2024, 2, 29)) == datetime(2024, 3, 1, 12, tzinfo=UTC)
    assert airs_at(None) is None


async def test_popular_trending_and_search_list_shows(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    tmdb_client = client(http, tmdb)

    popular = await tmdb_client.popular(ListTitles(media_type=TV))
    week = await tmdb_client.trending(ListTitles(media_type=TV))
    day = await tmdb_client.trending(ListTitles(media_type=TV, window="day"))
    found = await tmdb_client.search(SearchTitles(query="pioneer 1", media_type=TV))

    assert [t.title for t in popular.results] == ["Pioneer One", "Llama Quest"]
    pioneer = popular.results[0]
    assert (pioneer.media_type, pioneer.tmdb_id, pioneer.year) == (TV, 30804, 2010)
    assert pioneer.poster_url == "https://image.tmdb.org/t/p/w500/pioneer.jpg"
    assert pioneer.overview == "A Mars capsule falls to Earth with a man inside."
    assert popular.results[1].original_title == "ラマ・クエスト"
    assert [t.title for t in week.results] == ["Llama Quest", "Pioneer One"]
    assert [t.title for t in day.results] == ["Pioneer One", "Llama Quest"]
    assert [t.title for t in found.results] == ["Pioneer One"]  # found by an alternative title
    asked = [r.path for r in tmdb.requests]
    assert asked == ["/tv/popular", "/trending/tv/week", "/trending/tv/day", "/search/tv"]


async def test_movies_trend_by_day_too(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    page = await client(http, tmdb).trending(ListTitles(window="day"))

    assert page.results[0].media_type is MediaType.MOVIE
    assert tmdb.requests[-1].path == "/trending/movie/day"


async def test_show_details(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    pioneer = await client(http, tmdb).details(GetTitle(tmdb_id=30804, media_type=TV))

    assert (pioneer.title, pioneer.media_type, pioneer.year) == ("Pioneer One", TV, 2010)
    assert pioneer.release_date == date(2010, 6, 16)
    assert (pioneer.imdb_id, pioneer.tvdb_id) == ("tt1748166", 170551)
    assert (pioneer.status, pioneer.networks, pioneer.runtime) == ("Ended", ["VODO"], 35)
    assert pioneer.alternative_titles == ["Pioneer 1"]  # the show's own name is not an alternative
    assert pioneer.genres == ["Drama", "Science Fiction"]
    assert [(s.season, s.name, s.episode_count) for s in pioneer.seasons] == [
        (0, "Specials", 1),
        (1, "Season 1", 6),
    ]
    assert pioneer.seasons[1].air_date == date(2010, 6, 16)
    assert pioneer.last_air_date == date(2010, 11, 16)
    last = pioneer.last_episode
    assert last is not None and (last.season, last.episode, last.name) == (1, 6, "Part 6")
    assert last.airs_at == datetime(2010, 11, 17, 12, tzinfo=UTC)
    assert pioneer.next_episode is None
    assert tmdb.requests[-1].params == {"append_to_response": "alternative_titles,external_ids"}


async def test_a_show_airing_names_its_next_episode(http: httpx.AsyncClient, tmdb: TmdbServer) -> None:
    today = datetime.now(UTC).date()
    tmdb.add_show(airing_show(today))

    show = await client(http, tmdb).details(GetTitle(tmdb_id=70000, media_type=TV))

    assert show.status == "Returning Series"
    assert show.last_episode is not None and show.last_episode.episode == 2
    assert show.next_episode is not None
    assert (show.next_episode.episode, show.next_episode.air_date) == (3, today)
    assert show.next_episode.airs_at == airs_at(today)


async def test_a_season_with_its_episodes(
    http: httpx.AsyncClient, tmdb: TmdbServer, pioneer_one: TmdbShow
) -> None:
    season = await client(http, tmdb).season(GetSeason(tmdb_id=30804, season=1))

    assert (season.tmdb_id, season.season, season.name) == (30804, 1, "Season 1")
    assert season.air_date == date(2010, 6, 16)
    assert [e.episode for e in season.episodes] == [1, 2, 3, 4, 5, 6]
    second = season.episodes[1]
    assert (second.show_id, second.season, second.name, second.runtime) == (30804, 1, "Part 2", 35)
    assert second.episode_id == pioneer_one.seasons[0].episodes[1].id
    assert second.air_date == date(2010, 7, 16)
    assert second.airs_at == datetime(2010, 7, 17, 12, tzinfo=UTC)
    assert [e.absolute_number for e in season.episodes] == [1, 2, 3, 4, 5, 6]  # no group: air order


async def test_specials_have_stills_and_no_absolute_number_in_air_order(
    http: httpx.AsyncClient, tmdb: TmdbServer
) -> None:
    specials = await client(http, tmdb).season(GetSeason(tmdb_id=30804, season=0))

    (making_of,) = specials.episodes
    assert (making_of.season, making_of.name) == (0, "Making Of")
    assert making_of.still_url == "https://image.tmdb.org/t/p/w300/making-of.jpg"
    assert making_of.absolute_number is None


async def test_absolute_numbers_come_from_the_absolute_episode_group(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, llama_quest: TmdbShow
) -> None:
    tmdb_client = client(http, tmdb, cache=cache)

    second = await tmdb_client.season(GetSeason(tmdb_id=61234, season=2))
    ova = await tmdb_client.season(GetSeason(tmdb_id=61234, season=0))

    # The group counts the OVA third, so season 2 starts at 4 (air order would say 3).
    assert [e.absolute_number for e in second.episodes] == [4, 5]
    assert [e.absolute_number for e in ova.episodes] == [3]
    assert tmdb.count("/tv/61234/episode_groups") == 1  # the second season came from the cache
    assert tmdb.count(f"/tv/episode_group/{llama_quest.absolute_group_id}") == 1


async def test_an_absolute_group_tmdb_cannot_give_falls_back_to_air_order(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # TMDB lists an "Absolute" group whose own page then answers 404.
    show = TmdbShow(
        id=556,
        name="Half Grouped",
        status="Ended",
        seasons=[TmdbSeason(1, [TmdbEpisode(n, air_date=f"2020-01-0{n}") for n in (1, 2)])],
        absolute_order=[],
    )
    with TmdbServer(shows=[show]) as tmdb, caplog.at_level(logging.WARNING, logger="catalog"):
        season = await client(http, tmdb).season(GetSeason(tmdb_id=556, season=1))

    assert [e.absolute_number for e in season.episodes] == [1, 2]
    assert "no episode groups of Half Grouped from TMDB" in caplog.text


async def test_later_seasons_count_on_from_the_earlier_ones(http: httpx.AsyncClient) -> None:
    show = TmdbShow(
        id=555,
        name="Two Seasons",
        status="Ended",
        seasons=[
            TmdbSeason(1, [TmdbEpisode(n, air_date=f"2020-01-0{n}") for n in (1, 2, 3)]),
            TmdbSeason(2, [TmdbEpisode(n, air_date=f"2021-01-0{n}") for n in (1, 2)]),
        ],
    )
    with TmdbServer(shows=[show]) as tmdb:
        season = await client(http, tmdb).season(GetSeason(tmdb_id=555, season=2))

    assert [e.absolute_number for e in season.episodes] == [4, 5]


@pytest.mark.parametrize(
    ("ask", "error", "message"),
    [
        (GetTitle(tmdb_id=999, media_type=TV), TitleNotFound, "TMDB has no show with id 999"),
        (GetSeason(tmdb_id=999, season=1), TitleNotFound, "TMDB has no show with id 999"),
        (GetSeason(tmdb_id=30804, season=9), SeasonNotFound, "TMDB has no season 9 of Pioneer One"),
    ],
)
async def test_unknown_shows_and_seasons(
    http: httpx.AsyncClient, tmdb: TmdbServer, ask: object, error: type[Exception], message: str
) -> None:
    tmdb_client = client(http, tmdb)
    call = tmdb_client.details if isinstance(ask, GetTitle) else tmdb_client.season

    with pytest.raises(error, match=message):
        await call(ask)  # type: ignore[arg-type]


async def test_an_episode_is_found_by_its_id_once_its_season_was_seen(
    http: httpx.AsyncClient,
    tmdb: TmdbServer,
    cache: ResponseCache,
    episodes: EpisodeIndex,
    pioneer_one: TmdbShow,
) -> None:
    third = pioneer_one.seasons[0].episodes[2].id
    assert third is not None

    with pytest.raises(EpisodeNotFound, match="ask for its show's season first"):
        await client(http, tmdb, cache=cache, episodes=episodes).episode(GetEpisode(episode_id=third))
    await client(http, tmdb, cache=cache, episodes=episodes).season(GetSeason(tmdb_id=30804, season=1))
    # Another client on the same database: a restarted service still knows the episode.
    found = await client(http, tmdb, cache=cache, episodes=episodes).episode(GetEpisode(episode_id=third))

    assert (found.show_id, found.season, found.episode, found.name) == (30804, 1, 3, "Part 3")
    assert found.absolute_number == 3
    assert tmdb.count("/tv/30804/season/1") == 1  # the lookup's season came from the cache


async def test_a_shows_next_and_last_episode_are_found_by_id(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, episodes: EpisodeIndex
) -> None:
    tmdb.add_show(airing_show(datetime.now(UTC).date()))
    tmdb_client = client(http, tmdb, cache=cache, episodes=episodes)
    show = await tmdb_client.details(GetTitle(tmdb_id=70000, media_type=TV))
    assert show.next_episode is not None

    following = await tmdb_client.episode(GetEpisode(episode_id=show.next_episode.episode_id))

    assert (following.season, following.episode) == (1, 3)


async def test_an_episode_tmdb_dropped_says_so(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, episodes: EpisodeIndex
) -> None:
    today = datetime.now(UTC).date()
    tmdb.add_show(airing_show(today))
    never_fresh = CacheLifetimes(show_airing=0, details=0)
    tmdb_client = client(http, tmdb, cache=cache, episodes=episodes, lifetimes=never_fresh)
    season = await tmdb_client.season(GetSeason(tmdb_id=70000, season=1))
    dropped = season.episodes[-1].episode_id
    merged = airing_show(today)
    merged.seasons[0].episodes.pop()  # TMDB merged the last episode into another
    tmdb.add_show(merged)

    with pytest.raises(EpisodeNotFound, match="ask for the season again"):
        await tmdb_client.episode(GetEpisode(episode_id=dropped))


def airing_show(today: date) -> TmdbShow:
    """A show airing now: episodes 1 and 2 are out, 3 airs today, 4 next week, 5 has no date yet."""
    return TmdbShow(
        id=70000,
        name="Night Shift",
        first_air_date=(today - timedelta(days=14)).isoformat(),
        status="Returning Series",
        networks=["Open Network"],
        seasons=[
            TmdbSeason(
                1,
                [
                    TmdbEpisode(1, "Dusk", today - timedelta(days=14)),
                    TmdbEpisode(2, "Midnight", today - timedelta(days=7)),
                    TmdbEpisode(3, "Small Hours", today),
                    TmdbEpisode(4, "Dawn", today + timedelta(days=7)),
                    TmdbEpisode(5, "Morning", None),
                ],
            )
        ],
    )
