"""Resting an indexer that keeps failing, so a dead site costs neither time nor its operator's patience.

As Prowlarr does: the first failure may be a blip and costs nothing; each further failure in a row rests
the indexer longer (5 min, 15, 30, an hour, ... up to 6 hours); one success forgets them all. A 429 rests
it at least as long as its `Retry-After` asked.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from search.errors import IndexerError

MINUTE = 60.0
# Seconds of rest after the 1st, 2nd, 3rd ... failure in a row; the last one repeats.
BACKOFF: tuple[float, ...] = (
    0,
    5 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    60 * MINUTE,
    180 * MINUTE,
    360 * MINUTE,
)

Clock = Callable[[], float]


def clock_time(moment: float) -> str:
    """A moment as the user's clock shows it: the rest is at most hours, so HH:MM says when."""
    return datetime.fromtimestamp(moment).astimezone().strftime("%H:%M")


@dataclass
class IndexerState:
    """How one indexer has been doing: failures in a row, the last error, and the end of its rest."""

    failures: int = 0
    last_error: str | None = None
    resting_until: float | None = None

    def resting(self, now: float) -> bool:
        return self.resting_until is not None and now < self.resting_until

    def describe_rest(self) -> str:
        assert self.resting_until is not None
        return f"backing off until {clock_time(self.resting_until)} (last error: {self.last_error})"


class Backoff:
    """Keeps the state of every indexer by name; the schedule and the clock are injectable for tests."""

    def __init__(self, schedule: Sequence[float] = BACKOFF, clock: Clock = time.time) -> None:
        if not schedule:
            raise ValueError("a back-off schedule needs at least one step")
        self.schedule = tuple(schedule)
        self.clock = clock
        self._states: dict[str, IndexerState] = {}

    def state(self, name: str) -> IndexerState:
        return self._states.setdefault(name, IndexerState())

    def forget(self, keep: set[str]) -> None:
        self._states = {name: s for name, s in self._states.items() if name in keep}

    def reset(self, name: str) -> None:
        self._states.pop(name, None)

    def succeeded(self, name: str) -> None:
        self._states[name] = IndexerState()

    def failed(self, name: str, error: str, cause: Exception | None = None) -> IndexerState:
        state = self.state(name)
        state.failures += 1
        state.last_error = error
        rest = self.schedule[min(state.failures - 1, len(self.schedule) - 1)]
        if isinstance(cause, IndexerError) and cause.rate_limited and cause.retry_after is not None:
            rest = max(rest, cause.retry_after)
        state.resting_until = self.clock() + rest if rest > 0 else None
        return state
