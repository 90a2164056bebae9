"""The built-in sample catalog: what a new user sees with no TMDB key and no network."""

import base64
import xml.etree.ElementTree as ET

import pytest
from catalog.errors import TitleNotFound
from catalog.sample import SampleCatalog

from niluflix.contracts.catalog import GetTitle, ListTitles, SearchTitles

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
