"""Core NATS subscriptions that feed the hub. Every gateway replica hears every message (no queue group),
because each one serves its own WebSocket clients; a relay needs no durable consumer."""

import json
import logging
from collections.abc import Callable

from faststream.nats import NatsRouter
from faststream.nats.annotations import NatsMessage
from pydantic import BaseModel, ValidationError

from gateway.live.hub import Hub
from gateway.show_cache import ShowCache
from niluflix.contracts import downloads, library
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import ProgressTick

log = logging.getLogger(__name__)

EVENT_MODELS: dict[str, type[BaseModel]] = {
    downloads.QUEUED: downloads.DownloadQueued,
    downloads.STARTED: downloads.DownloadStarted,
    downloads.COMPLETED: downloads.DownloadCompleted,
    downloads.FAILED: downloads.DownloadFailed,
    downloads.CANCELLED: downloads.DownloadCancelled,
    library.ADDED: library.LibraryItemAdded,
    library.REMOVED: library.LibraryItemRemoved,
}


def decode_event(subject: str, body: bytes) -> BaseModel | object:
    """The event's model when the subject is known; a newer producer's event is relayed as plain JSON."""
    model = EVENT_MODELS.get(subject)
    if model is not None:
        try:
            return model.model_validate_json(body)
        except ValidationError:
            log.warning("relaying %s as plain JSON: it does not match %s", subject, model.__name__)
    return json.loads(body)


def _show_named(data: BaseModel | object) -> int | None:
    """The TV show a download or library event is about, if it is about one."""
    if isinstance(data, downloads.DownloadEvent) and data.job.media_type is MediaType.TV:
        return data.job.tmdb_id
    if (
        isinstance(data, library.LibraryItemAdded | library.LibraryItemRemoved)
        and data.item.media_type is MediaType.TV
    ):
        return data.item.tmdb_id
    return None


def relay_router(hub: Hub, shows: ShowCache, noticed: Callable[[str], None] | None = None) -> NatsRouter:
    """`noticed` hears of each message too ("progress" for a tick, else the event's name): remote access
    mirrors the library when it changes."""
    router = NatsRouter()
    notice = noticed or (lambda _kind: None)

    @router.subscriber(downloads.PROGRESS)
    async def relay_progress(tick: ProgressTick) -> None:
        hub.publish_progress(tick)
        notice("progress")

    def relay_event(msg: NatsMessage) -> None:
        subject = msg.raw_message.subject
        try:
            data = decode_event(subject, msg.body)
        except ValueError:
            log.warning("dropping an event on %s that is not JSON", subject)
            return
        if (show_id := _show_named(data)) is not None:
            shows.changed(show_id)
        hub.publish_event(subject.rsplit(".", 1)[-1], subject, data)
        notice(subject.rsplit(".", 1)[-1])

    @router.subscriber(downloads.EVENTS_SUBJECTS)
    async def relay_download_event(msg: NatsMessage) -> None:
        relay_event(msg)

    @router.subscriber(library.EVENTS_SUBJECTS)
    async def relay_library_event(msg: NatsMessage) -> None:
        relay_event(msg)

    return router
