"""A show's parts as the gateway asks its owners for them, through the gateway's short memory (show_cache)."""

from gateway.deps import GatewayState
from gateway.episode_states import EpisodeKey, in_flight, in_library
from gateway.library_pages import library_items
from niluflix.contracts import catalog, downloads, follows
from niluflix.contracts.catalog import GetSeason, GetTitle, SeasonDetails, TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import Job, JobList, ListDownloads
from niluflix.contracts.follows import Follow, FollowList, ListFollows

TV = MediaType.TV


async def show_details(state: GatewayState, tmdb_id: int) -> TitleDetails:
    return await state.call(catalog.DETAILS, GetTitle(tmdb_id=tmdb_id, media_type=TV), TitleDetails)


async def season_details(state: GatewayState, tmdb_id: int, season: int) -> SeasonDetails:
    async def fetch() -> SeasonDetails:
        return await state.call(catalog.SEASON, GetSeason(tmdb_id=tmdb_id, season=season), SeasonDetails)

    return await state.shows.seasons.get(tmdb_id, (tmdb_id, season), fetch)


async def library_episodes(state: GatewayState, tmdb_id: int) -> set[EpisodeKey]:
    async def fetch() -> set[EpisodeKey]:
        return in_library(await library_items(state, TV, tmdb_id))

    return await state.shows.library.get(tmdb_id, tmdb_id, fetch)


async def active_jobs(state: GatewayState, tmdb_id: int) -> dict[EpisodeKey, Job]:
    async def fetch() -> dict[EpisodeKey, Job]:
        active = [s for s in downloads.JobState if s.active]
        query = ListDownloads(states=active, tmdb_id=tmdb_id, media_type=TV, limit=5000)
        return in_flight((await state.call(downloads.LIST, query, JobList)).jobs)

    return await state.shows.jobs.get(tmdb_id, tmdb_id, fetch)


async def follow_of(state: GatewayState, tmdb_id: int) -> Follow | None:
    async def fetch() -> FollowList:
        return await state.call(follows.LIST, ListFollows(), FollowList)

    # Every show page asks: one list for all shows, kept as briefly as the page's other parts.
    every = await state.shows.follows.get(0, 0, fetch)
    return next((f for f in every.follows if f.tmdb_id == tmdb_id), None)
