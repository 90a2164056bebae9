"""The organizer's NATS subjects: library requests and the consumer of finished downloads."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from faststream.exceptions import NackMessage, RejectMessage
from faststream.nats import JStream, NatsBroker, NatsRouter
from faststream.nats.annotations import NatsMessage
from nats.aio.msg import Msg
from pydantic import ValidationError

from niluflix.contracts import downloads, library
from niluflix.contracts.downloads import DownloadCompleted
from niluflix.contracts.library import (
    LibraryList,
    ListLibrary,
    RemovedFromLibrary,
    RemoveFromLibrary,
    SyncLibrary,
    SyncResult,
)
from niluflix.errors import InvalidRequest, ServiceError
from niluflix.messaging import durable_consumer, rpc_queue, rpc_router
from organizer.deps import LibraryDep
from organizer.settings import OrganizerSettings

log = logging.getLogger(__name__)

SERVICE = "organizer"


def build_router() -> NatsRouter:
    router = rpc_router()
    queue = rpc_queue(SERVICE)

    @router.subscriber(library.LIST, queue=queue)
    async def list_library(request: ListLibrary, lib: LibraryDep) -> LibraryList:
        items = await lib.list(
            request.media_type, request.tmdb_id, offset=request.offset, limit=request.limit
        )
        return LibraryList(items=items)

    @router.subscriber(library.REMOVE, queue=queue)
    async def remove_from_library(request: RemoveFromLibrary, lib: LibraryDep) -> RemovedFromLibrary:
        return await lib.remove(request)

    @router.subscriber(library.SYNC, queue=queue)
    async def sync_library(request: SyncLibrary, lib: LibraryDep) -> SyncResult:
        return await lib.sync()

    return router


def subscribe_completions(broker: NatsBroker, settings: OrganizerSettings) -> None:
    """The durable consumer of `downloads.v1.events.completed`.

    It sits on the broker, not on the RPC router: there is no one to reply to, and its outcome must
    reach JetStream. Done: ack. A completion that can never be imported: reject (logged, not
    redelivered). Anything else: nak with a growing delay, so a full disk or a missing mount gets time
    to be fixed before the next of at most `max_deliver` tries.
    """

    @broker.subscriber(
        downloads.COMPLETED,
        # The stream is made by ensure_streams at start; FastStream must not re-declare it per broker.
        stream=JStream(downloads.EVENTS_STREAM, declare=False),
        **durable_consumer(
            settings.consumer_name, ack_wait=settings.ack_wait, max_deliver=settings.max_deliver
        ),
    )
    async def on_completed(msg: NatsMessage, lib: LibraryDep) -> None:
        raw: Msg = msg.raw_message
        attempt = raw.metadata.num_delivered or 1
        try:
            event = DownloadCompleted.model_validate_json(msg.body)
        except ValidationError as exc:
            log.error("dropping a malformed completion (stream sequence %s): %s", raw.metadata.sequence, exc)
            raise RejectMessage from exc
        job = event.job
        async with _keep_alive(raw, every=settings.ack_wait / 3):
            try:
                await lib.import_completed(event)
            except InvalidRequest as exc:
                log.error("job %s (%s) cannot be imported: %s", job.id, job.title, exc.message)
                raise RejectMessage from exc
            except Exception as exc:
                delay = min(settings.retry_delay * 2 ** (attempt - 1), settings.retry_max_delay)
                if isinstance(exc, ServiceError):
                    cause = exc.message
                else:
                    cause = f"{type(exc).__name__}: {exc}"
                    log.exception("unexpected failure importing job %s", job.id)
                if attempt >= settings.max_deliver:
                    log.error(
                        "job %s (%s) not imported, giving up after %d tries: %s",
                        job.id,
                        job.title,
                        attempt,
                        cause,
                    )
                else:
                    log.warning(
                        "job %s (%s) not imported (try %d of %d): %s; trying again in %.1f s",
                        job.id,
                        job.title,
                        attempt,
                        settings.max_deliver,
                        cause,
                        delay,
                    )
                raise NackMessage(delay=delay) from exc


@asynccontextmanager
async def _keep_alive(raw: Msg, *, every: float) -> AsyncIterator[None]:
    """Tell JetStream the message is still being worked on, so a long copy is not redelivered meanwhile."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await raw.in_progress()
            except Exception as exc:  # noqa: BLE001 - a missed beat only risks an early redelivery
                log.debug("could not extend the ack deadline: %s", exc)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
