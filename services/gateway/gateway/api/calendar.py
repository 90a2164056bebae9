"""The calendar: the followed shows' episodes that aired lately or air soon, each with where it stands."""

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from gateway.api.problems import doc
from gateway.deps import GatewayState, StateDep
from gateway.episode_states import EpisodeState, state_of
from gateway.show_parts import active_jobs, library_episodes, season_details, show_details
from niluflix.contracts import follows
from niluflix.contracts.catalog import EpisodeDetails, TitleDetails
from niluflix.contracts.follows import Follow, FollowList, ListFollows

router = APIRouter(prefix="/api", tags=["tv"], responses=doc(502, 503))

# Shows asked about at once: a calendar of 500 followed shows must not open 500 requests together.
CONCURRENT_SHOWS = 8


class CalendarEpisode(EpisodeDetails):
    show_title: str
    state: EpisodeState


class Calendar(BaseModel):
    start: date
    end: date
    episodes: list[CalendarEpisode] = Field(default_factory=list, description="By air date, then show")


@router.get("/calendar", response_model=Calendar)
async def calendar(
    state: StateDep,
    days_back: Annotated[int, Query(ge=0, le=90, description="Days before today to include")] = 7,
    days_ahead: Annotated[int, Query(ge=0, le=90, description="Days after today to include")] = 14,
) -> Calendar:
    today = datetime.now(UTC).date()
    start, end = today - timedelta(days=days_back), today + timedelta(days=days_ahead)
    followed = await state.call(follows.LIST, ListFollows(), FollowList)
    gate = asyncio.Semaphore(CONCURRENT_SHOWS)

    async def one(follow: Follow) -> list[CalendarEpisode]:
        async with gate:
            return await _episodes_of(state, follow, start, end)

    found = await asyncio.gather(*(one(f) for f in followed.follows))
    episodes = [e for show in found for e in show]
    episodes.sort(key=lambda e: (e.air_date or end, e.show_title.casefold(), e.season, e.episode))
    return Calendar(start=start, end=end, episodes=episodes)


async def _episodes_of(state: GatewayState, follow: Follow, start: date, end: date) -> list[CalendarEpisode]:
    show = await show_details(state, follow.tmdb_id)
    numbers = _seasons_around(show, start, end)
    seasons, present, jobs = await asyncio.gather(
        asyncio.gather(*(season_details(state, show.tmdb_id, n) for n in numbers)),
        library_episodes(state, show.tmdb_id),
        active_jobs(state, show.tmdb_id),
    )
    now = datetime.now(UTC)
    return [
        CalendarEpisode(
            **episode.model_dump(),
            show_title=show.title,
            state=state_of(episode, library=present, jobs=jobs, wanted=follow.wants(episode), now=now),
        )
        for season in seasons
        for episode in season.episodes
        if episode.air_date is not None and start <= episode.air_date <= end
    ]


def _seasons_around(show: TitleDetails, start: date, end: date) -> list[int]:
    """The seasons that can hold an episode airing between start and end: the last and next episodes'
    seasons, and any season that began before `end` and is the latest to have begun by `start` or later."""
    numbers = {e.season for e in (show.last_episode, show.next_episode) if e is not None}
    dated = sorted((s.air_date, s.season) for s in show.seasons if s.air_date is not None and s.season > 0)
    for i, (began, number) in enumerate(dated):
        following = dated[i + 1][0] if i + 1 < len(dated) else None
        if began <= end and (following is None or following >= start):
            numbers.add(number)
    if not numbers and show.seasons:
        numbers.add(max(s.season for s in show.seasons))  # nothing dated: the newest season
    return sorted(numbers)
