"""The built-in sample catalog: what a new user sees with no TMDB key and no network."""

import base64
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
from catalog.errors import EpisodeNotFound, SeasonNotFound, TitleNotFound
from catalog.sample import SampleCatalog

from niluflix.contracts.catalog import GetEpisode, GetSeason, GetTitle, ListTitles, SearchTitles
from niluflix.contracts.common import MediaType

SVG = "{http://www.w3.org/2000/svg}"
OPEN_MOVIES = {
    ("Big Buck Bunny", 2008),
    ("Sintel", 2010),
    ("Tears of Steel", 2012),
    ("Elephants Dream", 2006),
    ("Cosmos Laundromat", 2015),
    ("Spring", 2019),
    ("Agent 327: Operation Barbershop", 2017),
    ("Caminandes 3: Llamigos", 2016),
    ("Sprite Fright", 2021),
    ("Charge", 2022),
}


@pytest.fixture
def sample() -> SampleCatalog:
    return SampleCatalog()


async def test_popular_and_trending_list_the_open_movies(sample: SampleCatalog) -> None:
    popular = await sample.popular(ListTitles())
    trending = await sample.trending(ListTitles())

    assert {(t.title, t.year) for t in popular.results} == OPEN_MOVIES
    assert (popular.page, popular.total_pages, popular.total_results) == (1, 1, 10)
    assert popular.results[0].title == "Big Buck Bunny"
    assert trending.results[0].title == "Sprite Fright"  # another order, as on TMDB
    assert {t.tmdb_id for t in trending.results} == {t.tmdb_id for t in popular.results}


async def test_a_page_past_the_end_is_empty(sample: SampleCatalog) -> None:
    page = await sample.popular(ListTitles(page=2))

    assert (page.page, page.total_results, page.results) == (2, 10, [])


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("sintel", ["Sintel"]),
        ("TEARS steel", ["Tears of Steel"]),
        ("Éléphants", ["Elephants Dream"]),
        ("llam", ["Caminandes 3: Llamigos"]),
        ("caminandes 3", ["Caminandes 3: Llamigos"]),
        ("bunny big", ["Big Buck Bunny"]),
        ("first cycle", ["Cosmos Laundromat"]),  # an alternative title
        ("s", ["Sintel", "Tears of Steel", "Sprite Fright", "Spring"]),  # by popularity
        ("star wars", []),
        ("steel bunny", []),  # every word must match the same title
        ("!!!", []),
    ],
)
async def test_search_matches_words_without_case_or_accents(
    sample: SampleCatalog, query: str, titles: list[str]
) -> None:
    page = await sample.search(SearchTitles(query=query))

    assert [t.title for t in page.results] == titles
    assert page.total_results == len(titles)


async def test_details(sample: SampleCatalog) -> None:
    sintel = await sample.details(GetTitle(tmdb_id=45745))

    assert (sintel.title, sintel.year, sintel.runtime, sintel.imdb_id) == ("Sintel", 2010, 15, "tt1727587")
    assert sintel.overview and "Animation" in sintel.genres
    assert sintel.original_language == "en"


async def test_details_of_an_unknown_id(sample: SampleCatalog) -> None:
    with pytest.raises(TitleNotFound, match="no movie with id 4242"):
        await sample.details(GetTitle(tmdb_id=4242))


async def test_posters_work_offline(sample: SampleCatalog) -> None:
    page = await sample.popular(ListTitles())

    uris = {t.poster_url for t in page.results}
    assert len(uris) == 10  # a poster of its own for each movie
    for title in page.results:
        assert title.poster_url is not None
        prefix, _, data = title.poster_url.partition(",")
        assert prefix == "data:image/svg+xml;base64"
        svg = ET.fromstring(base64.b64decode(data))
        assert svg.tag == f"{SVG}svg"
        assert int(svg.get("width")) * 3 == int(svg.get("height")) * 2
        assert svg.find(f".//{SVG}linearGradient") is not None
        words = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
        assert " ".join(words.split()).startswith(title.title)
        assert str(title.year) in words
        assert title.backdrop_url and title.backdrop_url.startswith("data:image/svg+xml;base64,")


TV = MediaType.TV


async def test_the_open_shorts_as_shows(sample: SampleCatalog) -> None:
    popular = await sample.popular(ListTitles(media_type=TV))
    trending = await sample.trending(ListTitles(media_type=TV, window="day"))
    found = await sample.search(SearchTitles(query="blender open", media_type=TV))

    assert [(t.title, t.year) for t in popular.results] == [
        ("Caminandes", 2013),
        ("Blender Studio Shorts", 2015),
    ]
    assert [t.title for t in trending.results] == ["Blender Studio Shorts", "Caminandes"]
    assert all(t.media_type is TV for t in popular.results)
    assert [t.title for t in found.results] == ["Blender Studio Shorts"]  # by its alternative title
    # Movies and shows do not mix: a show is not a movie search's answer.
    assert (await sample.search(SearchTitles(query="caminandes"))).results[
        0
    ].title == "Caminandes 3: Llamigos"


async def test_every_season_of_every_show_matches_its_details(sample: SampleCatalog) -> None:
    episode_ids = set()
    for summary in (await sample.popular(ListTitles(media_type=TV))).results:
        show = await sample.details(GetTitle(tmdb_id=summary.tmdb_id, media_type=TV))
        assert show.status in ("Ended", "Returning Series") and show.networks == ["Blender Studio"]
        absolute = 0
        for entry in show.seasons:
            season = await sample.season(GetSeason(tmdb_id=show.tmdb_id, season=entry.season))
            assert len(season.episodes) == entry.episode_count and season.air_date == entry.air_date
            for episode in season.episodes:
                absolute += 1
                assert (episode.show_id, episode.season, episode.absolute_number) == (
                    show.tmdb_id,
                    entry.season,
                    absolute,
                )
                assert episode.airs_at is not None and episode.airs_at < datetime.now(UTC)  # all out
                assert await sample.episode(GetEpisode(episode_id=episode.episode_id)) == episode
                episode_ids.add(episode.episode_id)
        assert show.last_episode is not None and show.last_air_date == show.last_episode.air_date
        assert show.poster_url and show.poster_url.startswith("data:image/svg+xml;base64,")
    assert len(episode_ids) == 8 and min(episode_ids) > 9_100_000


async def test_caminandes(sample: SampleCatalog) -> None:
    season = await sample.season(GetSeason(tmdb_id=9_000_101, season=1))

    assert [e.name for e in season.episodes] == ["Llama Drama", "Gran Dillama", "Llamigos"]
    assert season.episodes[2].air_date == date(2016, 1, 1)
    assert season.episodes[2].airs_at == datetime(2016, 1, 2, 12, tzinfo=UTC)


async def test_unknown_shows_seasons_and_episodes(sample: SampleCatalog) -> None:
    with pytest.raises(TitleNotFound, match="no show with id 45745"):
        await sample.details(GetTitle(tmdb_id=45745, media_type=TV))  # a movie's id
    with pytest.raises(SeasonNotFound, match="no season 3 of Caminandes"):
        await sample.season(GetSeason(tmdb_id=9_000_101, season=3))
    with pytest.raises(TitleNotFound, match="no show with id 1"):
        await sample.season(GetSeason(tmdb_id=1, season=1))
    with pytest.raises(EpisodeNotFound, match="no episode with id 9"):
        await sample.episode(GetEpisode(episode_id=9))
