"""Every configured indexer, asked at once, each under its own timeout.

A slow or broken indexer costs its own result, never the others': each runs as its own task bounded by
the indexer timeout, and its outcome (releases, or what went wrong) is reported beside the others'.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from niluflix.contracts.common import HealthCheck
from niluflix.contracts.search import IndexerResult, Release
from niluflix.contracts.settings import IndexerSettings
from search.errors import IndexerError, IndexerTimeout
from search.indexers.base import Indexer, SearchQuery
from search.indexers.torznab import TorznabIndexer

log = logging.getLogger(__name__)

IndexerFactory = Callable[[IndexerSettings], Indexer]


@dataclass
class Outcome:
    result: IndexerResult
    releases: list[Release]


class IndexerPool:
    def __init__(self, http: httpx.AsyncClient, *, timeout: float, max_feed_bytes: int) -> None:
        self._timeout = timeout
        self._factory: IndexerFactory = lambda s: TorznabIndexer(s, http, max_feed_bytes=max_feed_bytes)
        self._configured: list[tuple[IndexerSettings, Indexer]] = []
        self._last: dict[str, IndexerResult] = {}

    def configure(self, settings: list[IndexerSettings]) -> None:
        """Follow the settings; an indexer whose settings did not change keeps its client and cached caps."""
        kept = {s.name: (s, i) for s, i in self._configured}
        configured = []
        for wanted in settings:
            old = kept.get(wanted.name)
            # SecretStr compares by value, so a changed API key makes a new client.
            configured.append(
                old if old is not None and old[0] == wanted else (wanted, self._factory(wanted))
            )
        self._configured = configured
        names = {s.name for s in settings}
        self._last = {name: result for name, result in self._last.items() if name in names}
        log.info("indexers: %s", ", ".join(_label(s) for s in settings) or "none")

    @property
    def enabled(self) -> list[Indexer]:
        return [indexer for settings, indexer in self._configured if settings.enabled]

    async def search(self, query: SearchQuery) -> list[Outcome]:
        return list(await asyncio.gather(*(self._search_one(i, query) for i in self.enabled)))

    async def _search_one(self, indexer: Indexer, query: SearchQuery) -> Outcome:
        started = time.perf_counter()
        releases: list[Release] = []
        error = None
        try:
            async with asyncio.timeout(self._timeout):
                releases = await indexer.search(query)
        except TimeoutError:
            error = IndexerTimeout(f"no answer within {self._timeout:g} s").message
        except IndexerError as exc:
            error = exc.message
        except Exception as exc:
            log.exception("%s: search failed", indexer.name)
            error = f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        if error is None:
            log.info("%s: %d releases in %.0f ms", indexer.name, len(releases), elapsed)
        else:
            log.warning("%s: %s (after %.0f ms)", indexer.name, error, elapsed)
        result = IndexerResult(
            indexer=indexer.name,
            ok=error is None,
            count=len(releases),
            elapsed_ms=round(elapsed, 1),
            error=error,
        )
        self._last[indexer.name] = result
        return Outcome(result=result, releases=releases)

    async def health(self) -> list[HealthCheck]:
        """One check per configured indexer: its last search, or its caps when it has not searched yet."""
        if not self._configured:
            return [HealthCheck(name="indexers", kind="indexer", ok=False, detail="no indexer is configured")]
        return list(await asyncio.gather(*(self._check(s, i) for s, i in self._configured)))

    async def _check(self, settings: IndexerSettings, indexer: Indexer) -> HealthCheck:
        name = f"indexer:{settings.name}"
        if not settings.enabled:
            return HealthCheck(name=name, kind="indexer", ok=True, detail="disabled")
        last = self._last.get(settings.name)
        if last is not None:
            detail = (
                f"{last.count} releases in {last.elapsed_ms:.0f} ms" if last.ok else last.error or "failed"
            )
            return HealthCheck(name=name, kind="indexer", ok=last.ok, detail=detail)
        try:
            async with asyncio.timeout(self._timeout):
                caps = await indexer.caps()
        except TimeoutError:
            return HealthCheck(
                name=name, kind="indexer", ok=False, detail=f"no answer within {self._timeout:g} s"
            )
        except IndexerError as exc:
            return HealthCheck(name=name, kind="indexer", ok=False, detail=exc.message)
        except Exception as exc:
            log.exception("%s: caps failed", settings.name)
            return HealthCheck(name=name, kind="indexer", ok=False, detail=f"{type(exc).__name__}: {exc}")
        return HealthCheck(name=name, kind="indexer", ok=True, detail=f"ready: {caps.describe()}")


def _label(settings: IndexerSettings) -> str:
    return settings.name if settings.enabled else f"{settings.name} (disabled)"
