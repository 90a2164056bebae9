"""The torrent client in use: chosen from the user's settings at start, chosen again when they change.

A client that cannot be chosen or stops answering loses no job: the slot remembers why, health reports
it, and the engine tries again on the next tick.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from downloader.clients.base import TorrentClient
from niluflix.contracts.settings import TorrentClientSettings
from niluflix.url_secrets import SecretMasker, secrets_in

log = logging.getLogger(__name__)


class Choice(Protocol):
    client: TorrentClient
    kind: str
    reason: str


Chooser = Callable[[TorrentClientSettings], Awaitable[Choice]]


class ClientSlot:
    def __init__(self, choose: Chooser, *, retry_seconds: float = 5.0) -> None:
        self._choose = choose
        self._retry_seconds = retry_seconds
        self._lock = asyncio.Lock()
        self._settings: TorrentClientSettings | None = None
        self._next_try = 0.0
        self.client: TorrentClient | None = None
        self.kind = ""
        self.reason = ""
        self.ok = False
        self.error: str | None = "no torrent client chosen yet"
        # What the client says back may hold its password or its URL's: masked before health or a log shows it.
        self._mask = SecretMasker()

    async def get(self, settings: TorrentClientSettings) -> TorrentClient | None:
        """The client for these settings: the current one, or a new choice when the settings changed."""
        async with self._lock:
            if self.client is not None and settings == self._settings:
                return self.client
            if self.client is not None:
                log.info("torrent client settings changed: closing %s and choosing again", self.kind)
                await self._close()
                self._next_try = 0.0
            if settings != self._settings:
                self._next_try = 0.0
            self._settings = settings
            self._mask = SecretMasker(secrets_in(settings))
            if time.monotonic() < self._next_try:
                return None
            try:
                choice = await self._choose(settings)
            except Exception as exc:  # noqa: BLE001 - any cause: report it, try again later
                self.ok, self.error = False, self._mask(f"no torrent client: {exc}")
                self._next_try = time.monotonic() + self._retry_seconds
                log.warning(
                    "choosing a torrent client failed (%s); trying again in %g s",
                    self._mask(str(exc)),
                    self._retry_seconds,
                )
                return None
            self.client, self.kind, self.reason = choice.client, str(choice.kind), self._mask(choice.reason)
            self.ok, self.error = True, None
            log.info("torrent client: %s (%s)", self.kind, self.reason)
            return self.client

    def answered(self) -> None:
        if not self.ok:
            log.info("torrent client %s answers again", self.kind)
        self.ok, self.error = True, None

    def failed(self, exc: BaseException) -> None:
        if self.ok:
            log.warning("torrent client %s does not answer: %s", self.kind, self._mask(str(exc)))
        self.ok, self.error = False, self._mask(f"{type(exc).__name__}: {exc}")

    async def close(self) -> None:
        async with self._lock:
            await self._close()

    async def _close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            await client.close()
        except Exception:
            log.warning("closing torrent client %s failed", self.kind, exc_info=True)
