"""Fan-out of live messages to WebSocket clients, each with its own bounded feed.

Publishing never waits for a client: it only appends to each client's feed. A progress tick carries
every active job, so only the newest matters: a tick not yet sent is replaced by the next one. Events
are kept in order; a client that falls `limit` events behind is disconnected rather than silently
missing one (it reconnects and reloads the state over HTTP).
"""

import asyncio
import json
from collections import deque
from typing import Any

from pydantic import BaseModel

from niluflix.contracts.downloads import ProgressTick

PROGRESS = "progress"
EVENT = "event"


class ClientFeed:
    """The messages one client has yet to receive."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._pending: deque[tuple[str, str]] = deque()
        self._wake = asyncio.Event()
        self.closed = False
        self.overflowed = False

    def push(self, kind: str, text: str) -> None:
        if self.closed:
            return
        if kind == PROGRESS:
            for entry in self._pending:
                if entry[0] == PROGRESS:
                    self._pending.remove(entry)
                    break
        elif len(self._pending) >= self._limit:
            self.overflowed = True
            self.close()
            return
        self._pending.append((kind, text))
        self._wake.set()

    def close(self) -> None:
        self.closed = True
        self._wake.set()

    async def next(self) -> str | None:
        """The next message to send, or None once the feed is closed."""
        while not self._pending:
            if self.closed:
                return None
            self._wake.clear()
            await self._wake.wait()
        if self.closed:
            return None
        return self._pending.popleft()[1]


class Hub:
    def __init__(self, feed_limit: int) -> None:
        self._feed_limit = feed_limit
        self._feeds: set[ClientFeed] = set()
        self.latest_tick: ProgressTick | None = None

    @property
    def clients(self) -> int:
        return len(self._feeds)

    def subscribe(self) -> ClientFeed:
        feed = ClientFeed(self._feed_limit)
        self._feeds.add(feed)
        return feed

    def unsubscribe(self, feed: ClientFeed) -> None:
        self._feeds.discard(feed)
        feed.close()

    def publish_progress(self, tick: ProgressTick) -> None:
        self.latest_tick = tick
        self._fan_out(PROGRESS, {"type": PROGRESS, "data": tick.model_dump(mode="json")})

    def publish_event(self, event: str, subject: str, data: BaseModel | Any) -> None:
        payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
        self._fan_out(EVENT, {"type": EVENT, "event": event, "subject": subject, "data": payload})

    def _fan_out(self, kind: str, message: dict) -> None:
        text = json.dumps(message)  # once, not once per client
        for feed in list(self._feeds):
            feed.push(kind, text)

    def close(self) -> None:
        for feed in list(self._feeds):
            feed.close()
