"""Publishes the outbox: each lifecycle event goes to JetStream with its event id as `Nats-Msg-Id`.

The server drops a second message with the same id (within the stream's duplicate window), so an event
published again after a crash, before it was marked sent, reaches consumers once. A row is marked sent
only after its PubAck, so a crash never loses one.
"""

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

from downloader.jobs.store import JobStore
from downloader.tables import utcnow
from niluflix.contracts import downloads
from niluflix.messaging import DOWNLOAD_EVENTS, ensure_stream

log = logging.getLogger(__name__)

KEEP_SENT = timedelta(days=7)
PRUNE_EVERY = 3600.0


class OutboxRelay:
    def __init__(
        self, store: JobStore, js: Any, *, interval: float = 1.0, publish_timeout: float = 5.0
    ) -> None:
        self._store = store
        self._js = js
        self._interval = interval
        self._publish_timeout = publish_timeout
        self._stream_ready = False
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.error: str | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        """Stop the loop, then try once more so the last state changes go out now rather than at next start."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            async with asyncio.timeout(5):
                await self.flush()
        except Exception as exc:  # noqa: BLE001 - they stay in the outbox for the next start
            log.info("events left unpublished until the next start: %s", exc)

    async def flush(self) -> int:
        """Publish every unsent event, oldest first; return how many went out."""
        await self._ensure_stream()
        total = 0
        while rows := await self._store.unsent_events():
            sent: list[int] = []
            try:
                for row in rows:
                    await self._js.publish(
                        row.subject,
                        row.payload.encode(),
                        timeout=self._publish_timeout,
                        stream=downloads.EVENTS_STREAM,
                        headers={"Nats-Msg-Id": str(row.event_id), "content-type": "application/json"},
                    )
                    sent.append(row.seq)
            finally:
                await self._store.mark_sent(sent)
            total += len(sent)
        return total

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_prune = loop.time()
        while not self._stopping:
            self._store.events_written.clear()
            try:
                await self.flush()
                if self.error:
                    log.info("publishing download events again")
                self.error = None
                if loop.time() >= next_prune:
                    next_prune = loop.time() + PRUNE_EVERY
                    await self._store.prune_sent(utcnow() - KEEP_SENT)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - NATS or the database is away: the rows wait
                if self.error is None:
                    log.warning("publishing download events failed, will retry: %s", exc)
                self.error = f"{type(exc).__name__}: {exc}"
                self._stream_ready = False
            # asyncio.timeout, not wait_for, which on Python 3.11 can swallow the cancellation of stop().
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._interval):
                    await self._store.events_written.wait()

    async def _ensure_stream(self) -> None:
        if not self._stream_ready:
            # The producer declares its stream, so events are kept even before any consumer exists.
            await ensure_stream(self._js, DOWNLOAD_EVENTS)
            self._stream_ready = True
