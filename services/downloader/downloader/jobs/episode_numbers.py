"""The other numbers a job's episodes are known by, which its search carries: their absolute numbers (anime
releases are named by them, `[SubsPlease] Show - 17`) and, for one episode, its air date (a daily show's
releases are named by it, `Show.2024.03.15`).

They come from catalog's season reply: kept with the job's episodes since it was made (`EpisodeFacts`), or
asked again for a job made before they were kept.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from niluflix.contracts.catalog import EpisodeDetails, SeasonDetails
from niluflix.contracts.downloads import EpisodeFacts


@dataclass(frozen=True)
class EpisodeNumbers:
    absolute: tuple[int, ...] = ()  # one per episode, in episode order; empty when any is not known
    air_date: date | None = None  # the one episode's; None for several


def from_facts(facts: Sequence[Mapping], season: int, episodes: Sequence[int]) -> EpisodeNumbers | None:
    """The numbers as the job's stored facts give them; None when the facts predate absolute numbers."""
    by_episode = {f.get("episode"): f for f in facts if f.get("season") == season}
    wanted = [by_episode.get(e) for e in sorted(set(episodes))]
    if any(f is None or "absolute_number" not in f for f in wanted):
        return None
    return _numbers(
        [f["absolute_number"] for f in wanted],
        [date.fromisoformat(f["air_date"]) if f.get("air_date") else None for f in wanted],
    )


def from_season(season: SeasonDetails, episodes: Sequence[int]) -> EpisodeNumbers:
    """The numbers as catalog's season reply gives them."""
    by_episode = {e.episode: e for e in season.episodes}
    wanted = [by_episode.get(e) for e in sorted(set(episodes))]
    return _numbers(
        [e.absolute_number if e is not None else None for e in wanted],
        [e.air_date if e is not None else None for e in wanted],
    )


def _numbers(absolute: list[int | None], aired: list[date | None]) -> EpisodeNumbers:
    known = tuple(a for a in absolute if a is not None)
    return EpisodeNumbers(
        absolute=known if len(known) == len(absolute) else (),
        air_date=aired[0] if len(aired) == 1 else None,
    )


def episode_facts(episode: EpisodeDetails) -> EpisodeFacts:
    """What a job keeps of catalog's episode."""
    return EpisodeFacts(
        season=episode.season,
        episode=episode.episode,
        name=episode.name,
        air_date=episode.air_date,
        absolute_number=episode.absolute_number,
    )
