"""Catalog (TMDB metadata) subjects, owned by the catalog service."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from niluflix.contracts.common import MediaType

POPULAR = "catalog.v1.popular"
TRENDING = "catalog.v1.trending"
SEARCH = "catalog.v1.search"
DETAILS = "catalog.v1.details"
SEASON = "catalog.v1.season"
EPISODE = "catalog.v1.episode"


class ListTitles(BaseModel):
    """Request for `catalog.v1.popular` and `catalog.v1.trending`."""

    media_type: MediaType = MediaType.MOVIE
    page: int = Field(1, ge=1, le=500)
    window: Literal["day", "week"] = Field("week", description="Trending over the last day or week")


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
    # Shows only (media_type tv); None / empty for movies.
    status: str | None = Field(None, description='TMDB\'s status, e.g. "Returning Series", "Ended"')
    networks: list[str] = []
    last_air_date: date | None = None
    seasons: list["SeasonSummary"] = Field(
        default_factory=list, description="Every season, specials (0) first"
    )
    next_episode: "EpisodeDetails | None" = Field(None, description="The next episode to air, when known")
    last_episode: "EpisodeDetails | None" = Field(None, description="The last episode that aired")


class SeasonSummary(BaseModel):
    season: int = Field(ge=0, description="0 holds the specials")
    name: str = ""
    episode_count: int = 0
    air_date: date | None = None
    poster_url: str | None = None
    overview: str = ""


class GetSeason(BaseModel):
    """Request for `catalog.v1.season`: one season of a show, with its episodes."""

    tmdb_id: int = Field(gt=0)
    season: int = Field(ge=0)


class EpisodeDetails(BaseModel):
    episode_id: int = Field(description="TMDB's id of the episode")
    show_id: int = Field(description="TMDB id of the show")
    season: int
    episode: int
    name: str = ""
    overview: str = ""
    air_date: date | None = None
    airs_at: datetime | None = Field(
        None,
        description="When it counts as out (UTC): 12:00 UTC the day after its air date, when that date has "
        "ended in every time zone (TMDB gives no air time); None while the air date is unknown",
    )
    runtime: int | None = Field(None, description="Minutes")
    still_url: str | None = None
    absolute_number: int | None = Field(
        None, description="Its number counted over the whole show (anime), from episode groups or air order"
    )

    def is_out(self, now: datetime) -> bool:
        """Out by `now`: its `airs_at` has passed (the catalog sets it from the air date; no date, not out)."""
        return self.airs_at is not None and self.airs_at <= now


class SeasonDetails(BaseModel):
    """Reply of `catalog.v1.season`."""

    tmdb_id: int
    season: int
    name: str = ""
    overview: str = ""
    air_date: date | None = None
    poster_url: str | None = None
    episodes: list[EpisodeDetails] = []


class GetEpisode(BaseModel):
    """Request for `catalog.v1.episode`: an episode by TMDB's episode id, as a season reply named it."""

    episode_id: int = Field(gt=0)


TitleDetails.model_rebuild()
