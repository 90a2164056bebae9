"""Publishes the outbox: each lifecycle event goes to JetStream with its event id as `Nats-Msg-Id`.

The server drops a second message with the same id (within the stream's duplicate window), so an event
published again after a crash, before it was marked sent, reaches consumers once. A row is marked sent
only after its PubAck, so a crash never loses one.
"""

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any

from downloader.jobs.store import JobStore
from downloader.tables import utcnow
from niluflix.contracts import downloads
from niluflix.loops import Loop
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
        self._publish_timeout = publish_timeout
        self._stream_ready = False
        self._next_prune = 0.0
        # Woken by every committed event; stopped by the service runner before the broker drains.
        self.loop = Loop(
            "publishing download events",
            self._publish,
            every=interval,
            wake_on=store.events_written,
            on_stop=self._last_flush,
        )

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

    async def _publish(self) -> None:
        try:
            await self.flush()
        except Exception:
            # NATS or the database is away: the rows wait. A server that comes back may have lost the
            # stream (no store), so it is declared again before the next try.
            self._stream_ready = False
            raise
        if time.monotonic() >= self._next_prune:
            self._next_prune = time.monotonic() + PRUNE_EVERY
            await self._store.prune_sent(utcnow() - KEEP_SENT)

    async def _last_flush(self) -> None:
        """Once the loop has stopped, try once more so the last state changes go out now, not at next start."""
        try:
            async with asyncio.timeout(5):
                await self.flush()
        except Exception as exc:  # noqa: BLE001 - they stay in the outbox for the next start
            log.info("events left unpublished until the next start: %s", exc)

    async def _ensure_stream(self) -> None:
        if not self._stream_ready:
            # The producer declares its stream, so events are kept even before any consumer exists.
            await ensure_stream(self._js, DOWNLOAD_EVENTS)
            self._stream_ready = True
