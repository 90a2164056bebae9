"""The JetStream side of the organizer: the streams it needs, and `library.v1.events.added`."""

import logging

from faststream.nats import NatsBroker
from nats.js import JetStreamContext

from niluflix.contracts import library
from niluflix.contracts.library import LibraryItem, LibraryItemAdded, LibraryItemRemoved
from niluflix.messaging import DOWNLOAD_EVENTS, LIBRARY_EVENTS, ensure_stream

log = logging.getLogger(__name__)

# JetStream drops a second message with the same Nats-Msg-Id inside the stream's duplicate window.
MSG_ID = "Nats-Msg-Id"


async def ensure_streams(js: JetStreamContext) -> None:
    """The organizer may start before the downloader ever ran, and its durable consumer needs the
    downloads stream to exist; the library stream is its own."""
    for config in (DOWNLOAD_EVENTS, LIBRARY_EVENTS):
        await ensure_stream(js, config)


class LibraryEvents:
    def __init__(self, broker: NatsBroker, *, timeout: float) -> None:
        self._broker = broker
        self._timeout = timeout

    async def added(self, item: LibraryItem) -> bool:
        """Publish `library.v1.events.added` for an item; False when JetStream saw it already."""
        ack = await self._broker.publish(
            LibraryItemAdded(item=item),
            library.ADDED,
            headers={MSG_ID: str(item.id)},
            stream=library.EVENTS_STREAM,
            timeout=self._timeout,
        )
        return not getattr(ack, "duplicate", False)

    async def removed(self, item: LibraryItem, *, files_deleted: bool) -> None:
        """Publish `library.v1.events.removed`, so every gateway forgets what it showed of the item."""
        await self._broker.publish(
            LibraryItemRemoved(item=item, files_deleted=files_deleted),
            library.REMOVED,
            headers={MSG_ID: f"removed-{item.id}"},
            stream=library.EVENTS_STREAM,
            timeout=self._timeout,
        )
