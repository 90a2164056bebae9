"""The organizer's library list, a page at a time.

One NATS message holds at most 1 MB, about 3,500 library items: a big movie collection, or a few long shows'
episode files, would not fit in one reply. Every caller in the gateway reads the list through here.
"""

from gateway.deps import GatewayState
from niluflix.contracts import library
from niluflix.contracts.common import MediaType
from niluflix.contracts.library import LibraryItem, LibraryList, ListLibrary

PAGE = 1000


async def library_items(
    state: GatewayState, media_type: MediaType | None = None, tmdb_id: int | None = None
) -> list[LibraryItem]:
    """Every item (of `media_type`, of the title `tmdb_id`), in the organizer's order."""
    items: list[LibraryItem] = []
    while True:
        query = ListLibrary(media_type=media_type, tmdb_id=tmdb_id, offset=len(items), limit=PAGE)
        page = await state.call(library.LIST, query, LibraryList)
        if len(page.items) > PAGE:
            return page.items  # an organizer that predates pages answered with the whole list
        items.extend(page.items)
        if len(page.items) < PAGE:
            return items
