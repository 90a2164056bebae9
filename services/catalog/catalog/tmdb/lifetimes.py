"""How long a TMDB answer is served from the cache before TMDB is asked again.

Movies and lists have fixed lifetimes. A show's answers follow its airing:

- a show still airing (status Returning Series, In Production, Planned or Pilot, or a next episode
  known) is asked again after `show_airing` (6 h): a new episode or season appears within the day;
  an ended or cancelled one after `show_ended` (7 days);
- a season with an episode not out yet (see `catalog.airing`) expires when the first such episode is
  out, never later than `show_airing`: the episode's own page changes then (runtime, still, overview);
  a season with an episode of no air date yet lasts `show_airing`;
- a season fully out lasts `show_ended` when the show has ended, `details` while it airs (TMDB may
  still add an episode to the latest season);
- a show whose next episode is known expires when that episode is out, never later than its lifetime.

An expired answer is still served while TMDB is down (see `catalog.cache`).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from catalog.airing import airs_at
from catalog.tmdb.models import Season, ShowDetails

HOUR = 3600.0
AIRING_STATUSES = frozenset({"Returning Series", "In Production", "Planned", "Pilot"})


@dataclass(frozen=True)
class CacheLifetimes:
    """Seconds an answer is served without asking TMDB again."""

    lists: float = 3 * HOUR
    search: float = HOUR
    details: float = 24 * HOUR
    show_airing: float = 6 * HOUR
    show_ended: float = 7 * 24 * HOUR

    def show_airing_now(self, show: ShowDetails) -> bool:
        return show.status in AIRING_STATUSES or show.next_episode_to_air is not None

    def show(self, show: ShowDetails, now: datetime | None = None) -> float:
        now = now or datetime.now(UTC)
        if not self.show_airing_now(show):
            return self.show_ended
        next_out = airs_at(show.next_episode_to_air.air_date) if show.next_episode_to_air else None
        return _until(next_out, now, self.show_airing)

    def season(self, season: Season, show: ShowDetails, now: datetime | None = None) -> float:
        now = now or datetime.now(UTC)
        outs = [airs_at(e.air_date) for e in season.episodes]
        if any(out is None for out in outs):
            return self.show_airing  # an episode with no date yet: it gets one soon, or never
        coming = [out for out in outs if out is not None and out > now]
        if coming:
            return _until(min(coming), now, self.show_airing)
        return self.details if self.show_airing_now(show) else self.show_ended


def _until(moment: datetime | None, now: datetime, longest: float) -> float:
    """Seconds until `moment` when it comes before `longest` is over, else `longest`."""
    if moment is None or moment <= now:
        return longest
    return min(longest, (moment - now).total_seconds())
