"""One request per enabled indexer per cycle for its newest releases, whatever the number of followed shows.

Torznab indexers are asked a search without words in the TV category (Jackett's and Prowlarr's RSS);
built-in providers that list shows give their newest listing. Items seen before (by guid) are skipped; the
new ones are parsed and published on `search.v1.events.releases_seen` for the downloader's monitor.
"""

import asyncio
import hashlib
import logging
from datetime import UTC, datetime

from niluflix.contracts import search
from niluflix.contracts.search import Release, ReleasesSeen
from niluflix.loops import Loop
from niluflix.messaging import SEARCH_EVENTS, ensure_stream
from search.errors import IndexerError
from search.indexers.base import Indexer
from search.indexers.pool import IndexerPool
from search.indexers.torznab import TorznabIndexer
from search.indexers.torznab.client import TV_CATEGORY
from search.parsing import parse_release
from search.rss.seen import SeenItems, item_key

log = logging.getLogger(__name__)


class RssPoller:
    def __init__(
        self, pool: IndexerPool, js: object, *, every: float, timeout: float, items: int = 100
    ) -> None:
        self._pool = pool
        self._js = js
        self._items = items
        self._timeout = timeout
        self.seen = SeenItems(capacity=max(5000, items * 10))
        self.loop = Loop("rss", self.poll, every=every)
        self._stream_ready = False

    async def poll(self) -> int:
        """One cycle: every enabled indexer once, at the same time; returns how many new releases went out."""
        indexers = self._pool.enabled
        self.seen.forget({i.name for i in indexers})
        outcomes = await asyncio.gather(*(self._poll_one(i) for i in indexers), return_exceptions=True)
        failed = [o for o in outcomes if isinstance(o, BaseException)]
        if failed:
            raise failed[0]  # the loop logs it and shows it in health; unpublished items are read again
        return sum(o for o in outcomes if isinstance(o, int))

    async def _poll_one(self, indexer: Indexer) -> int:
        state = self._pool.backoff.state(indexer.name)
        if state.resting(self._pool.backoff.clock()):
            return 0  # the searches' back-off speaks for it; asking a resting indexer only prolongs its rest
        try:
            newest = await self._newest(indexer)
        except (IndexerError, TimeoutError) as exc:
            reason = exc.message if isinstance(exc, IndexerError) else "no answer in time"
            log.warning("%s: reading its newest releases failed: %s", indexer.name, reason)
            return 0
        if newest is None:
            return 0
        fresh = self.seen.new(indexer.name, newest)
        if not fresh:
            return 0
        for release in fresh:
            release.parsed = parse_release(release.name)
        await self._publish(ReleasesSeen(indexer=indexer.name, releases=fresh, seen_at=datetime.now(UTC)))
        self.seen.remember(indexer.name, fresh)
        log.info("%s: %d new releases in its feed", indexer.name, len(fresh))
        return len(fresh)

    async def _newest(self, indexer: Indexer) -> list[Release] | None:
        async with asyncio.timeout(self._timeout):
            if isinstance(indexer, TorznabIndexer):
                # No caps request, so a cycle is exactly one request per indexer.
                return await indexer.newest(TV_CATEGORY, self._items)
            caps = await indexer.caps()
            if caps.categories_for(TV_CATEGORY) is None or not hasattr(indexer, "sample"):
                return None  # a movies-only provider (YTS) has no episodes to offer
            return await indexer.sample()

    async def _publish(self, event: ReleasesSeen) -> None:
        if not self._stream_ready:
            await ensure_stream(self._js, SEARCH_EVENTS)
            self._stream_ready = True
        # Two replicas reading the same feed at about the same time publish one event: same id, deduplicated.
        keys = "\n".join(item_key(r) for r in event.releases)
        msg_id = hashlib.sha256(f"{event.indexer}\n{keys}".encode()).hexdigest()
        try:
            await self._js.publish(
                search.RELEASES_SEEN, event.model_dump_json().encode(), headers={"Nats-Msg-Id": msg_id}
            )
        except Exception:
            self._stream_ready = (
                False  # the stream may be gone (a NATS without its store): made again next time
            )
            raise
