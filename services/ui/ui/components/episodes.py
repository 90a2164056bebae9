"""A show's episodes: where each stands in words, and what a download of several left out and why."""

from collections import defaultdict
from datetime import date

from niluflix.contracts.downloads import Job
from ui.components.text import literal
from ui.tv_models import EpisodeState, SkippedEpisode, TvDownloadResult, episode_code

STATE_BADGES: dict[EpisodeState, str] = {
    EpisodeState.IN_LIBRARY: ":green-badge[:material/check: In library]",
    EpisodeState.DOWNLOADING: ":blue-badge[:material/download: Downloading]",
    EpisodeState.WANTED: ":violet-badge[:material/schedule: Wanted]",
    EpisodeState.MISSING: ":orange-badge[Missing]",
    EpisodeState.NOT_AIRED: ":gray-badge[Not aired yet]",
}


def air_date_text(air_date: date | None, today: date) -> str:
    if air_date is None:
        return "no air date yet"
    when = f"{air_date:%d %b %Y}"
    if air_date > today:
        return f"airs {when}"
    return f"aired {when}"


def episode_list(season: int, numbers: list[int]) -> str:
    """`S01E01, S01E02` as `S01E01–E02`: consecutive runs shortened, so a whole season stays one line."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(
        episode_code(season, run[0]) + (f"–E{run[-1]:02d}" if len(run) > 1 else "") for run in runs
    )


def skipped_lines(skipped: list[SkippedEpisode]) -> list[str]:
    """One line per reason: `in the library: S01E01–E06`."""
    by_reason: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for s in skipped:
        by_reason[s.reason][s.season].append(s.episode)
    return [
        f"{literal(reason)}: " + ", ".join(episode_list(n, e) for n, e in sorted(seasons.items()))
        for reason, seasons in by_reason.items()
    ]


def job_episodes(job: Job) -> str:
    if job.season is None:
        return ""
    if not job.episodes:
        return f"season {job.season}"
    return episode_list(job.season, job.episodes)


def started_text(result: TvDownloadResult) -> str:
    """What a download of a show started, as one sentence."""
    if not result.jobs:
        return "Nothing to download"
    count = sum(len(job.episodes) or 1 for job in result.jobs)
    what = "; ".join(job_episodes(job) for job in result.jobs)
    return f"Downloading {count} episode{'s' if count != 1 else ''}: {what}"
