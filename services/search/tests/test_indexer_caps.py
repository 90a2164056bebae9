"""What an indexer's caps allow decides what it is asked: id parameters, search function, categories, page size."""

from dataclasses import replace
from datetime import date

import pytest
from search.indexers.base import SearchQuery
from search.indexers.torznab.client import plan_searches
from search.indexers.torznab.feed import parse_caps

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import FindReleases


def caps(
    *,
    movie: str | None = "q,imdbid",
    tv: str | None = "q,season,ep",
    categories: str = '<category id="2000" name="Movies"/><category id="5000" name="TV"/>',
    limits: str = '<limits default="100" max="100"/>',
) -> bytes:
    movie_node = f'<movie-search available="yes" supportedParams="{movie}"/>' if movie else ""
    tv_node = f'<tv-search available="yes" supportedParams="{tv}"/>' if tv else ""
    return (
        f'<?xml version="1.0"?><caps>{limits}<searching><search available="yes" supportedParams="q"/>'
        f"{movie_node}{tv_node}</searching><categories>{categories}</categories></caps>"
    ).encode()


SINTEL = SearchQuery(title="Sintel", year=2010, imdb_id="tt1727587", tmdb_id=45745)
# as a search request arrives on the bus: the show's ids reach the indexer's parameters
OFFICE = SearchQuery.from_request(
    FindReleases(
        title="The Office",
        media_type=MediaType.TV,
        imdb_id="tt0386676",
        tmdb_id=2316,
        tvdb_id=73244,
        season=3,
        episode=5,
    )
)
DAILY = SearchQuery.from_request(
    FindReleases(
        title="The Daily Show",
        media_type=MediaType.TV,
        tvdb_id=71256,
        tmdb_id=2224,
        season=2023,
        air_date=date(2023, 10, 17),
    )
)


@pytest.mark.parametrize(
    ("document", "query", "plans"),
    [
        pytest.param(
            caps(movie="q,imdbid,tmdbid"),
            SINTEL,
            [
                {"t": "movie", "imdbid": "1727587", "tmdbid": "45745", "cat": "2000"},
                {"t": "movie", "q": "Sintel 2010", "cat": "2000"},
            ],
            id="every id the indexer takes, then title and year",
        ),
        pytest.param(
            caps(movie="q,tmdbid"),
            SINTEL,
            [
                {"t": "movie", "tmdbid": "45745", "cat": "2000"},
                {"t": "movie", "q": "Sintel 2010", "cat": "2000"},
            ],
            id="tmdb id alone",
        ),
        pytest.param(
            caps(movie=None),
            SINTEL,
            [{"t": "search", "q": "Sintel 2010", "cat": "2000"}],
            id="no movie search",
        ),
        pytest.param(
            caps(categories='<category id="2000"><subcat id="2040"/></category><category id="100001"/>'),
            SINTEL,
            [
                {"t": "movie", "imdbid": "1727587", "cat": "2000"},
                {"t": "movie", "q": "Sintel 2010", "cat": "2000"},
            ],
            id="the parent category covers its subcategories",
        ),
        pytest.param(
            caps(categories='<category id="2040" name="Movies/HD"/><category id="2045" name="Movies/UHD"/>'),
            SearchQuery(title="Sintel", year=2010),
            [{"t": "movie", "q": "Sintel 2010", "cat": "2040,2045"}],
            id="only subcategories offered",
        ),
        pytest.param(
            caps(categories='<category id="5000" name="TV"/>'),
            SINTEL,
            [],
            id="a TV-only indexer is not asked for movies",
        ),
        pytest.param(
            caps(limits='<limits default="25" max="100"/>'),
            SearchQuery(title="Sintel", year=2010),
            [{"t": "movie", "q": "Sintel 2010", "cat": "2000", "limit": "100"}],
            id="a full page when the default is smaller",
        ),
        pytest.param(
            caps(tv="q,season,ep,imdbid,tvdbid"),
            OFFICE,
            [
                {
                    "t": "tvsearch",
                    "imdbid": "0386676",
                    "tvdbid": "73244",
                    "season": "3",
                    "ep": "5",
                    "cat": "5000",
                },
                {"t": "tvsearch", "q": "The Office", "season": "3", "ep": "5", "cat": "5000"},
                # nothing for the episode alone: its season, whose packs hold it
                {"t": "tvsearch", "imdbid": "0386676", "tvdbid": "73244", "season": "3", "cat": "5000"},
                {"t": "tvsearch", "q": "The Office", "season": "3", "cat": "5000"},
            ],
            id="tv by ids with season and episode, then the season",
        ),
        pytest.param(
            caps(tv="q,season,ep,tmdbid"),
            replace(OFFICE, episodes=()),
            [
                {"t": "tvsearch", "tmdbid": "2316", "season": "3", "cat": "5000"},
                {"t": "tvsearch", "q": "The Office", "season": "3", "cat": "5000"},
            ],
            id="a whole season by the tmdb id the indexer takes",
        ),
        pytest.param(
            caps(tv="q,season,ep,tvdbid"),
            replace(OFFICE, episodes=(5, 6, 7)),
            [
                {"t": "tvsearch", "tvdbid": "73244", "season": "3", "cat": "5000"},
                {"t": "tvsearch", "q": "The Office", "season": "3", "cat": "5000"},
            ],
            id="several episodes are one season search: singles and packs",
        ),
        pytest.param(
            caps(tv="q,season"),
            OFFICE,
            [{"t": "tvsearch", "q": "The Office", "season": "3", "cat": "5000"}],
            id="tv without episode parameter",
        ),
        pytest.param(
            caps(tv="q"),
            OFFICE,
            [
                {"t": "tvsearch", "q": "The Office S03E05", "cat": "5000"},
                {"t": "tvsearch", "q": "The Office S03", "cat": "5000"},
            ],
            id="tv search by words alone names the episode, then the season",
        ),
        pytest.param(
            caps(tv=None),
            OFFICE,
            [
                {"t": "search", "q": "The Office S03E05", "cat": "5000"},
                {"t": "search", "q": "The Office S03", "cat": "5000"},
            ],
            id="no tv search names the episode",
        ),
        pytest.param(
            caps(tv="q,season,ep,tvdbid"),
            DAILY,
            [
                {"t": "tvsearch", "tvdbid": "71256", "season": "2023", "ep": "10/17", "cat": "5000"},
                {"t": "tvsearch", "q": "The Daily Show", "season": "2023", "ep": "10/17", "cat": "5000"},
            ],
            id="a daily show by its air date",
        ),
        pytest.param(
            caps(tv=None),
            DAILY,
            [{"t": "search", "q": "The Daily Show 2023 10 17", "cat": "5000"}],
            id="a daily show's date as words",
        ),
    ],
)
def test_searches_follow_the_caps(document: bytes, query: SearchQuery, plans: list[dict[str, str]]) -> None:
    assert plan_searches(parse_caps(document), query) == plans


def test_caps_tell_their_limits_and_describe_tv_ids() -> None:
    parsed = parse_caps(
        caps(movie="q,imdbid,tmdbid", tv="q,season,ep,tvdbid", limits='<limits default="50" max="200"/>')
    )
    assert (parsed.limit_default, parsed.limit_max) == (50, 200)
    assert parsed.describe_fully() == "movie search by IMDb id or TMDB id, TV search by TVDB id"
