"""The library as the organizer keeps it."""

from collections import defaultdict

from fastapi import APIRouter

from gateway.api.models import LibraryShow
from gateway.deps import StateDep
from niluflix.contracts import library
from niluflix.contracts.common import MediaType
from niluflix.contracts.library import LibraryItem, LibraryList, ListLibrary, SyncLibrary, SyncResult

router = APIRouter(prefix="/api/library", tags=["library"])


@router.get("/movies", response_model=LibraryList)
async def movies(state: StateDep) -> LibraryList:
    return await state.call(library.LIST, ListLibrary(media_type=MediaType.MOVIE), LibraryList)


@router.get("/tv-shows", response_model=list[LibraryShow])
async def tv_shows(state: StateDep) -> list[LibraryShow]:
    """Every show with at least one episode file, by title, with the episodes it has per season."""
    found = await state.call(library.LIST, ListLibrary(media_type=MediaType.TV), LibraryList)
    shows: dict[str, list[LibraryItem]] = defaultdict(list)
    for item in found.items:
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


@router.post("/sync", response_model=SyncResult)
async def sync(state: StateDep) -> SyncResult:
    return await state.call(library.SYNC, SyncLibrary(), SyncResult, timeout=state.settings.sync_timeout)
