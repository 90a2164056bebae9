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


# -- shows ------------------------------------------------------------------------------------------


class ShowResult(TmdbModel):
    """An item of /tv/popular, /trending/tv/{window} and /search/tv: a show is `name`d, not `title`d."""

    id: int
    name: str
    original_name: OptionalText = None
    overview: str | None = ""
    first_air_date: OptionalDate = None
    poster_path: OptionalText = None
    backdrop_path: OptionalText = None
    vote_average: float | None = None
    popularity: float | None = None
    media_type: str | None = None  # only in /trending


class ShowPage(TmdbModel):
    page: int
    results: list[ShowResult]
    total_pages: int
    total_results: int


class Network(TmdbModel):
    id: int
    name: str


class SeasonEntry(TmdbModel):
    """A season as /tv/{id} lists it."""

    id: int | None = None
    season_number: int
    name: str | None = ""
    overview: str | None = ""
    episode_count: int | None = 0
    air_date: OptionalDate = None
    poster_path: OptionalText = None


class Episode(TmdbModel):
    """An episode as a season, a show's next/last episode or an episode group sends it."""

    id: int
    show_id: int | None = None  # absent in some older answers: the caller knows the show
    season_number: int
    episode_number: int
    name: str | None = ""
    overview: str | None = ""
    air_date: OptionalDate = None
    runtime: OptionalMinutes = None
    still_path: OptionalText = None


class ShowAlternativeTitles(TmdbModel):
    """A show's alternative titles come as `results`, a movie's as `titles`."""

    results: list[AlternativeTitle] = []


class ShowDetails(ShowResult):
    original_language: OptionalText = None
    status: OptionalText = None
    in_production: bool | None = None
    last_air_date: OptionalDate = None
    episode_run_time: list[int] = []
    genres: list[Genre] = []
    networks: list[Network] = []
    seasons: list[SeasonEntry] = []
    next_episode_to_air: Episode | None = None
    last_episode_to_air: Episode | None = None
    alternative_titles: ShowAlternativeTitles = Field(default_factory=ShowAlternativeTitles)
    external_ids: ExternalIds = Field(default_factory=ExternalIds)


class Season(TmdbModel):
    """/tv/{id}/season/{n}."""

    id: int | None = None
    season_number: int
    name: str | None = ""
    overview: str | None = ""
    air_date: OptionalDate = None
    poster_path: OptionalText = None
    episodes: list[Episode] = []


class EpisodeGroupEntry(TmdbModel):
    """An item of /tv/{id}/episode_groups. Type 2 is "Absolute" (1 original air date, 3 DVD, 4 digital,
    5 story arc, 6 production, 7 TV)."""

    id: str
    name: str | None = ""
    type: int
    episode_count: int | None = 0


class EpisodeGroups(TmdbModel):
    results: list[EpisodeGroupEntry] = []


class GroupEpisode(Episode):
    order: int = 0


class EpisodeSubgroup(TmdbModel):
    id: str | None = None
    name: str | None = ""
    order: int = 0
    episodes: list[GroupEpisode] = []


class EpisodeGroup(TmdbModel):
    """/tv/episode_group/{id}: the group's episodes in its own order."""

    id: str
    type: int | None = None
    groups: list[EpisodeSubgroup] = []
