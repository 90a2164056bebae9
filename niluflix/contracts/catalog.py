"""Catalog (TMDB metadata) subjects, owned by the catalog service."""

from datetime import date

from pydantic import BaseModel, Field

from niluflix.contracts.common import MediaType

POPULAR = "catalog.v1.popular"
TRENDING = "catalog.v1.trending"
SEARCH = "catalog.v1.search"
DETAILS = "catalog.v1.details"


class ListTitles(BaseModel):
    """Request for `catalog.v1.popular` and `catalog.v1.trending`."""

    media_type: MediaType = MediaType.MOVIE
    page: int = Field(1, ge=1, le=500)


class SearchTitles(BaseModel):
    """Request for `catalog.v1.search`."""

    query: str = Field(min_length=1, max_length=200)
    media_type: MediaType = MediaType.MOVIE
    page: int = Field(1, ge=1, le=500)


class GetTitle(BaseModel):
    """Request for `catalog.v1.details`."""

    tmdb_id: int = Field(gt=0)
    media_type: MediaType = MediaType.MOVIE


class TitleSummary(BaseModel):
    tmdb_id: int
    media_type: MediaType = MediaType.MOVIE
    title: str
    original_title: str | None = None
    year: int | None = None
    overview: str = ""
    poster_url: str | None = Field(None, description="Absolute URL of the poster image, or None")
    backdrop_url: str | None = None
    vote_average: float | None = None
    popularity: float | None = None


class TitlePage(BaseModel):
    page: int = 1
    total_pages: int = 1
    total_results: int = 0
    results: list[TitleSummary] = []


class TitleDetails(TitleSummary):
    """Reply of `catalog.v1.details`: what search and the organizer need to know about a title."""

    release_date: date | None = None
    runtime: int | None = Field(None, description="Minutes")
    imdb_id: str | None = Field(None, description="e.g. tt1727587")
    tvdb_id: int | None = Field(None, description="TheTVDB id, for shows (TMDB's external ids)")
    genres: list[str] = []
    alternative_titles: list[str] = Field(
        default_factory=list, description="Other names, for release matching"
    )
    original_language: str | None = Field(
        None, description="ISO 639-1 of the original audio, e.g. ko: search prefers releases in it"
    )
