"""What a show's release holds (seasons, episodes, a pack or the complete series), and how to say it.

The name says it first; the indexer's `season`/`episode` tags stand in when the name is silent. A release
that names no season, episode or air date, and is not tagged as the complete series, looks like a film.
Episodes known by other numbers than their season's: an anime release names absolute numbers and no season
(`[SubsPlease] Show - 17`), read through the request's absolute numbers; a daily show's release names the
day it aired, which is the wanted episode when it is the request's air date.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date

from niluflix.contracts.search import Coverage, Release

# "Complete Series", "Complete Collection", "Complete Boxset", "All Seasons": the whole show.
_COMPLETE_SERIES = re.compile(
    r"(?<![^\W_])(?:complete[\W_]+(?:series|collection|box[\W_]*set)|all[\W_]+seasons)(?![^\W_])",
    re.IGNORECASE,
)
# "Show.COMPLETE.1080p": the whole show when nothing else narrows it to a season.
_COMPLETE = re.compile(r"(?<![^\W_])complete(?![^\W_])", re.IGNORECASE)


def looks_like_a_show(release: Release) -> bool:
    """Whether the release names a season, an episode or an air date, or the complete series: a quick
    answer for a film's search, which asks it of every release."""
    parsed = release.parsed
    if parsed is not None and (
        parsed.season is not None or parsed.seasons or parsed.episodes or parsed.air_date
    ):
        return True
    if release.season is not None:
        return True
    lowered = release.name.casefold()
    return ("complete" in lowered or "seasons" in lowered) and read_coverage(release) is not None


def read_coverage(
    release: Release,
    season: int | None = None,
    wanted: Iterable[int] = (),
    *,
    by_absolute: Mapping[int, int] | None = None,
    air_date: date | None = None,
) -> Coverage | None:
    """What the release holds, and which of the `wanted` episodes of `season` (a whole season when none are
    named); None when it looks like a film.

    `by_absolute` (absolute number -> wanted episode) reads a release that names episodes but no season by
    absolute number (`absolute_coverage`); `air_date` (the wanted episode's) makes a release of that day
    hold the wanted episode (`holds_by_air_date`).
    """
    parsed = release.parsed
    seasons = list(parsed.seasons) if parsed is not None else []
    if parsed is not None and parsed.season is not None and parsed.season not in seasons:
        seasons.append(parsed.season)
    episodes = list(parsed.episodes) if parsed is not None else []
    aired = parsed.air_date if parsed is not None else None
    if not (seasons or episodes or aired) and release.season is not None:
        seasons = [release.season]
        episodes = [release.episode] if release.episode else []
    lowered = release.name.casefold()
    complete = "complete" in lowered or "all" in lowered and "seasons" in lowered
    complete_series = complete and (
        bool(_COMPLETE_SERIES.search(release.name))
        or not (seasons or episodes or aired)
        and bool(_COMPLETE.search(release.name))
        # "The.Complete.Works.2010": a film whose title holds the word
        and "complete" not in ((parsed.title or "").casefold() if parsed is not None else "")
    )
    if not (seasons or episodes or aired or complete_series):
        return None
    wanted = sorted(set(wanted))
    if by_absolute and episodes and not seasons and aired is None and not complete_series:
        return absolute_coverage(episodes, season, by_absolute)
    season_pack = not episodes and aired is None
    holds_season = season is None or not seasons or season in seasons
    if not holds_season:
        held = []
    elif aired is not None and not episodes:
        held = wanted if holds_by_air_date(aired, air_date) else []
    elif season_pack:
        held = wanted
    elif wanted:
        held = [e for e in wanted if e in episodes]
    else:
        held = sorted(set(episodes))
    return Coverage(
        seasons=sorted(set(seasons)),
        episodes=sorted(set(episodes)),
        air_date=aired,
        season_pack=season_pack,
        complete_series=complete_series,
        wanted=held,
    )


def absolute_coverage(numbers: Iterable[int], season: int | None, by_absolute: Mapping[int, int]) -> Coverage:
    """A release naming episodes and no season, when the wanted episodes' absolute numbers are known: its
    numbers are absolute ones, as anime fansubs write them (`[SubsPlease] Show - 17`, a batch `- 01-12`,
    `- 17v2`). It holds the wanted episodes whose absolute numbers it names, and nothing else is known of it:
    `Show - 05` is never taken for the fifth episode of a later season."""
    named = sorted(set(numbers))
    held = sorted(by_absolute[n] for n in named if n in by_absolute)
    return Coverage(
        seasons=[season] if held and season is not None else [],
        episodes=held,
        absolute_episodes=named,
        wanted=held,
    )


def holds_by_air_date(aired: date, wanted: date | None) -> bool:
    """A release named by date (a daily show's) is the wanted episode when it aired that day."""
    return wanted is not None and aired == wanted


def season_words(seasons: list[int]) -> str:
    """`S02`, `S01-S03`, `S01, S04`."""
    if len(seasons) > 2 and seasons == list(range(seasons[0], seasons[-1] + 1)):
        return f"S{seasons[0]:02d}-S{seasons[-1]:02d}"
    return ", ".join(f"S{s:02d}" for s in seasons)


def episode_words(season: int | None, episodes: list[int]) -> str:
    """`S01E05`, `S01E05E06`, `S01E05-E08`; without a season, `E05`."""
    prefix = f"S{season:02d}" if season is not None else ""
    if len(episodes) > 2 and episodes == list(range(episodes[0], episodes[-1] + 1)):
        return f"{prefix}E{episodes[0]:02d}-E{episodes[-1]:02d}"
    return prefix + "".join(f"E{e:02d}" for e in episodes)


def absolute_words(numbers: list[int]) -> str:
    """How fansubs write absolute numbers: `absolute 05`, `absolute 01-12`, `absolute 05, 07`."""
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"absolute {numbers[0]:02d}-{numbers[-1]:02d}"
    return "absolute " + ", ".join(f"{n:02d}" for n in numbers)


def describe(covers: Coverage) -> str:
    """What a show's release is, in words: `season 1`, `seasons 1-3`, `episode S01E02`, `complete series`,
    `episode absolute 17`."""
    if covers.air_date is not None:
        return f"episode of {covers.air_date.isoformat()}"
    if covers.absolute_episodes:
        many = "episodes" if len(covers.absolute_episodes) > 1 else "episode"
        return f"{many} {absolute_words(covers.absolute_episodes)}"
    if covers.episodes:
        return "episode " + episode_words(covers.seasons[0] if covers.seasons else None, covers.episodes)
    if covers.complete_series:
        return "complete series"
    return ("season " if len(covers.seasons) == 1 else "seasons ") + season_words(covers.seasons)
