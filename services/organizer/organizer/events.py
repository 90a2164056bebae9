"""The JetStream side of the organizer: the streams it needs, and `library.v1.events.added`."""

import copy
import logging

from faststream.nats import JStream, NatsBroker
from nats.js import JetStreamContext
from nats.js.errors import BadRequestError, NotFoundError

from niluflix.contracts import library
from niluflix.contracts.library import LibraryItem, LibraryItemAdded
from niluflix.messaging import DOWNLOAD_EVENTS, LIBRARY_EVENTS

log = logging.getLogger(__name__)

# JetStream drops a second message with the same Nats-Msg-Id inside the stream's duplicate window.
MSG_ID = "Nats-Msg-Id"


async def ensure_streams(js: JetStreamContext) -> None:
    """Create the streams the organizer reads and writes if no one has yet; never change existing ones.

    The organizer may start before the downloader ever ran, and its durable consumer needs the
    downloads stream to exist; the library stream is its own.
    """
    for stream in (DOWNLOAD_EVENTS, LIBRARY_EVENTS):
        await _ensure(js, stream)


async def _ensure(js: JetStreamContext, stream: JStream) -> None:
    try:
        await js.stream_info(stream.name)
        return
    except NotFoundError:
        pass
    try:
        # FastStream keeps a JStream's subjects beside its config, which holds none until it declares it.
        config = copy.deepcopy(stream.config)
        config.subjects = list(stream.subjects)
        await js.add_stream(config=config)
    except BadRequestError as exc:
        # Another service created it between our two calls; its configuration wins.
        log.debug("stream %s exists already: %s", stream.name, exc)


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
