"""TV shows: the catalog's lists, a show's seasons with each episode's state, and the Download buttons."""

import asyncio
import logging
from collections import defaultdict
from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID, uuid5

from fastapi import APIRouter, Body, Path, Query

from gateway.api import paths  # noqa: F401  (the `text` path convertor)
from gateway.api.models import (
    MAX_ID,
    EpisodeView,
    SeasonView,
    SkippedEpisode,
    TvDownloadRequest,
    TvDownloadResult,
)
from gateway.api.movies import profile_name
from gateway.api.problems import doc
from gateway.deps import GatewayState, StateDep, configured_indexers
from gateway.episode_states import EpisodeKey, aired, airs_on, state_of
from gateway.errors import EmptySearch
from gateway.show_parts import active_jobs, follow_of, library_episodes, season_details, show_details
from niluflix.contracts import catalog, downloads
from niluflix.contracts.catalog import (
    EpisodeDetails,
    GetEpisode,
    GetSeason,
    ListTitles,
    SearchTitles,
    SeasonDetails,
    TitleDetails,
    TitlePage,
)
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import CreateDownload, Job
from niluflix.errors import Conflict, NotFound

log = logging.getLogger(__name__)

# Every route asks a peer: it may be silent (503) or TMDB may fail behind it (502).
router = APIRouter(prefix="/api/tv", tags=["tv"], responses=doc(502, 503))
episodes_router = APIRouter(prefix="/api/episodes", tags=["tv"], responses=doc(502, 503))

TV = MediaType.TV
Page = Annotated[int, Query(ge=1, le=500, description="1-based page of results")]
ShowId = Annotated[int, Path(gt=0, le=MAX_ID, description="The show's TMDB id")]
SeasonNumber = Annotated[int, Path(ge=0, le=1000, description="The season's number; 0 holds the specials")]


@router.get("/popular", response_model=TitlePage)
async def popular(state: StateDep, page: Page = 1) -> TitlePage:
    return await state.call(catalog.POPULAR, ListTitles(media_type=TV, page=page), TitlePage)


@router.get("/trending", response_model=TitlePage)
async def trending(state: StateDep, page: Page = 1, window: Literal["day", "week"] = "week") -> TitlePage:
    return await state.call(catalog.TRENDING, ListTitles(media_type=TV, page=page, window=window), TitlePage)


@router.get("/search", include_in_schema=False)
async def search_nothing() -> None:
    # Without this, "/api/tv/search" would be read as a show id.
    raise EmptySearch("the search query must not be empty")


@router.get("/search/{query:text}", response_model=TitlePage)
async def search(state: StateDep, query: str, page: Page = 1) -> TitlePage:
    query = query.strip()
    if not query:
        raise EmptySearch("the search query must not be empty")
    return await state.call(catalog.SEARCH, SearchTitles(query=query, media_type=TV, page=page), TitlePage)


@router.get("/{tmdb_id}", response_model=TitleDetails, responses=doc(404))
async def details(state: StateDep, tmdb_id: ShowId) -> TitleDetails:
    return await show_details(state, tmdb_id)


@router.get("/{tmdb_id}/season/{season}", response_model=SeasonView, responses=doc(404))
async def season(state: StateDep, tmdb_id: ShowId, season: SeasonNumber) -> SeasonView:
    found, library_keys, jobs, follow = await asyncio.gather(
        season_details(state, tmdb_id, season),
        library_episodes(state, tmdb_id),
        active_jobs(state, tmdb_id),
        follow_of(state, tmdb_id),
    )
    now = datetime.now(UTC)
    episodes = [
        EpisodeView(
            **episode.model_dump(),
            state=state_of(
                episode,
                library=library_keys,
                jobs=jobs,
                wanted=follow is not None and follow.wants(episode),
                now=now,
            ),
            job_id=job.id if (job := jobs.get((episode.season, episode.episode))) else None,
        )
        for episode in found.episodes
    ]
    return SeasonView(**found.model_dump(exclude={"episodes"}), episodes=episodes)


@router.post("/{tmdb_id}/download", response_model=TvDownloadResult, status_code=202, responses=doc(404, 409))
async def download(
    state: StateDep, tmdb_id: ShowId, body: Annotated[TvDownloadRequest | None, Body()] = None
) -> TvDownloadResult:
    """Download the whole show, some seasons or some episodes: aired ones, the missing only by default.
    One download per season: the downloader takes a season pack when one covers it, else single episodes;
    or the `release` the user picked, for one season."""
    return await request_show(state, tmdb_id, body or TvDownloadRequest())


async def request_show(
    state: GatewayState, tmdb_id: int, body: TvDownloadRequest, *, request_id: UUID | None = None
) -> TvDownloadResult:
    """A show's downloads as the user asks for them, here or from a phone (remote/commands.py).
    `request_id`: an idempotency key; each season's download gets its own, made from it."""
    profile = profile_name(state, body.profile) if body.profile is not None else None
    release = state.links.restore(body.release, configured_indexers(state)) if body.release else None
    show = await show_details(state, tmdb_id)
    known = {s.season for s in show.seasons}
    asked = set(body.seasons) | {e.season for e in body.episodes}
    if not asked:
        asked = {n for n in known if n > 0}  # the whole show; specials only when asked for
    if unknown := sorted(asked - known):
        raise NotFound(f"{show.title} has no season {unknown[0]} (seasons: {_listing(known)})")
    seasons = await asyncio.gather(
        *(
            state.call(catalog.SEASON, GetSeason(tmdb_id=tmdb_id, season=n), SeasonDetails)
            for n in sorted(asked)
        )
    )
    present = await library_episodes(state, tmdb_id) if body.missing_only else set()
    chosen = {(e.season, e.episode) for e in body.episodes}
    whole = set(body.seasons) or ({n for n in known if n > 0} if not body.episodes else set())
    by_number = {(e.season, e.episode): e for s in seasons for e in s.episodes}
    if unknown_episodes := sorted(chosen - by_number.keys()):
        season_no, number = unknown_episodes[0]
        raise NotFound(f"{show.title} has no episode S{season_no:02d}E{number:02d}")

    now = datetime.now(UTC)
    result = TvDownloadResult()
    wanted: dict[int, list[int]] = defaultdict(list)
    for key, episode in sorted(by_number.items()):
        if key[0] not in whole and key not in chosen:
            continue
        skip = _why_not(episode, present, now)
        if skip:
            result.skipped.append(SkippedEpisode(season=key[0], episode=key[1], reason=skip))
        else:
            wanted[key[0]].append(key[1])
    if chosen and not wanted and all(s.reason.startswith("not aired") for s in result.skipped):
        # Only unaired episodes asked for by name: nothing can be found yet, so say so plainly.
        raise Conflict(f"not aired yet: {', '.join(_named(s) for s in result.skipped)}")
    for n, numbers in sorted(wanted.items()):
        command = CreateDownload(
            tmdb_id=tmdb_id,
            media_type=TV,
            season=n,
            episodes=numbers,
            priority=body.priority,
            profile=profile,
            release=release,
            request_id=uuid5(request_id, f"season {n}") if request_id is not None else None,
        )
        result.jobs.append(await state.call(downloads.CREATE, command, Job))
    state.shows.changed(tmdb_id)
    log.info(
        "download asked for %s: %d download(s) for %s%s; skipped %d",
        show.title,
        len(result.jobs),
        ", ".join(f"season {n} ({len(e)} episodes)" for n, e in sorted(wanted.items())) or "nothing",
        f" by the picked release {release.name}" if release else "",
        len(result.skipped),
    )
    return result


@episodes_router.post("/{episode_id}/download", response_model=Job, status_code=202, responses=doc(404, 409))
async def download_episode(
    state: StateDep,
    episode_id: Annotated[
        int, Path(gt=0, le=MAX_ID, description="TMDB's id of the episode, as a season reply gives it")
    ],
    profile: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    replace: Annotated[bool, Query(description="Download it again although it is in the library")] = False,
) -> Job:
    episode = await state.call(catalog.EPISODE, GetEpisode(episode_id=episode_id), EpisodeDetails)
    name = profile_name(state, profile) if profile is not None else None
    present = set() if replace else await library_episodes(state, episode.show_id)
    why = _why_not(episode, present, datetime.now(UTC))
    if why:
        raise Conflict(f"S{episode.season:02d}E{episode.episode:02d}: {why}")
    command = CreateDownload(
        tmdb_id=episode.show_id,
        media_type=TV,
        season=episode.season,
        episodes=[episode.episode],
        profile=name,
        replace=replace,
    )
    job = await state.call(downloads.CREATE, command, Job)
    state.shows.changed(episode.show_id)
    return job


def _why_not(episode: EpisodeDetails, present: set[EpisodeKey], now: datetime) -> str | None:
    if (episode.season, episode.episode) in present:
        return "in the library"
    if not aired(episode, now):
        when = airs_on(episode)
        return f"not aired yet (airs {when.isoformat()})" if when else "not aired yet (no air date)"
    return None


def _named(skipped: SkippedEpisode) -> str:
    return f"S{skipped.season:02d}E{skipped.episode:02d} {skipped.reason.removeprefix('not aired yet ')}"


def _listing(numbers: set[int]) -> str:
    return ", ".join(str(n) for n in sorted(numbers)) or "none"
