"""TMDB v3 JSON as TMDB sends it, validated at the edge; only the fields the catalog uses.

TMDB sends "" for an unknown date and 0 for an unknown runtime; both become None here.
"""

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _date_or_none(value: Any) -> Any:
    if value in ("", None):
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None  # TMDB has sent partial dates ("2010"); no date beats a failed page
    return value


def _blank_to_none(value: Any) -> Any:
    return None if value in ("", 0) else value


OptionalDate = Annotated[date | None, BeforeValidator(_date_or_none)]
OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]
OptionalMinutes = Annotated[int | None, BeforeValidator(_blank_to_none)]


class TmdbModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


class MovieResult(TmdbModel):
    id: int
    title: str
    original_title: OptionalText = None
    overview: str | None = ""
    release_date: OptionalDate = None
    poster_path: OptionalText = None
    backdrop_path: OptionalText = None
    vote_average: float | None = None
    popularity: float | None = None
    media_type: str | None = None  # only in /trending


class MoviePage(TmdbModel):
    page: int
    results: list[MovieResult]
    total_pages: int
    total_results: int


class Genre(TmdbModel):
    id: int
    name: str


class AlternativeTitle(TmdbModel):
    title: str
    iso_3166_1: str | None = None
    type: str | None = None


class AlternativeTitles(TmdbModel):
    titles: list[AlternativeTitle] = []


class ExternalIds(TmdbModel):
    imdb_id: OptionalText = None
    tvdb_id: int | None = None


class MovieDetails(MovieResult):
    imdb_id: OptionalText = None
    original_language: OptionalText = None
    runtime: OptionalMinutes = None
    genres: list[Genre] = []
    alternative_titles: AlternativeTitles = Field(default_factory=AlternativeTitles)
    external_ids: ExternalIds = Field(default_factory=ExternalIds)
