"""Movies: the catalog's lists and details, what is already downloaded, and the Download button."""

import logging
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Path, Query

from gateway.api import paths  # noqa: F401  (the `text` path convertor)
from gateway.api.models import MAX_ID, DownloadRequest, MovieDownload
from gateway.api.problems import doc
from gateway.deps import GatewayState, StateDep, configured_indexers
from gateway.errors import EmptySearch, UnknownProfile
from gateway.library_pages import library_items
from niluflix.contracts import catalog, downloads
from niluflix.contracts.catalog import GetTitle, ListTitles, SearchTitles, TitleDetails, TitlePage
from niluflix.contracts.common import ErrorCode, MediaType
from niluflix.contracts.downloads import CreateDownload
from niluflix.contracts.library import LibraryList
from niluflix.errors import ServiceError

log = logging.getLogger(__name__)

# Every route asks a peer: it may be silent (503) or TMDB may fail behind it (502).
router = APIRouter(prefix="/api/movies", tags=["movies"], responses=doc(502, 503))

Page = Annotated[int, Query(ge=1, le=500, description="1-based page of results")]
TmdbId = Annotated[int, Path(gt=0, le=MAX_ID, description="The movie's TMDB id")]


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


@router.get("/search/{query:text}", response_model=TitlePage)
async def search(state: StateDep, query: str, page: Page = 1) -> TitlePage:
    query = query.strip()
    if not query:
        raise EmptySearch("the search query must not be empty")
    return await state.call(catalog.SEARCH, SearchTitles(query=query, page=page), TitlePage)


@router.get("/downloaded", response_model=LibraryList)
async def downloaded(state: StateDep) -> LibraryList:
    return LibraryList(items=await library_items(state, MediaType.MOVIE))


@router.get("/{tmdb_id}", response_model=TitleDetails, responses=doc(404))
async def details(state: StateDep, tmdb_id: TmdbId) -> TitleDetails:
    return await state.call(catalog.DETAILS, GetTitle(tmdb_id=tmdb_id), TitleDetails)


@router.post("/{tmdb_id}/download", response_model=MovieDownload, status_code=202, responses=doc(404, 409))
async def download(
    state: StateDep, tmdb_id: TmdbId, body: Annotated[DownloadRequest | None, Body()] = None
) -> MovieDownload:
    """Queue the movie's download. A TMDB id catalog does not know is a 404 at once; when catalog cannot
    be asked, the download is queued all the same and `unchecked` says so."""
    return await request_movie(state, tmdb_id, body or DownloadRequest())


async def request_movie(
    state: GatewayState, tmdb_id: int, body: DownloadRequest, *, request_id: UUID | None = None
) -> MovieDownload:
    """A movie's download as the user asks for it, here or from a phone (remote/commands.py).
    `request_id`: the downloader's idempotency key, for a caller that may ask twice after a crash."""
    profile = profile_name(state, body.profile) if body.profile is not None else None
    release = state.links.restore(body.release, configured_indexers(state)) if body.release else None
    unchecked = await _checked_with_catalog(state, tmdb_id)
    command = CreateDownload(
        tmdb_id=tmdb_id,
        priority=body.priority,
        release=release,
        profile=profile,
        replace=body.replace,
        request_id=request_id,
    )
    job = await state.call(downloads.CREATE, command, MovieDownload)
    return job.model_copy(update={"unchecked": unchecked})


async def _checked_with_catalog(state: GatewayState, tmdb_id: int) -> str | None:
    """Catalog's not_found (a 404) for a movie it does not know; None when it knows it; why it could not
    tell when it did not answer.

    Asked before the job exists, so a typo'd id never becomes a job that fails minutes later. When catalog
    (or TMDB behind it) does not answer, the download is queued anyway: the user asked for it, and the job
    asks catalog again as it starts; refusing would lose the request for a passing outage.
    """
    try:
        await state.call(catalog.DETAILS, GetTitle(tmdb_id=tmdb_id), TitleDetails)
    except ServiceError as exc:
        if exc.code not in (ErrorCode.UNAVAILABLE, ErrorCode.UPSTREAM):
            raise  # not_found above all: no job for a movie that does not exist
        log.warning("movie %d queued without checking its TMDB id: %s", tmdb_id, exc.message)
        return f"queued without checking the TMDB id: {exc.message}"
    return None


def profile_name(state: GatewayState, name: str) -> str:
    """The profile's name as the settings spell it. Checked here: an unknown name is a 422 now, not a failed job later."""
    settings = state.live_settings().value
    profile = settings.profile(name)
    if profile is None:
        names = ", ".join(p.name for p in settings.quality_profiles)
        raise UnknownProfile(f"no quality profile named '{name}' (profiles: {names})")
    return profile.name
