"""Library, owned by the organizer service."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from niluflix.contracts.common import MediaType

LIST = "library.v1.list"
SYNC = "library.v1.sync"
REMOVE = "library.v1.remove"

EVENTS_STREAM = "LIBRARY_EVENTS"
EVENTS_SUBJECTS = "library.v1.events.>"
ADDED = "library.v1.events.added"
REMOVED = "library.v1.events.removed"


class LibraryItem(BaseModel):
    id: UUID
    media_type: MediaType = MediaType.MOVIE
    tmdb_id: int | None = None
    title: str
    year: int | None = None
    folder: str = Field(
        description="Absolute path of the title's folder in the library (a show's, for an episode)"
    )
    path: str = Field(description="Absolute path of the video file")
    size: int
    job_id: UUID | None = Field(None, description="The download that brought it; None when found by a scan")
    added_at: datetime
    season: int | None = Field(None, description="Shows: the season of the episode file")
    episodes: list[int] = Field(default_factory=list, description="Shows: the episodes the file holds")
    air_date: date | None = Field(None, description="Daily shows: the date the file is named by")


class ListLibrary(BaseModel):
    """Request for `library.v1.list`, a page at a time: a reply must fit in one NATS message (1 MB, about
    3,500 items), so callers that may meet a big library ask with `limit` until a page comes back short."""

    media_type: MediaType | None = None
    tmdb_id: int | None = Field(None, description="Only this title's items (a show: every episode file)")
    offset: int = Field(0, ge=0, description="Items to skip, in the list's order (title, year, path)")
    limit: int | None = Field(None, ge=1, le=2000, description="At most this many items; None: all of them")


class LibraryList(BaseModel):
    items: list[LibraryItem] = []


class SyncLibrary(BaseModel):
    pass


# A first scan of a big library finds thousands of items: the reply names the first ones and counts them all,
# so it fits in one NATS message.
SYNC_NAMED = 100


class SyncResult(BaseModel):
    scanned: int = Field(description="Title folders looked at (movies' and shows')")
    added_count: int = Field(0, description="Items found and added (`added` names the first of them)")
    removed_count: int = Field(0, description="Items forgotten (`removed` names the first of them)")
    added: list[LibraryItem] = Field(default_factory=list, description=f"The first {SYNC_NAMED} items added")
    removed: list[LibraryItem] = Field(
        default_factory=list,
        description=f"The first {SYNC_NAMED} items forgotten because their file is no longer on disk",
    )


class LibraryItemAdded(BaseModel):
    item: LibraryItem


class RemoveFromLibrary(BaseModel):
    """Request for `library.v1.remove`: items by id, or every item of a title. Replies `RemovedFromLibrary`."""

    item_ids: list[UUID] = Field(default_factory=list)
    tmdb_id: int | None = Field(None, description="Every item of this title (with media_type)")
    media_type: MediaType | None = None
    delete_files: bool = Field(False, description="Also delete the files (else only forget them)")


class RemovedFromLibrary(BaseModel):
    removed: list[LibraryItem] = []
    deleted_files: list[str] = Field(default_factory=list, description="Absolute paths deleted from disk")


class LibraryItemRemoved(BaseModel):
    item: LibraryItem
    files_deleted: bool = False
