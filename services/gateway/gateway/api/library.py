"""The library as the organizer keeps it."""

from collections import defaultdict
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query

from gateway.api.models import MAX_ID, LibraryShow
from gateway.api.problems import doc
from gateway.deps import GatewayState, StateDep
from gateway.library_pages import library_items
from niluflix.contracts import library
from niluflix.contracts.common import MediaType
from niluflix.contracts.library import (
    LibraryItem,
    LibraryList,
    RemovedFromLibrary,
    RemoveFromLibrary,
    SyncLibrary,
    SyncResult,
)

router = APIRouter(prefix="/api/library", tags=["library"], responses=doc(502, 503))


@router.get("/movies", response_model=LibraryList)
async def movies(state: StateDep) -> LibraryList:
    return LibraryList(items=await library_items(state, MediaType.MOVIE))


@router.get("/tv-shows", response_model=list[LibraryShow])
async def tv_shows(state: StateDep) -> list[LibraryShow]:
    """Every show with at least one episode file, by title, with the episodes it has per season."""
    shows: dict[str, list[LibraryItem]] = defaultdict(list)
    for item in await library_items(state, MediaType.TV):
        shows[item.folder].append(item)
    return sorted((_show(folder, items) for folder, items in shows.items()), key=lambda s: s.title.casefold())


def _show(folder: str, items: list[LibraryItem]) -> LibraryShow:
    seasons: dict[int, set[int]] = defaultdict(set)
    for item in items:
        seasons[item.season if item.season is not None else 0].update(item.episodes)
    first = items[0]
    return LibraryShow(
        tmdb_id=first.tmdb_id,
        title=first.title,
        year=first.year,
        folder=folder,
        seasons={n: sorted(e) for n, e in sorted(seasons.items())},
        episode_files=len(items),
        size=sum(item.size for item in items),
    )


@router.delete("/items/{item_id}", status_code=204, responses=doc(404))
async def remove_item(
    state: StateDep,
    item_id: UUID,
    delete_files: Annotated[bool, Query(description="Also delete its files (else only forget them)")] = False,
) -> None:
    """Take a movie or an episode file out of the library; its files too when asked."""
    await _remove(state, RemoveFromLibrary(item_ids=[item_id], delete_files=delete_files))


@router.delete("/tv-shows/{tmdb_id}", status_code=204, responses=doc(404))
async def remove_show(
    state: StateDep,
    tmdb_id: Annotated[int, Path(gt=0, le=MAX_ID, description="The show's TMDB id")],
    delete_files: Annotated[bool, Query(description="Also delete its files (else only forget them)")] = False,
) -> None:
    """Take every episode file of a show out of the library."""
    request = RemoveFromLibrary(tmdb_id=tmdb_id, media_type=MediaType.TV, delete_files=delete_files)
    await _remove(state, request)
    state.shows.changed(tmdb_id)


async def _remove(state: GatewayState, request: RemoveFromLibrary) -> None:
    result = await state.call(library.REMOVE, request, RemovedFromLibrary)
    for item in result.removed:
        if item.media_type is MediaType.TV and item.tmdb_id is not None:
            state.shows.changed(item.tmdb_id)


@router.post("/sync", response_model=SyncResult)
async def sync(state: StateDep) -> SyncResult:
    return await state.call(library.SYNC, SyncLibrary(), SyncResult, timeout=state.settings.sync_timeout)
