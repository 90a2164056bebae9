"""The engine: one tick at a time, it reads every torrent once, moves jobs along and starts queued ones.

Each tick:
1. asks the torrent client for every torrent in one call (`list_all`);
2. for each running job: records progress, completes it when its torrent is complete, drops its release
   when the torrent errs or makes no progress for `stall_timeout`, re-adds a torrent the client lost;
3. removes torrents that only cancelled/failed jobs or blocklisted releases point at;
4. starts the best queued jobs while fewer than `max_concurrent_downloads` run (resolving a job, which
   asks catalog and search, runs beside the tick so a slow indexer never delays progress), and tells the
   others they wait for a slot;
5. publishes one `ProgressTick` with every active job.

The tick reads the active jobs once; what it (or a command, or a job starting beside it) changes meanwhile
is read again by id before it starts queued jobs and publishes, so the `ProgressTick` shows the jobs as the
tick leaves them.

A show's job of several episodes searches its season: a healthy pack that brings them all is its one
torrent; without one, the job becomes one job per episode (`JobStore.split`), each searching its episode.
Both searches carry the episodes' absolute numbers and an episode's air date (`episode_numbers.py`), so a
release named by them (anime, daily shows) counts as one named `S01E02`.

The database is the truth: the engine keeps only caches in memory, so a restart (or another replica
taking over the lease) continues from the rows.
"""

import asyncio
import contextlib
import logging
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from faststream.nats import NatsBroker

from downloader.clients.base import (
    InvalidTorrentError,
    TorrentClient,
    TorrentClientError,
    TorrentState,
    TorrentStatus,
)
from downloader.errors import PeerUnavailable, ReleaseUnusable
from downloader.jobs.client_slot import ClientSlot
from downloader.jobs.coverage import episode_releases, packs_for
from downloader.jobs.episode_numbers import EpisodeNumbers, from_facts, from_season
from downloader.jobs.lease import Lease
from downloader.jobs.releases import ReleaseFinder, TitleRefused, add_release, pick, why_picked
from downloader.jobs.store import (
    SLOT_WAIT,
    ActiveJob,
    JobStore,
    ProgressUpdate,
    episodes_label,
    title_label,
)
from downloader.settings import DownloaderSettings
from downloader.tables import JobRow, utcnow
from niluflix.contracts import downloads
from niluflix.contracts.catalog import TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import DownloadedFile, JobState, ProgressTick
from niluflix.contracts.search import Release
from niluflix.loops import Loop
from niluflix.settings_store import LiveSettings
from niluflix.url_secrets import mask_text, secrets_in

log = logging.getLogger(__name__)

# A torrent in these states is busy without downloading: not a stall.
BUSY_STATES = (TorrentState.CHECKING, TorrentState.QUEUED)
READD_EVERY = 15.0
SWEEP_EVERY = 60.0
MAX_RETRY_WAIT = 300.0
NO_CLIENT_WAIT = "waiting for the torrent client to answer"
SEARCHING = "looking for a release"


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


class DownloadEngine:
    def __init__(
        self,
        *,
        settings: DownloaderSettings,
        store: JobStore,
        live: LiveSettings,
        slot: ClientSlot,
        finder: ReleaseFinder,
        http: httpx.AsyncClient,
        broker: NatsBroker,
        lease: Lease | None = None,
    ) -> None:
        self._settings = settings
        self._store = store
        self._live = live
        self._slot = slot
        self._finder = finder
        self._http = http
        self._broker = broker
        self._resolving: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._describing: set[asyncio.Task[None]] = set()
        # info hash -> (bytes done, monotonic time they last grew): the stall clock; starts afresh on start.
        self._progress_seen: dict[str, tuple[int, float]] = {}
        self._readded: dict[str, float] = {}
        self._to_remove: set[str] = set()
        self._next_sweep = 0.0
        self._ended_seen: datetime | None = None
        # The service runner starts and stops the loop; with a lease, only the replica holding it ticks.
        self.loop = Loop(
            "the download tick",
            self.tick,
            every=settings.tick_seconds,
            lease=lease,
            standby=self._standby,
            on_stop=self._stop_resolving,
        )
        live.on_change(self._settings_changed)

    @property
    def leader(self) -> bool:
        return self.loop.leader

    def wake(self) -> None:
        """Tick now rather than at the next interval (a job was created, resumed or cancelled)."""
        self.loop.wake()

    async def _settings_changed(self, _settings: object) -> None:
        # The tick reads the settings itself; a change (limit, client) should apply at once.
        self.wake()

    async def _standby(self) -> None:
        if self._slot.client is not None:
            # Another replica runs the tick now; an embedded engine must not download beside it.
            await self._slot.close()
            self._ended_seen = None

    async def _stop_resolving(self) -> None:
        tasks = [*self._resolving.values(), *self._describing]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # The tick

    async def tick(self) -> None:
        client = await self._slot.get(self._live.value.torrent_client)
        if client is None:
            await self._without_client()
            return
        try:
            torrents = await client.list_all()
        except Exception as exc:  # noqa: BLE001 - a dead client loses no job: report it, ask again next tick
            self._slot.failed(exc)
            await self._without_client()
            return
        self._slot.answered()
        by_hash = {t.info_hash.lower(): t for t in torrents}
        with self._store.watch_changes() as changed:
            jobs = await self._store.active_jobs()
            followed: list[tuple[ActiveJob, ProgressUpdate]] = []
            for job in jobs:
                try:
                    update = await self._follow(client, job, by_hash)
                except Exception:
                    log.exception("following job %s failed", job.id)
                    continue
                if update is not None:
                    followed.append((job, update))
            await self._store.apply_progress([update for _, update in followed])
            for job, update in followed:
                job.apply(update)
            await self._sweep(client, by_hash, jobs)
        # Completed, dropped, started, paused or cancelled meanwhile: those rows are read again.
        jobs = await self._store.refresh_active(jobs, changed)
        await self._start_queued(client, jobs)
        await self._publish_progress(jobs)

    async def _without_client(self) -> None:
        jobs = await self._store.active_jobs()
        await self._say_waiting([j for j in jobs if j.state == JobState.QUEUED], NO_CLIENT_WAIT)
        await self._publish_progress(jobs)

    async def _say_waiting(self, jobs: list[ActiveJob], reason: str) -> None:
        """Write why these queued jobs wait, for those that do not say so already."""
        stale = [j for j in jobs if j.waiting_for != reason]
        await self._store.set_waiting([j.id for j in stale], reason)
        for job in stale:
            job.waiting_for = reason

    async def _follow(
        self, client: TorrentClient, job: ActiveJob, by_hash: dict[str, TorrentStatus]
    ) -> ProgressUpdate | None:
        """One running job against its torrent; returns its progress when that changed."""
        if job.state == JobState.QUEUED or not job.added or not job.info_hash:
            return None
        torrent = by_hash.get(job.info_hash)
        if torrent is None:
            await self._readd(client, job)
            return None
        if torrent.state is TorrentState.COMPLETED:
            await self._complete(client, job, torrent)
            return None
        if job.state == JobState.PAUSED:
            self._progress_seen.pop(job.info_hash, None)
            if torrent.state is not TorrentState.PAUSED:
                await client.pause(job.info_hash)
        else:
            if torrent.state is TorrentState.PAUSED:
                # The job says download: someone paused it in the client's own UI.
                await client.resume(job.info_hash)
            trouble = self._trouble(torrent)
            if trouble:
                await self._drop_release(client, job, trouble)
                return None
        running = job.state == JobState.DOWNLOADING
        size = torrent.size or job.size or job.release_size
        speed = torrent.download_rate if running else 0
        eta = torrent.eta_seconds if running else None
        current = (job.progress, job.size, job.downloaded, job.speed_bps, job.eta_seconds, job.peers)
        if current == (torrent.progress, size, torrent.downloaded, speed, eta, torrent.peers):
            return None
        return ProgressUpdate(
            job_id=job.id,
            progress=torrent.progress,
            size=size,
            downloaded=torrent.downloaded,
            speed_bps=speed,
            eta_seconds=eta,
            peers=torrent.peers,
        )

    def _trouble(self, torrent: TorrentStatus) -> str | None:
        if torrent.state is TorrentState.ERROR:
            return f"the torrent client reports an error: {torrent.error or 'no detail given'}"
        now = time.monotonic()
        seen = self._progress_seen.get(torrent.info_hash)
        if seen is None or torrent.downloaded > seen[0] or torrent.state in BUSY_STATES:
            self._progress_seen[torrent.info_hash] = (max(torrent.downloaded, seen[0] if seen else 0), now)
            return None
        if now - seen[1] >= self._settings.stall_timeout:
            return f"no progress for {_duration(self._settings.stall_timeout)}"
        return None

    async def _complete(self, client: TorrentClient, job: ActiveJob, torrent: TorrentStatus) -> None:
        save = Path(torrent.save_path)
        files = [
            DownloadedFile(path=str(save / f.path), size=f.size) for f in await client.files(job.info_hash)
        ]
        details = await self._late_details(job.id)
        row = await self._store.complete(job.id, str(save / torrent.name), files, details)
        self._progress_seen.pop(job.info_hash, None)
        if row is not None:
            log.info("job %s completed: %s", job.id, torrent.name)

    async def _late_details(self, job_id: uuid.UUID) -> TitleDetails | None:
        """The title's facts for a job that has none yet, or None.

        A release the user picked starts while catalog is away; the completion is the last chance to give
        the library the title's real name, since the organizer files by what the event carries.
        """
        row = await self._store.get(job_id)
        if row.title:
            return None
        try:
            return await self._finder.details(row.tmdb_id, MediaType(row.media_type))
        except (PeerUnavailable, TitleRefused) as exc:
            log.warning("job %s completes without its title's facts: %s", job_id, exc.message)
            return None

    async def _drop_release(self, client: TorrentClient | None, job: JobRow | ActiveJob, reason: str) -> None:
        """Blocklist the job's release, remove its torrent and data, and queue the job for the next release."""
        reason = self._masked(reason)
        row = await self._store.release_failed(
            job.id, job.info_hash, reason, max_attempts=self._settings.max_attempts
        )
        if row is None:
            return
        log.warning("job %s: dropped release %s: %s", job.id, job.release_name, reason)
        if job.info_hash and job.added:
            self._progress_seen.pop(job.info_hash, None)
            await self._remove(client, job.info_hash)
        self.wake()

    async def _remove(self, client: TorrentClient | None, info_hash: str) -> None:
        try:
            if client is None:
                raise TorrentClientError("no torrent client")
            await client.remove(info_hash, delete_data=True)
            self._to_remove.discard(info_hash)
        except Exception as exc:  # noqa: BLE001 - the sweep removes it when the client answers again
            log.warning("removing torrent %s failed (%s); will retry", info_hash, exc)
            self._to_remove.add(info_hash)

    async def _readd(self, client: TorrentClient, active: ActiveJob) -> None:
        """The client lost a running job's torrent (restart without resume data, another client): add it again."""
        assert active.info_hash is not None
        last = self._readded.get(active.info_hash)
        if last is not None and time.monotonic() - last < READD_EVERY:
            return
        self._readded[active.info_hash] = time.monotonic()
        job = await self._store.get(active.id)  # the release it needs is not in the tick's view
        if job.state not in (JobState.DOWNLOADING, JobState.PAUSED) or job.info_hash != active.info_hash:
            return  # cancelled, completed or on another release since the tick read it
        try:
            save_dir = (
                Path(job.save_dir) if job.save_dir else self._settings.save_dir(MediaType(job.media_type))
            )
            info_hash = await self._add(client, job, save_dir)
            if job.state == JobState.PAUSED.value:
                await client.pause(info_hash)
        except (ReleaseUnusable, InvalidTorrentError) as exc:
            await self._drop_release(client, job, str(exc))
            return
        except (PeerUnavailable, TorrentClientError) as exc:
            log.warning("job %s: re-adding its torrent failed (%s); will retry", job.id, exc)
            return
        log.info("job %s: the torrent client had lost its torrent; added it again", job.id)

    async def _sweep(
        self, client: TorrentClient, by_hash: dict[str, TorrentStatus], jobs: list[ActiveJob]
    ) -> None:
        """Remove torrents (and data) that only cancelled or failed jobs, or dropped releases, point at.

        Everything else in the client is left alone: completed downloads seed, and torrents the user
        added outside NiluFlix are not ours.
        """
        now = time.monotonic()
        ours = {j.info_hash for j in jobs if j.info_hash}
        # Jobs another replica cancelled since the last tick: that replica could not reach our client.
        since, self._ended_seen = self._ended_seen, utcnow()
        if since is not None:
            self._to_remove |= await self._store.ended_since(since - timedelta(seconds=5))
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_EVERY
            candidates = set(by_hash) - ours
        else:
            candidates = (self._to_remove & set(by_hash)) - ours
        self._to_remove &= set(by_hash)
        if not candidates:
            return
        for info_hash in await self._store.hashes_to_remove(candidates):
            log.info("removing torrent %s of an ended job", info_hash)
            await self._remove(client, info_hash)

    # Starting queued jobs

    async def _start_queued(self, client: TorrentClient, jobs: list[ActiveJob]) -> None:
        limit = self._live.value.max_concurrent_downloads
        busy = sum(1 for j in jobs if j.state == JobState.DOWNLOADING) + len(self._resolving)
        now = utcnow()
        no_slot = []
        for job in jobs:  # already in queue order
            if job.state != JobState.QUEUED or job.id in self._resolving:
                continue
            if job.retry_at is not None and job.retry_at > now:
                continue  # it says why it waits: the peer that did not answer
            if busy >= limit:
                no_slot.append(job)
                continue
            self._resolving[job.id] = asyncio.create_task(
                self._resolve(client, job.id), name=f"resolve-{job.id}"
            )
            busy += 1
        await self._say_waiting(no_slot, SLOT_WAIT)

    async def _resolve(self, client: TorrentClient, job_id: uuid.UUID) -> None:
        job = await self._store.get(job_id)
        try:
            if job.state != JobState.QUEUED.value:
                return
            job = await self._start(client, job)
        except TitleRefused as exc:
            await self._store.fail(job.id, f"{title_label(job)}: {exc.message}")
        except (ReleaseUnusable, InvalidTorrentError) as exc:
            await self._drop_release(client, job, str(exc))
        except (PeerUnavailable, TorrentClientError) as exc:
            await self._defer(job, str(exc))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("starting job %s failed", job.id)
            await self._defer(job, f"{type(exc).__name__}: {exc}")
        finally:
            self._resolving.pop(job_id, None)
            self.wake()

    async def _start(self, client: TorrentClient, job: JobRow) -> JobRow:
        details = None
        if job.release_name is None:
            await self._store.set_waiting([job.id], SEARCHING)
        if job.release_name is None or not job.title:
            try:
                details = await self._finder.details(job.tmdb_id, MediaType(job.media_type))
                job = await self._store.set_details(job.id, details)
            except PeerUnavailable:
                if job.release_name is None:
                    raise
                # The user picked the release: catalog being away only costs the title for now.
        if job.release_name is None:
            assert details is not None
            job, release, candidates = await self._choose(job, details)
            if release is None:
                return job
            chosen = await self._store.choose_release(
                job.id, release, await self._finder.other_seasons(job.tmdb_id, job.season, details, release)
            )
            if chosen is None:
                return job
            job = chosen
            log.info("picked %s for %s: %s", release.name, title_label(job), why_picked(release, candidates))
        save_dir = self._settings.save_dir(MediaType(job.media_type))
        info_hash = await self._add(client, job, save_dir)
        job = await self._store.mark_added(job.id, info_hash, str(save_dir))
        if job.state == JobState.PAUSED.value:
            await client.pause(info_hash)
        elif job.state != JobState.DOWNLOADING.value:
            # Cancelled while it was being added.
            await self._remove(client, info_hash)
        else:
            log.info("job %s started: %s", job.id, job.release_name)
        return job

    async def _add(self, client: TorrentClient, job: JobRow, save_dir: Path) -> str:
        magnet_uri, torrent_url = self._store.release_links(job)
        return await add_release(
            self._http,
            client,
            save_dir,
            magnet_uri=magnet_uri,
            torrent_url=torrent_url,
            label=f"job {job.id} ({job.release_name})",
        )

    async def _choose(
        self, job: JobRow, details: TitleDetails
    ) -> tuple[JobRow, Release | None, list[Release]]:
        """The release to download and the candidates it was picked from; None when the job failed or
        changed meanwhile. A show's job of several episodes without a healthy pack is split here."""
        blocked = await self._store.blocklist(job.id)
        hashes = {b.info_hash for b in blocked if b.info_hash}
        names = {b.release_name.casefold() for b in blocked}
        if job.season is not None and len(job.episodes) > 1:
            releases = await self._finder.ranked(
                details,
                job.profile,
                season=job.season,
                episodes=job.episodes,
                numbers=await self._numbers(job, job.episodes),
            )
            packs = packs_for(releases, job.season, job.episodes)
            release = pick(packs, hashes, names)
            if release is not None:
                return job, release, packs
            split = await self._store.split(job.id)
            if split is None:
                return job, None, []  # paused or cancelled while search answered
            job, created = split
            log.info(
                "no healthy pack brings %s: one job per episode (job %s keeps %s; %d new)",
                title_label(job),
                job.id,
                episodes_label(job.season, job.episodes),
                len(created),
            )
            self.wake()
        if job.season is not None:
            episode = job.episodes[0]
            releases = await self._finder.ranked(
                details,
                job.profile,
                season=job.season,
                episode=episode,
                numbers=await self._numbers(job, [episode]),
            )
            candidates = episode_releases(releases, job.season, episode)
        else:
            candidates = await self._finder.ranked(details, job.profile)
        release = pick(candidates, hashes, names)
        if release is None:
            if blocked:
                reason = (
                    f"no other release found for {title_label(job)} after {len(blocked)} failed: {job.error}"
                )
            else:
                reason = f"no release found for {title_label(job)}"
            await self._store.fail(job.id, reason)
            log.info("job %s failed: %s", job.id, reason)
        return job, release, candidates

    async def _numbers(self, job: JobRow, episodes: list[int]) -> EpisodeNumbers:
        """The episodes' absolute numbers and air date, for search to match releases named by them: from
        the job's facts, or from catalog for a job made before the facts held them."""
        assert job.season is not None
        known = from_facts(job.episode_facts or [], job.season, episodes)
        if known is not None:
            return known
        try:
            return from_season(await self._finder.season(job.tmdb_id, job.season), episodes)
        except (PeerUnavailable, TitleRefused) as exc:
            # S01E02 still finds most releases: only those named otherwise are missed this time
            log.info("job %s searches by season and episode alone: %s", job.id, exc.message)
            return EpisodeNumbers()

    def _masked(self, text: str) -> str:
        """An upstream's words as a job's error or a log line may hold them: with no secret of the settings
        (the client's password, an indexer's key) and no URL secret in them."""
        return mask_text(text, secrets_in(self._live.value))

    async def _defer(self, job: JobRow, message: str) -> None:
        message = self._masked(message)
        wait = min(self._settings.resolve_retry_seconds * 2**job.resolve_failures, MAX_RETRY_WAIT)
        log.warning("job %s waits %g s: %s", job.id, wait, message)
        await self._store.defer(
            job.id, f"{message}; trying again in {_duration(wait)}", utcnow() + timedelta(seconds=wait)
        )

    def describe(self, job_id: uuid.UUID, tmdb_id: int, media_type: MediaType) -> None:
        """Fill a new job's title and year from catalog now, so the queue names it before it starts."""
        task = asyncio.create_task(self._describe(job_id, tmdb_id, media_type), name=f"describe-{job_id}")
        self._describing.add(task)
        task.add_done_callback(self._describing.discard)

    async def _describe(self, job_id: uuid.UUID, tmdb_id: int, media_type: MediaType) -> None:
        try:
            details = await self._finder.details(tmdb_id, media_type)
        except (PeerUnavailable, TitleRefused) as exc:
            # The job asks again as it starts, and says then what went wrong.
            log.info("job %s: its title is not known yet: %s", job_id, exc.message)
            return
        with contextlib.suppress(Exception):
            await self._store.set_details(job_id, details)

    # Commands the handlers pass on to the client at once (the tick repairs what fails here)

    async def paused(self, job: JobRow) -> None:
        client = self._slot.client
        if client is not None and job.info_hash and job.added_at is not None:
            with contextlib.suppress(Exception):
                await client.pause(job.info_hash)
        self.wake()

    async def resumed(self, job: JobRow) -> None:
        client = self._slot.client
        if client is not None and job.info_hash and job.added_at is not None:
            with contextlib.suppress(Exception):
                await client.resume(job.info_hash)
        self.wake()

    async def cancelled(self, job: JobRow) -> None:
        if job.info_hash and job.added_at is not None:
            await self._remove(self._slot.client, job.info_hash)
        self.wake()

    # Progress

    async def _publish_progress(self, jobs: list[ActiveJob]) -> None:
        # Validated from plain dicts in one call: a thousand model constructors cost twice as much.
        tick = ProgressTick.model_validate(
            {
                "at": utcnow(),
                "jobs": [
                    {
                        "job_id": j.id,
                        "state": j.state,
                        "progress": j.progress,
                        "downloaded": j.downloaded,
                        "size": j.size if j.size is not None else j.release_size,
                        "speed_bps": j.speed_bps,
                        "eta_seconds": j.eta_seconds,
                        "peers": j.peers,
                    }
                    for j in jobs
                ],
            }
        )
        try:
            await self._broker.publish(tick, downloads.PROGRESS)
        except Exception as exc:  # noqa: BLE001 - progress is best effort; the next tick sends another
            log.debug("publishing progress failed: %s", exc)
