"""The library as the organizer keeps it."""

from fastapi import APIRouter

from gateway.deps import StateDep
from niluflix.contracts import library
from niluflix.contracts.common import MediaType
from niluflix.contracts.library import LibraryList, ListLibrary, SyncLibrary, SyncResult

router = APIRouter(prefix="/api/library", tags=["library"])


@router.get("/movies", response_model=LibraryList)
async def movies(state: StateDep) -> LibraryList:
    return await state.call(library.LIST, ListLibrary(media_type=MediaType.MOVIE), LibraryList)


@router.post("/sync", response_model=SyncResult)
async def sync(state: StateDep) -> SyncResult:
    return await state.call(library.SYNC, SyncLibrary(), SyncResult, timeout=state.settings.sync_timeout)
