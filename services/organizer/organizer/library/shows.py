"""Where each episode file of a show's download goes, and which library items it replaces.

Layout (what Plex, Jellyfin and Kodi read without help):

    TV Shows/Show (Year)/Season 01/Show (Year) - S01E02 - Episode Title.mkv
    TV Shows/Show (Year)/Season 01/Show (Year) - S01E02 - Episode Title.en.forced.srt
    TV Shows/Show (Year)/Season 00/Show (Year) - S00E01 - A Special.mkv
    TV Shows/Show (Year)/Season 2024/Show (Year) - 2024-03-15 - Guest.mkv   (a daily show, by date)

A file named by its date takes its season and episode from the completion's facts when they list that
date, else the date's year is its season. Episode titles come from the facts (the episodes the download
was for); an episode of a pack the job did not ask for is named without a title, and filed only when
the show does not have it yet.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from niluflix.contracts.downloads import EpisodeFacts
from organizer.library.episodes import EpisodeFile
from organizer.library.naming import episode_name, season_folder
from organizer.tables import LibraryItemRow


@dataclass(frozen=True)
class PlannedEpisode:
    file: EpisodeFile
    season: int
    episodes: tuple[int, ...]
    air_date: date | None
    folder: Path
    stem: str

    @property
    def video_name(self) -> str:
        return self.stem + self.file.video.path.suffix.lower()

    @property
    def target(self) -> Path:
        return self.folder / self.video_name


def plan_episodes(
    found: Sequence[EpisodeFile], episodes: Sequence[EpisodeFacts], show_dir: Path
) -> list[PlannedEpisode]:
    by_number = {(e.season, e.episode): e for e in episodes}
    by_date = {e.air_date: e for e in episodes if e.air_date}
    planned: list[PlannedEpisode] = []
    for file in found:
        ref = file.ref
        if ref.season is not None and ref.episodes:
            season, numbers, aired = ref.season, ref.episodes, None
            titles = [by_number[(season, n)].name for n in numbers if (season, n) in by_number]
            stem = episode_name(show_dir.name, season=season, episodes=numbers, titles=titles)
        else:
            assert ref.air_date is not None
            fact = by_date.get(ref.air_date)
            season = fact.season if fact else ref.air_date.year
            numbers = (fact.episode,) if fact else ()
            aired, titles = ref.air_date, [fact.name] if fact else []
            stem = episode_name(show_dir.name, season=season, air_date=aired, titles=titles)
        planned.append(
            PlannedEpisode(
                file=file,
                season=season,
                episodes=tuple(numbers),
                air_date=aired,
                folder=show_dir / season_folder(season),
                stem=stem,
            )
        )
    return planned


def episode_keys(
    folder: str, season: int | None, episodes: Iterable[int], air_date: date | None
) -> set[tuple]:
    """What a show's episode file stands for; two files of one show with a key in common are one episode."""
    keys: set[tuple] = {(folder, "episode", season, e) for e in episodes}
    if air_date is not None:
        keys.add((folder, "aired", air_date))
    return keys


def replaced_rows(rows: Sequence[LibraryItemRow], planned: Sequence[PlannedEpisode]) -> list[LibraryItemRow]:
    """The show's items that the planned files take the place of: the same episode, or the same path."""
    taken: set[tuple] = set()
    paths = {str(p.target) for p in planned}
    for p in planned:
        taken |= episode_keys("", p.season, p.episodes, p.air_date)
    return [
        r for r in rows if r.path in paths or episode_keys("", r.season, r.episodes or (), r.air_date) & taken
    ]


def asked_for(planned: PlannedEpisode, season: int | None, episodes: Sequence[int]) -> bool:
    """Whether the job asked for this file's episodes: its season's listed episodes, else the whole
    season; a job that names no season (an older downloader's) asked for everything it brought."""
    if season is None:
        return True
    if planned.season != season:
        return False
    return not episodes or bool(set(planned.episodes) & set(episodes))


def worth_filing(
    planned: Sequence[PlannedEpisode],
    rows: Sequence[LibraryItemRow],
    *,
    season: int | None,
    episodes: Sequence[int],
) -> list[PlannedEpisode]:
    """The planned files to place: every one the job asked for (a newer file of an episode replaces the
    older), and the rest of a pack only where the show does not have that episode yet, so a pack fetched
    for two episodes never swaps out the other episodes someone picked with care."""
    had: set[tuple] = set()
    for r in rows:
        had |= episode_keys("", r.season, r.episodes or (), r.air_date)
    return [
        p
        for p in planned
        if asked_for(p, season, episodes) or not episode_keys("", p.season, p.episodes, p.air_date) & had
    ]
