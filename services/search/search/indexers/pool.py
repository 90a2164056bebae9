"""Every configured indexer, asked at once, each under its own timeout.

A slow or broken indexer costs its own result, never the others': each runs as its own task bounded by
the indexer timeout, and its outcome (releases, or what went wrong) is reported beside the others'.
One that keeps failing rests for a while (see `backoff.py`) and is skipped, with the reason, until then.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx

from niluflix.contracts.common import HealthCheck
from niluflix.contracts.search import IndexerResult, IndexerTestResult, Release
from niluflix.contracts.settings import IndexerSettings, ProvidersSettings
from niluflix.url_secrets import SecretMasker, mask_url, secrets_in
from search.errors import IndexerError, IndexerHttpError, IndexerTimeout, MalformedFeed
from search.indexers.backoff import Backoff
from search.indexers.base import Caps, Indexer, SearchQuery
from search.indexers.providers import EztvProvider, TpbProvider, YtsProvider
from search.indexers.providers.base import JsonProvider
from search.indexers.torznab import TorznabIndexer

log = logging.getLogger(__name__)

NO_INDEXER_YET = "no indexer yet: add an indexer in Settings"

T = TypeVar("T")
IndexerFactory = Callable[[IndexerSettings], Indexer]
PROVIDERS: dict[str, type[JsonProvider]] = {"yts": YtsProvider, "eztv": EztvProvider, "tpb": TpbProvider}


@dataclass
class Outcome:
    result: IndexerResult
    releases: list[Release]


@dataclass
class _Entry:
    name: str
    config: object  # what the indexer was built from: a change rebuilds it
    indexer: Indexer
    enabled: bool


class IndexerPool:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        timeout: float,
        max_feed_bytes: int,
        backoff: Backoff | None = None,
    ) -> None:
        self._http = http
        self._timeout = timeout
        self._max_bytes = max_feed_bytes
        self._factory: IndexerFactory = lambda s: TorznabIndexer(s, http, max_feed_bytes=max_feed_bytes)
        self._entries: list[_Entry] = []
        self._providers = ProvidersSettings()
        self._last: dict[str, IndexerResult] = {}
        # Every configured key, for errors no indexer client worded (an unexpected exception's text).
        self._mask = SecretMasker()
        self.backoff = backoff or Backoff()

    def configure(self, settings: list[IndexerSettings], providers: ProvidersSettings | None = None) -> None:
        """Follow the settings; an indexer whose settings did not change keeps its client, caps and record."""
        kept = {e.name: e for e in self._entries}
        entries = []
        for wanted in settings:
            entries.append(
                self._keep_or_build(
                    kept, wanted.name, wanted, wanted.enabled, lambda w=wanted: self._factory(w)
                )
            )
        taken = {s.name.casefold() for s in settings}
        for key, provider in providers or ProvidersSettings():
            kind = PROVIDERS[key]
            if kind.name.casefold() in taken:
                # Names key every record; the gateway refuses such names, older settings may hold one.
                log.warning("built-in provider %s left out: a Torznab indexer has its name", kind.name)
                continue

            def build(p=provider, kind=kind) -> Indexer:
                return kind(p.base_url, self._http, max_bytes=self._max_bytes)

            # Off and never used is the default: listing it would fill the health page with noise.
            if provider.enabled or kind.name in kept:
                entries.append(self._keep_or_build(kept, kind.name, provider, provider.enabled, build))
        self._entries = entries
        self._providers = providers or ProvidersSettings()
        self._mask = SecretMasker([*secrets_in(settings), *secrets_in(self._providers)])
        names = {e.name for e in entries}
        self._last = {name: result for name, result in self._last.items() if name in names}
        self.backoff.forget(names)
        log.info("indexers: %s", ", ".join(_label(e) for e in entries) or "none")

    def _keep_or_build(
        self, kept: dict[str, _Entry], name: str, config: object, enabled: bool, build: Callable[[], Indexer]
    ) -> _Entry:
        old = kept.get(name)
        # SecretStr compares by value, so a changed API key makes a new client.
        if old is not None and old.config == config:
            return old
        self._last.pop(name, None)
        self.backoff.reset(name)  # new settings deserve a fresh start
        return _Entry(name, config, build(), enabled)

    @property
    def enabled(self) -> list[Indexer]:
        return [e.indexer for e in self._entries if e.enabled]

    async def search(self, query: SearchQuery) -> list[Outcome]:
        return list(await asyncio.gather(*(self._search_one(i, query) for i in self.enabled)))

    async def _search_one(self, indexer: Indexer, query: SearchQuery) -> Outcome:
        state = self.backoff.state(indexer.name)
        if state.resting(self.backoff.clock()):
            result = IndexerResult(indexer=indexer.name, ok=False, error=state.describe_rest())
            return Outcome(result=result, releases=[])
        started = time.perf_counter()
        releases: list[Release] = []
        error = None
        cause: Exception | None = None
        try:
            async with asyncio.timeout(self._timeout):
                releases = await indexer.search(query)
        except TimeoutError as exc:
            cause, error = exc, IndexerTimeout(f"no answer within {self._timeout:g} s").message
        except IndexerError as exc:
            cause, error = exc, self._mask(exc.message)
        except Exception as exc:
            log.exception("%s: search failed", indexer.name)
            cause, error = exc, self._mask(f"{type(exc).__name__}: {exc}")
        elapsed = (time.perf_counter() - started) * 1000
        if error is None:
            self.backoff.succeeded(indexer.name)
            log.info("%s: %d releases in %.0f ms", indexer.name, len(releases), elapsed)
        else:
            failed = self.backoff.failed(indexer.name, error, cause)
            rest = f"; {failed.describe_rest()}" if failed.resting_until else ""
            log.warning(
                "%s: %s (after %.0f ms, %d failures in a row%s)",
                indexer.name, error, elapsed, failed.failures, rest,
            )  # fmt: skip
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
        """One check per configured indexer: its rest, its last search, or its caps when it has not searched."""
        checks = list(await asyncio.gather(*(self._check(e) for e in self._entries)))
        if not any(e.enabled for e in self._entries):
            # A fresh install: a state to act on, not a fault, so the service (and the system) stays healthy.
            checks.insert(0, HealthCheck(name="indexers", kind="indexer", ok=True, detail=NO_INDEXER_YET))
        return checks

    async def _check(self, entry: _Entry) -> HealthCheck:
        name = f"indexer:{entry.name}"
        if not entry.enabled:
            return HealthCheck(name=name, kind="indexer", ok=True, detail="disabled")
        state = self.backoff.state(entry.name)
        if state.resting(self.backoff.clock()):
            return HealthCheck(name=name, kind="indexer", ok=False, detail=state.describe_rest())
        last = self._last.get(entry.name)
        if last is not None:
            if last.ok:
                detail = f"{last.count} releases in {last.elapsed_ms:.0f} ms"
            else:
                detail = last.error or "failed"
                if state.failures > 1:
                    detail += f" ({state.failures} failures in a row)"
            return HealthCheck(name=name, kind="indexer", ok=last.ok, detail=detail)
        try:
            caps = await self._bounded(entry.indexer.caps())
        except IndexerError as exc:
            return HealthCheck(name=name, kind="indexer", ok=False, detail=self._mask(exc.message))
        except Exception as exc:
            log.exception("%s: caps failed", entry.name)
            detail = self._mask(f"{type(exc).__name__}: {exc}")
            return HealthCheck(name=name, kind="indexer", ok=False, detail=detail)
        return HealthCheck(name=name, kind="indexer", ok=True, detail=f"ready: {caps.describe()}")

    async def test(self, settings: IndexerSettings) -> IndexerTestResult:
        """ "Test connection": read the caps and run a small search, with a fresh client and no back-off.

        Both steps share one timeout, so the answer comes within it whatever the indexer does.
        """
        indexer = TorznabIndexer(settings, self._http, max_feed_bytes=self._max_bytes)
        started = time.perf_counter()
        caps: Caps | None = None
        try:
            async with asyncio.timeout(self._timeout):
                caps = await indexer.caps()
                found = await indexer.sample()
        except (IndexerError, TimeoutError) as exc:
            reason = (
                SecretMasker(secrets_in(settings)).mask(exc.message)
                if isinstance(exc, IndexerError)
                else f"no answer within {self._timeout:g} s"
            )
            step = "searching" if caps is not None else "reading its capabilities"
            return IndexerTestResult(
                ok=False,
                message=f"Failed while {step}: {reason}",
                capabilities=caps.describe_fully() if caps else None,
                categories=sorted(caps.categories) if caps else [],
                elapsed_ms=_since(started),
            )
        what = caps.describe_fully()
        return IndexerTestResult(
            ok=True,
            message=f"Works: {what}; {_releases(len(found))} in a sample search",
            capabilities=what,
            categories=sorted(caps.categories),
            releases=len(found),
            elapsed_ms=_since(started),
        )

    async def test_provider(self, key: str, base_url: str | None = None) -> IndexerTestResult:
        """ "Test connection" for a built-in provider at `base_url` (None: the saved one), switched on or not.

        One small listing from its API with a fresh client, within the indexer timeout; whatever it answers
        is said in the result, never raised, and leaves the provider's back-off as it was.
        """
        url = base_url or getattr(self._providers, key).base_url
        provider = PROVIDERS[key](url, self._http, max_bytes=self._max_bytes)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._timeout):
                found = await provider.sample()
        except TimeoutError:
            problem = f"no answer from {mask_url(provider.endpoint_url)} within {self._timeout:g} s"
        except IndexerError as exc:
            problem = _provider_failure(provider, exc)
        except Exception as exc:
            log.exception("%s: test failed", provider.name)
            problem = self._mask(f"{type(exc).__name__}: {exc}")
        else:
            caps = await provider.caps()
            log.info(
                "%s at %s tested: %d releases", provider.name, mask_url(provider.endpoint_url), len(found)
            )
            return IndexerTestResult(
                ok=True,
                message=f"Works: {provider.offers}; {_releases(len(found))} in a sample search",
                capabilities=provider.offers,
                categories=sorted(caps.categories),
                releases=len(found),
                elapsed_ms=_since(started),
            )
        log.info("%s at %s tested: %s", provider.name, mask_url(provider.endpoint_url), problem)
        return IndexerTestResult(ok=False, message=f"Failed: {problem}", elapsed_ms=_since(started))

    async def _bounded(self, call: Awaitable[T]) -> T:
        try:
            async with asyncio.timeout(self._timeout):
                return await call
        except TimeoutError:
            raise IndexerTimeout(f"no answer within {self._timeout:g} s") from None


def _releases(count: int) -> str:
    return "1 release" if count == 1 else f"{count:,} releases"


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _provider_failure(provider: JsonProvider, exc: IndexerError) -> str:
    """What went wrong, naming the address asked (what to fix), less any secret in it."""
    url = mask_url(provider.endpoint_url)
    if isinstance(exc, MalformedFeed):
        reason = exc.message.removesuffix(": check the base URL")
        return f"not {provider.name}'s API at {url}: {reason}; check the base URL"
    if isinstance(exc, IndexerHttpError) and not exc.rate_limited:
        return f"{exc.message} from {url}" + ("; check the base URL" if exc.status == 404 else "")
    return f"{exc.message} ({url})"


def _label(entry: _Entry) -> str:
    return entry.name if entry.enabled else f"{entry.name} (disabled)"
