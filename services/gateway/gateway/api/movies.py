"""Movies: the catalog's lists and details, what is already downloaded, and the Download button."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Path, Query

from gateway.api.models import DownloadRequest
from gateway.deps import GatewayState, StateDep, configured_indexers
from gateway.errors import EmptySearch, UnknownProfile
from niluflix.contracts import catalog, downloads, library
from niluflix.contracts.catalog import GetTitle, ListTitles, SearchTitles, TitleDetails, TitlePage
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import CreateDownload, Job
from niluflix.contracts.library import LibraryList, ListLibrary

router = APIRouter(prefix="/api/movies", tags=["movies"])

Page = Annotated[int, Query(ge=1, le=500, description="1-based page of results")]
TmdbId = Annotated[int, Path(gt=0, description="The movie's TMDB id")]


@router.get("/popular", response_model=TitlePage)
async def popular(state: StateDep, page: Page = 1) -> TitlePage:
    return await state.call(catalog.POPULAR, ListTitles(page=page), TitlePage)


@router.get("/trending", response_model=TitlePage)
async def trending(state: StateDep, page: Page = 1) -> TitlePage:
    return await state.call(catalog.TRENDING, ListTitles(page=page), TitlePage)


@router.get("/search", include_in_schema=False)
async def search_nothing() -> None:
    # Without this, "/api/movies/search" would be read as a movie id.
    raise EmptySearch("the search query must not be empty")


@router.get("/search/{query:path}", response_model=TitlePage)
async def search(state: StateDep, query: str, page: Page = 1) -> TitlePage:
    query = query.strip()
    if not query:
        raise EmptySearch("the search query must not be empty")
    return await state.call(catalog.SEARCH, SearchTitles(query=query, page=page), TitlePage)


@router.get("/downloaded", response_model=LibraryList)
async def downloaded(state: StateDep) -> LibraryList:
    return await state.call(library.LIST, ListLibrary(media_type=MediaType.MOVIE), LibraryList)


@router.get("/{tmdb_id}", response_model=TitleDetails)
async def details(state: StateDep, tmdb_id: TmdbId) -> TitleDetails:
    return await state.call(catalog.DETAILS, GetTitle(tmdb_id=tmdb_id), TitleDetails)


@router.post("/{tmdb_id}/download", response_model=Job, status_code=202)
async def download(
    state: StateDep, tmdb_id: TmdbId, body: Annotated[DownloadRequest | None, Body()] = None
) -> Job:
    return await request_movie(state, tmdb_id, body or DownloadRequest())


async def request_movie(
    state: GatewayState, tmdb_id: int, body: DownloadRequest, *, request_id: UUID | None = None
) -> Job:
    """A movie's download as the user asks for it, here or from a phone (remote/commands.py).
    `request_id`: the downloader's idempotency key, for a caller that may ask twice after a crash."""
    profile = profile_name(state, body.profile) if body.profile is not None else None
    release = state.links.restore(body.release, configured_indexers(state)) if body.release else None
    command = CreateDownload(
        tmdb_id=tmdb_id,
        priority=body.priority,
        release=release,
        profile=profile,
        replace=body.replace,
        request_id=request_id,
    )
    return await state.call(downloads.CREATE, command, Job)


def profile_name(state: GatewayState, name: str) -> str:
    """The profile's name as the settings spell it. Checked here: an unknown name is a 422 now, not a failed job later."""
    settings = state.live_settings().value
    profile = settings.profile(name)
    if profile is None:
        names = ", ".join(p.name for p in settings.quality_profiles)
        raise UnknownProfile(f"no quality profile named '{name}' (profiles: {names})")
    return profile.name
