"""TMDB's show JSON -> the catalog's contract: shows, seasons, episodes and their absolute numbers."""

from catalog.airing import airs_at
from catalog.tmdb.images import ImageBases
from catalog.tmdb.models import Episode, EpisodeGroup, Season, ShowDetails, ShowPage, ShowResult
from niluflix.contracts.catalog import (
    EpisodeDetails,
    SeasonDetails,
    SeasonSummary,
    TitleDetails,
    TitlePage,
    TitleSummary,
)
from niluflix.contracts.common import MediaType

ABSOLUTE_GROUP = 2  # TMDB's episode group type "Absolute"


def summary_fields(show: ShowResult, images: ImageBases) -> dict:
    return {
        "tmdb_id": show.id,
        "media_type": MediaType.TV,
        "title": show.name,
        "original_title": show.original_name,
        "year": show.first_air_date.year if show.first_air_date else None,
        "overview": show.overview or "",
        "poster_url": images.url(images.poster, show.poster_path),
        "backdrop_url": images.url(images.backdrop, show.backdrop_path),
        "vote_average": show.vote_average,
        "popularity": show.popularity,
    }


def show_page(page: ShowPage, images: ImageBases) -> TitlePage:
    return TitlePage(
        page=page.page,
        total_pages=page.total_pages,
        total_results=page.total_results,
        results=[TitleSummary(**summary_fields(s, images)) for s in page.results],
    )


def episode(item: Episode, show_id: int, images: ImageBases, absolute: int | None = None) -> EpisodeDetails:
    return EpisodeDetails(
        episode_id=item.id,
        show_id=item.show_id or show_id,
        season=item.season_number,
        episode=item.episode_number,
        name=item.name or "",
        overview=item.overview or "",
        air_date=item.air_date,
        airs_at=airs_at(item.air_date),
        runtime=item.runtime,
        still_url=images.url(images.still, item.still_path),
        absolute_number=absolute,
    )


def show_details(show: ShowDetails, images: ImageBases) -> TitleDetails:
    seen = {show.name.casefold()}
    alternatives = []
    for alt in show.alternative_titles.results:
        if alt.title and alt.title.casefold() not in seen:
            seen.add(alt.title.casefold())
            alternatives.append(alt.title)
    return TitleDetails(
        **summary_fields(show, images),
        release_date=show.first_air_date,
        runtime=show.episode_run_time[0] if show.episode_run_time else None,
        imdb_id=show.external_ids.imdb_id,
        tvdb_id=show.external_ids.tvdb_id,
        genres=[g.name for g in show.genres],
        alternative_titles=alternatives,
        original_language=show.original_language,
        status=show.status,
        networks=[n.name for n in show.networks],
        last_air_date=show.last_air_date,
        seasons=[
            SeasonSummary(
                season=s.season_number,
                name=s.name or "",
                episode_count=s.episode_count or 0,
                air_date=s.air_date,
                poster_url=images.url(images.poster, s.poster_path),
                overview=s.overview or "",
            )
            for s in sorted(show.seasons, key=lambda s: s.season_number)
        ],
        next_episode=episode(show.next_episode_to_air, show.id, images) if show.next_episode_to_air else None,
        last_episode=episode(show.last_episode_to_air, show.id, images) if show.last_episode_to_air else None,
    )


def season_details(
    season: Season, show: ShowDetails, images: ImageBases, absolute: dict[int, int]
) -> SeasonDetails:
    return SeasonDetails(
        tmdb_id=show.id,
        season=season.season_number,
        name=season.name or "",
        overview=season.overview or "",
        air_date=season.air_date,
        poster_url=images.url(images.poster, season.poster_path),
        episodes=[
            episode(e, show.id, images, absolute.get(e.id))
            for e in sorted(season.episodes, key=lambda e: e.episode_number)
        ],
    )


def absolute_from_group(group: EpisodeGroup) -> dict[int, int]:
    """Episode id -> number, counted over the group's episodes in the group's order.

    A special the group lists counts too: fans number an OVA in the run when the group puts it there.
    """
    numbers: dict[int, int] = {}
    for sub in sorted(group.groups, key=lambda g: g.order):
        for item in sorted(sub.episodes, key=lambda e: e.order):
            numbers.setdefault(item.id, len(numbers) + 1)
    return numbers


def absolute_by_air_order(season: Season, show: ShowDetails) -> dict[int, int]:
    """Episode id -> number, counting the episodes of the seasons before it (specials left out)."""
    if season.season_number < 1:
        return {}
    before = sum(s.episode_count or 0 for s in show.seasons if 1 <= s.season_number < season.season_number)
    ordered = sorted(season.episodes, key=lambda e: e.episode_number)
    return {e.id: before + i for i, e in enumerate(ordered, start=1)}
