"""What the show page asks for every second, answered from memory while nothing changed.

A season reply joins three services (catalog, organizer, downloader). The UI polls it, so the gateway keeps
each part for a short while: the catalog's season for minutes (the catalog already keeps TMDB's answer for
hours; whether an episode has aired is worked out at each request from its air time), a show's library files
and downloads for seconds, and forgets those as soon as a download or library event about the show passes
through the gateway's relay, so a finished download shows at once. Every replica hears every event.
"""

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from cachetools import TTLCache

from niluflix.contracts.catalog import SeasonDetails

T = TypeVar("T")

SEASON_SECONDS = 300.0
STATE_SECONDS = 10.0


class ForgettableCache(Generic[T]):
    """A TTL cache by show id whose entries an event can drop; a fetch that an event overtook is not kept."""

    def __init__(self, *, ttl: float, maxsize: int = 4096) -> None:
        self._values: TTLCache[object, T] = TTLCache(maxsize=maxsize, ttl=ttl)
        # Bumped by forget(): a fetch that started before an event about its show must not store an old answer.
        self._generation: dict[int, int] = {}

    async def get(self, show_id: int, key: object, fetch: Callable[[], Awaitable[T]]) -> T:
        if (found := self._values.get(key)) is not None:
            return found
        generation = self._generation.get(show_id, 0)
        value = await fetch()
        if self._generation.get(show_id, 0) == generation:
            self._values[key] = value
        return value

    def forget(self, show_id: int) -> None:
        self._generation[show_id] = self._generation.get(show_id, 0) + 1
        for key in [k for k in self._values if _show_of(k) == show_id]:
            self._values.pop(key, None)


def _show_of(key: object) -> object:
    return key[0] if isinstance(key, tuple) else key


class ShowCache:
    """The gateway's short memory of seasons, library files and downloads, per show."""

    def __init__(self, *, season_ttl: float = SEASON_SECONDS, state_ttl: float = STATE_SECONDS) -> None:
        self.seasons: ForgettableCache[SeasonDetails] = ForgettableCache(ttl=season_ttl)
        self.library: ForgettableCache[object] = ForgettableCache(ttl=state_ttl)
        self.jobs: ForgettableCache[object] = ForgettableCache(ttl=state_ttl)
        self.follows: ForgettableCache[object] = ForgettableCache(ttl=state_ttl)

    def changed(self, show_id: int) -> None:
        """A download or library event named this show: its files or downloads are to be asked again."""
        self.library.forget(show_id)
        self.jobs.forget(show_id)
        self.follows.forget(0)  # one list for every show
