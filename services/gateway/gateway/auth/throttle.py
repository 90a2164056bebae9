"""Slows down guessing a secret, per client: the owner's password (per browser, the address the UI reports)
and the API key (per client address as `niluflix.locality` judges it).

A few wrong guesses are free; after that each one makes the client wait twice as long as the last
(1 s, 2 s, 4 s, ... up to `longest`) before it may try again. A client that must wait is refused whatever it
offers, the right secret too: a guesser learns nothing while blocked, and the owner waits a few seconds at
most after a typo or two. The right secret, once the wait is over, clears the count. Kept in memory: a
restart forgets it, and each gateway replica counts on its own.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from gateway.errors import TooManyAttempts

FORGET_AFTER = 3600.0  # seconds without a wrong guess after which a client starts afresh
MAX_CLIENTS = 10_000


@dataclass
class _Record:
    failures: int = 0
    last_failure: float = 0.0
    blocked_until: float = 0.0


class Throttle:
    def __init__(
        self,
        what: str = "wrong passwords",
        free: int = 3,
        longest: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what = what  # for the refusal: "too many <what>"
        self.free = free
        self.longest = longest
        self._clock = clock
        self._records: dict[str, _Record] = {}

    def check(self, client: str) -> None:
        """Raise `TooManyAttempts` while `client` must still wait."""
        record = self._records.get(client)
        if record is None:
            return
        wait = record.blocked_until - self._clock()
        if wait > 0:
            seconds = math.ceil(wait)
            raise TooManyAttempts(f"too many {self.what}: try again in {seconds} s", retry_after=seconds)

    def failed(self, client: str) -> None:
        now = self._clock()
        self._forget_old(now)
        record = self._records.setdefault(client, _Record())
        if now - record.last_failure > FORGET_AFTER:
            record.failures = 0
        record.failures += 1
        record.last_failure = now
        if record.failures > self.free:
            record.blocked_until = now + min(2.0 ** (record.failures - self.free - 1), self.longest)

    def succeeded(self, client: str) -> None:
        self._records.pop(client, None)

    def _forget_old(self, now: float) -> None:
        if len(self._records) < MAX_CLIENTS:
            return
        kept = sorted(self._records.items(), key=lambda item: item[1].last_failure, reverse=True)
        self._records = {c: r for c, r in kept[: MAX_CLIENTS // 2] if now - r.last_failure <= FORGET_AFTER}
