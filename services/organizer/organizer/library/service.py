"""Filing finished downloads into the library, and keeping the library's records true to the disk.

Importing one completion, in an order where a crash at any step is repaired by the redelivery:

    1. handled already?        -> only announce it if that was not done; nothing else
    2. pick the movie file, or split a show's download into episode files (episodes.py)
                                (safe paths only; missing files mean "try again later")
    3. place them               (hardlink or copy; a file already placed is recognised and kept)
    4. write metadata.json      (atomic)
    5. record items + "handled" (one transaction, unique by path; a job is handled once)
    6. publish library.v1.events.added per item (Nats-Msg-Id = item id), then mark it announced

A download of a movie that is already in the library replaces its file, as Radarr does on an upgrade:
the folder `Title (Year)` holds one movie file, the newest download's, and the replaced item's record
goes. Keeping both would leave players and the UI to guess which one to play; the torrent of the old
file keeps seeding (a hardlink), and a copy's space is freed. A different movie with the same title and
year (another TMDB id) gets its own folder, `Title (Year) {tmdb-<id>}`. Shows follow the same rule per
episode: a newer file of an episode replaces the older one (and its subtitles), so a show never holds an
episode twice (see shows.py for the layout).
"""

import asyncio
import errno
import glob
import logging
import os
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

from niluflix.contracts.common import HealthCheck, MediaType
from niluflix.contracts.downloads import DownloadCompleted, TitleFacts
from niluflix.contracts.library import (
    SYNC_NAMED,
    LibraryItem,
    RemovedFromLibrary,
    RemoveFromLibrary,
    SyncResult,
)
from niluflix.errors import InvalidRequest, NotFound
from niluflix.failpoints import failpoint
from organizer.errors import FilesNotReady, LibraryFull, LibraryUnavailable
from organizer.events import LibraryEvents
from organizer.library.bare_numbers import bare_numbers
from organizer.library.episode_names import EpisodeRef
from organizer.library.episodes import Subtitle, is_subtitle, split_episodes
from organizer.library.metadata import TitleMetadata, write_metadata
from organizer.library.naming import disambiguated, movie_name
from organizer.library.picking import VideoFile, pick_video
from organizer.library.placing import LinkMode, place_file
from organizer.library.removing import OutsideLibrary, delete_episode, delete_movie
from organizer.library.scanning import FoundEpisode, FoundMovie, scan_movies, scan_shows
from organizer.library.shows import episode_keys, plan_episodes, replaced_rows, worth_filing
from organizer.library.store import LibraryStore, to_item
from organizer.tables import LibraryItemRow

log = logging.getLogger(__name__)

MOVIES = "Movies"
TV_SHOWS = "TV Shows"


def _library_error(exc: OSError, folder: Path) -> LibraryUnavailable:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return LibraryFull(f"no space left for {folder}: {exc.strerror}")
    return LibraryUnavailable(f"the library folder {folder} cannot be written: {exc}")


class Library:
    def __init__(
        self,
        *,
        store: LibraryStore,
        events: LibraryEvents,
        library_dir: Callable[[], Path],
        download_dirs: list[Path],
        link_mode: LinkMode = LinkMode.AUTO,
    ) -> None:
        self._store = store
        self._events = events
        self._library_dir = library_dir
        self._download_dirs = download_dirs
        self._link_mode = link_mode

    @property
    def movies_dir(self) -> Path:
        # Read at every use: the user may move the library in the settings without a restart.
        return self._library_dir() / MOVIES

    @property
    def shows_dir(self) -> Path:
        return self._library_dir() / TV_SHOWS

    async def import_completed(self, event: DownloadCompleted) -> LibraryItem | None:
        """File a finished download into the library and return its (first) item; None when a newer
        download has replaced it since, or a show's download brought no episode the show lacked."""
        job = event.job
        done, rows = await self._store.handled(job.id)
        if done:
            log.info("job %s (%s) is in the library already", job.id, job.title)
            for row in rows:
                if row.announced_at is None:
                    await self._announce(row)
            return to_item(rows[0]) if rows else None

        facts = event.facts
        if facts is None:
            # Written before downloaders carried the facts, or catalog never answered for the job: the
            # job's title and year file it as well, only without an IMDb id (never a wait for catalog).
            log.info("job %s: no title facts in the completion; filed by the job's title", job.id)
            facts = TitleFacts(title=job.title, year=job.year)
        if job.media_type is MediaType.TV:
            items = await self._import_show(event, facts)
            return items[0] if items else None
        title, year, imdb_id = facts.title or f"TMDB {job.tmdb_id}", facts.year, facts.imdb_id

        video = await asyncio.to_thread(
            pick_video, event.content_path, event.files, download_dirs=self._download_dirs, title=title
        )
        folder, replaced = await self._folder_for(self.movies_dir, title, year, job.tmdb_id)
        name = movie_name(title, year, tmdb_id=job.tmdb_id) + video.path.suffix.lower()
        target = await self._place(video, folder, name)
        failpoint("organizer.after_place")

        added_at = datetime.now(UTC)
        metadata = TitleMetadata(
            tmdb_id=job.tmdb_id,
            imdb_id=imdb_id,
            media_type=job.media_type,
            title=title,
            year=year,
            file=target.name,
            release_name=job.release_name,
            size=video.size,
            job_id=job.id,
            added_at=added_at,
        )
        try:
            await asyncio.to_thread(write_metadata, folder, metadata)
        except OSError as exc:
            raise _library_error(exc, folder) from exc

        row = LibraryItemRow(
            id=uuid4(),
            media_type=job.media_type.value,
            tmdb_id=job.tmdb_id,
            imdb_id=imdb_id,
            title=title,
            year=year,
            folder=str(folder),
            path=str(target),
            size=video.size,
            job_id=job.id,
            release_name=job.release_name,
            added_at=added_at,
        )
        await self._store.record_import(job.id, [row], replaces=[r.id for r in replaced])
        failpoint("organizer.after_record")
        log.info("job %s: %s -> %s", job.id, video.path, target)
        await asyncio.to_thread(_remove_replaced, [Path(r.path) for r in replaced if r.path != str(target)])
        await self._announce(row)
        return to_item(row)

    async def _import_show(self, event: DownloadCompleted, facts: TitleFacts) -> list[LibraryItem]:
        """File every episode of a show's download: one item per episode file (see shows.py)."""
        job = event.job
        title, year = facts.title or f"TMDB {job.tmdb_id}", facts.year
        fallback = EpisodeRef(season=job.season, episodes=tuple(job.episodes)) if job.episodes else None
        if fallback is not None and fallback.season is None:
            fallback = None
        found = await asyncio.to_thread(
            split_episodes,
            event.content_path,
            event.files,
            download_dirs=self._download_dirs,
            title=title,
            season=job.season,
            bare=bare_numbers(
                job.season, facts.episodes, [job.release_name or "", Path(event.content_path).name]
            ),
            fallback=fallback,
        )
        show_dir, in_show = await self._folder_for(self.shows_dir, title, year, job.tmdb_id)
        planned = plan_episodes(found, facts.episodes, show_dir)
        filed = worth_filing(planned, in_show, season=job.season, episodes=job.episodes)
        for episode in planned:
            if episode not in filed:
                log.info(
                    "job %s: kept the library's own file of %s, not %s (not asked for)",
                    job.id,
                    episode.stem,
                    episode.file.video.path,
                )
        planned = filed
        replaced = replaced_rows(in_show, planned)
        targets: set[Path] = set()
        for episode in planned:
            targets.add(await self._place(episode.file.video, episode.folder, episode.video_name))
            for sub in episode.file.subtitles:
                targets.add(await self._place(sub, episode.folder, episode.stem + sub.suffix))
        failpoint("organizer.after_place")

        added_at = datetime.now(UTC)
        metadata = TitleMetadata(
            tmdb_id=job.tmdb_id,
            imdb_id=facts.imdb_id,
            tvdb_id=facts.tvdb_id,
            media_type=MediaType.TV,
            title=title,
            year=year,
            added_at=added_at,
        )
        try:
            await asyncio.to_thread(write_metadata, show_dir, metadata)
        except OSError as exc:
            raise _library_error(exc, show_dir) from exc

        rows = [
            LibraryItemRow(
                id=uuid4(),
                media_type=MediaType.TV.value,
                tmdb_id=job.tmdb_id,
                imdb_id=facts.imdb_id,
                title=title,
                year=year,
                folder=str(show_dir),
                path=str(episode.target),
                size=episode.file.video.size,
                job_id=job.id,
                release_name=job.release_name,
                added_at=added_at,
                season=episode.season,
                episodes=list(episode.episodes),
                air_date=episode.air_date,
            )
            for episode in planned
        ]
        await self._store.record_import(job.id, rows, replaces=[r.id for r in replaced], movie=False)
        failpoint("organizer.after_record")
        for episode in planned:
            log.info("job %s: %s -> %s", job.id, episode.file.video.path, episode.target)
        await asyncio.to_thread(
            _remove_replaced,
            [Path(r.path) for r in replaced if Path(r.path) not in targets],
            subtitles_too=True,
            keep=targets,
        )
        for row in rows:
            await self._announce(row)
        return [to_item(r) for r in rows]

    async def _folder_for(
        self, base: Path, title: str, year: int | None, tmdb_id: int
    ) -> tuple[Path, list[LibraryItemRow]]:
        """The title's folder under `base`, and the items already in it."""
        name = movie_name(title, year, tmdb_id=tmdb_id)
        folder = base / name
        rows = await self._store.in_folder(str(folder))
        if any(r.tmdb_id is not None and r.tmdb_id != tmdb_id for r in rows):
            folder = base / disambiguated(name, tmdb_id)
            rows = await self._store.in_folder(str(folder))
        return folder, rows

    async def _place(self, file: VideoFile | Subtitle, folder: Path, name: str) -> Path:
        try:
            return await asyncio.to_thread(place_file, file.path, folder, name, self._link_mode)
        except FileNotFoundError as exc:
            if not file.path.exists():
                raise FilesNotReady(f"{file.path} disappeared before it could be placed") from exc
            raise _library_error(exc, folder) from exc
        except OSError as exc:
            raise _library_error(exc, folder) from exc

    async def _announce(self, row: LibraryItemRow) -> None:
        if await self._events.added(to_item(row)):
            log.info("announced %s", row.path)
        await self._store.mark_announced(row.id)

    async def announce_pending(self) -> int:
        """Announce the items a crash left unannounced; returns how many."""
        rows = await self._store.unannounced()
        for row in rows:
            await self._announce(row)
        return len(rows)

    async def health_check(self) -> HealthCheck:
        root = self._library_dir()
        problem = await asyncio.to_thread(_unwritable, root)
        return HealthCheck(name="library", kind="library", ok=problem is None, detail=problem or str(root))

    async def list(
        self,
        media_type: MediaType | None = None,
        tmdb_id: int | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[LibraryItem]:
        rows = await self._store.all(media_type, tmdb_id, offset=offset, limit=limit)
        return [to_item(r) for r in rows]

    async def remove(self, request: RemoveFromLibrary) -> RemovedFromLibrary:
        """Forget items (by id, or every item of a title) and, when asked, delete their files."""
        rows = await self._store.all(request.media_type, request.tmdb_id) if request.tmdb_id else []
        if request.item_ids:
            by_id = {r.id: r for r in await self._store.all()}
            unknown = [str(i) for i in request.item_ids if i not in by_id]
            if unknown:
                raise NotFound(f"no library item with id {', '.join(unknown)}")
            rows += [by_id[i] for i in request.item_ids if by_id[i] not in rows]
        elif request.tmdb_id is None:
            raise InvalidRequest("say which items to remove: item ids, or a TMDB id and media type")
        if not rows:
            raise NotFound(f"the library has nothing of TMDB id {request.tmdb_id}")
        deleted: list[Path] = []
        if request.delete_files:
            deleted = await asyncio.to_thread(_delete_files, rows, self.movies_dir, self.shows_dir)
        await self._store.remove([r.id for r in rows])
        for row in rows:
            log.info(
                "removed %s from the library%s",
                row.path,
                " and deleted its files" if request.delete_files else "",
            )
            await self._events.removed(to_item(row), files_deleted=request.delete_files)
        return RemovedFromLibrary(removed=[to_item(r) for r in rows], deleted_files=[str(p) for p in deleted])

    async def sync(self) -> SyncResult:
        """Import the movies and episode files in the library folder that are not recorded, and forget the
        ones that are gone.

        A record is dropped only when its folder's `Movies` (or `TV Shows`) directory is there but its file
        is not, so an unmounted disk or a library that moved elsewhere never empties the library.
        """
        rows = await self._store.all()
        gone = await asyncio.to_thread(_missing, rows)
        await self._store.remove([r.id for r in gone])
        for row in gone:
            log.info("forgot %s: the file is gone", row.path)
        # A recorded item's path lies in its folder, so its folder is enough to leave it alone.
        recorded = {r.folder for r in rows if r not in gone}
        scanned, found = await asyncio.to_thread(scan_movies, self.movies_dir, recorded)
        kept = [r for r in rows if r not in gone]
        shows_scanned, episodes = await asyncio.to_thread(
            scan_shows, self.shows_dir, {r.path for r in kept if r.media_type == MediaType.TV.value}
        )
        scanned += shows_scanned

        added: list[LibraryItem] = []
        for movie in found:
            if item := await self._record_found(movie, MediaType.MOVIE):
                added.append(item)
        added += await self._add_found_episodes(episodes, kept)
        return SyncResult(
            scanned=scanned,
            added_count=len(added),
            removed_count=len(gone),
            added=added[:SYNC_NAMED],
            removed=[to_item(r) for r in gone[:SYNC_NAMED]],
        )

    async def _record_found(
        self, found: FoundMovie | FoundEpisode, media_type: MediaType, **episode: object
    ) -> LibraryItem | None:
        """Record a file a scan found and announce it; None when it is recorded already."""
        row = LibraryItemRow(
            id=uuid4(),
            media_type=media_type.value,
            tmdb_id=found.tmdb_id,
            imdb_id=found.imdb_id,
            title=found.title,
            year=found.year,
            folder=str(found.folder),
            path=str(found.path),
            size=found.size,
            job_id=None,
            added_at=datetime.now(UTC),
            **episode,
        )
        if not await self._store.add_found(row):
            return None
        log.info("found %s", found.path)
        await self._announce(row)
        return to_item(row)

    async def _add_found_episodes(
        self, episodes: Sequence[FoundEpisode], recorded: Sequence[LibraryItemRow]
    ) -> Sequence[LibraryItem]:
        """Record the episode files a scan found, but never a second file of an episode a show has."""
        taken = {
            key
            for r in recorded
            if r.media_type == MediaType.TV.value
            for key in episode_keys(r.folder, r.season, r.episodes or (), r.air_date)
        }
        added: list[LibraryItem] = []
        for episode in sorted(episodes, key=lambda e: (-e.size, str(e.path))):
            keys = episode_keys(str(episode.folder), episode.season, episode.episodes, episode.air_date)
            if keys & taken:
                log.info("skipped %s: the show has a file of that episode already", episode.path)
                continue
            taken |= keys
            found = await self._record_found(
                episode,
                MediaType.TV,
                season=episode.season,
                episodes=list(episode.episodes),
                air_date=episode.air_date,
            )
            if found:
                added.append(found)
        return sorted(added, key=lambda i: i.path)


def _delete_files(rows: Sequence[LibraryItemRow], movies_dir: Path, shows_dir: Path) -> list[Path]:
    deleted: list[Path] = []
    try:
        for row in rows:
            if row.media_type == MediaType.MOVIE.value:
                deleted += delete_movie(Path(row.folder), movies_dir)
            else:
                deleted += delete_episode(Path(row.path), shows_dir)
    except OutsideLibrary as exc:
        raise InvalidRequest(f"not deleting: {exc}") from exc
    except OSError as exc:
        raise LibraryUnavailable(f"could not delete the files: {exc}") from exc
    return deleted


def _unwritable(root: Path) -> str | None:
    """Why the library folder cannot be written, or None. A folder not made yet counts if it can be."""
    existing = root
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


def _missing(rows: list[LibraryItemRow]) -> list[LibraryItemRow]:
    return [r for r in rows if Path(r.folder).parent.is_dir() and not Path(r.path).exists()]


def _remove_replaced(paths: list[Path], *, subtitles_too: bool = False, keep: Collection[Path] = ()) -> None:
    """Remove replaced files, and (episodes) the subtitles that went with them (`<name>.en.srt`) unless kept.

    A movie's subtitles stay: the organizer never placed any, so they are someone's own.
    """
    for path in paths:
        subtitles = [
            p
            for p in (
                path.parent.glob(f"{glob.escape(path.stem)}.*")
                if subtitles_too and path.parent.is_dir()
                else []
            )
            if is_subtitle(p) and p not in keep
        ]
        for file in (path, *subtitles):
            try:
                file.unlink()
                log.info("removed %s: replaced by a newer download", file)
            except FileNotFoundError:
                pass
            except OSError as exc:
                log.warning("could not remove the replaced %s: %s", file, exc)
