"""Durable jobs. Every state change commits together with the lifecycle event it causes (the outbox).

Writes in one process go one at a time (SQLite allows a single writer, and a read-then-write
transaction that loses the race fails there instead of waiting); row locks (`FOR UPDATE`) keep
replicas sharing one PostgreSQL database from undoing each other's changes.

A show's job brings one torrent: a season pack or one episode. While it is active it claims its episodes
(a table keyed by show, season and episode), so no second job downloads an episode already on its way.

The tick reads every active job each second, so it gets plain `ActiveJob` records of the few columns it
uses rather than ORM rows, and writes progress in one statement for all jobs.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Collection, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from downloader.errors import JobConflict, JobNotFound, PeerUnavailable
from downloader.tables import ACTIVE_STATES, BlocklistRow, ClaimRow, JobRow, OutboxRow, utcnow
from niluflix.contracts import downloads
from niluflix.contracts.catalog import TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import (
    CreateDownload,
    DownloadCancelled,
    DownloadCompleted,
    DownloadedFile,
    DownloadEvent,
    DownloadFailed,
    DownloadQueued,
    DownloadStarted,
    EpisodeFacts,
    Job,
    JobState,
    TitleFacts,
)
from niluflix.contracts.search import Release
from niluflix.secretbox import SecretBox

EVENT_SUBJECTS: dict[type[DownloadEvent], str] = {
    DownloadQueued: downloads.QUEUED,
    DownloadStarted: downloads.STARTED,
    DownloadCompleted: downloads.COMPLETED,
    DownloadFailed: downloads.FAILED,
    DownloadCancelled: downloads.CANCELLED,
}


def to_job(row: JobRow) -> Job:
    return Job(
        id=row.id,
        tmdb_id=row.tmdb_id,
        media_type=MediaType(row.media_type),
        title=row.title,
        year=row.year,
        state=JobState(row.state),
        priority=row.priority,
        release_name=row.release_name,
        info_hash=row.info_hash,
        progress=min(max(row.progress, 0.0), 1.0),
        size=row.size if row.size is not None else row.release_size,
        downloaded=row.downloaded,
        speed_bps=row.speed_bps,
        eta_seconds=row.eta_seconds,
        peers=row.peers,
        error=row.error,
        created_at=row.created_at,
        updated_at=row.updated_at,
        completed_at=row.completed_at,
        profile=row.profile,
        season=row.season,
        episodes=list(row.episodes or []),
        waiting_for=row.waiting_for if row.state == JobState.QUEUED.value else None,
    )


def episodes_label(season: int | None, episodes: Collection[int]) -> str:
    """ "S01" for a whole request, "S01E03", or "S01E01-E03" for a run, "S01E01,E04" otherwise."""
    if season is None:
        return ""
    numbers = sorted(episodes)
    if not numbers:
        return f"S{season:02d}"
    if len(numbers) == 1:
        return f"S{season:02d}E{numbers[0]:02d}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"S{season:02d}E{numbers[0]:02d}-E{numbers[-1]:02d}"
    return f"S{season:02d}" + ",".join(f"E{n:02d}" for n in numbers)


def title_label(row: JobRow | Job) -> str:
    """How a user names the download: "Sintel (2010)", "Severance (2022) S01E01-E09"."""
    name = row.title or f"TMDB {row.media_type} {row.tmdb_id}"
    name = f"{name} ({row.year})" if row.year else name
    episodes = episodes_label(row.season, row.episodes or [])
    return f"{name} {episodes}" if episodes else name


def facts_of(row: JobRow) -> TitleFacts | None:
    """What the completion tells the organizer about the title and, for a show, the episodes it brings."""
    if not row.title:
        return None
    facts = {(f["season"], f["episode"]): f for f in row.episode_facts or []}
    for e in row.episodes or []:  # a row made while catalog had no name for it
        facts.setdefault((row.season, e), {"season": row.season, "episode": e})
    # Every episode of the season (and of a pack's other seasons): a pack's episodes the job did not ask
    # for are filed with their titles too; which ones it asked for, the job's `episodes` say.
    episodes = [EpisodeFacts.model_validate(facts[key]) for key in sorted(facts)]
    return TitleFacts(
        title=row.title, year=row.year, imdb_id=row.imdb_id, tvdb_id=row.tvdb_id, episodes=episodes
    )


SLOT_WAIT = "waiting for a free download slot"
NEW_WAIT = "waiting for the scheduler to look at it"
IN_LIBRARY = "already in the library: ask again with replace to upgrade"


@dataclass(frozen=True)
class ProgressUpdate:
    job_id: uuid.UUID
    progress: float
    size: int | None
    downloaded: int
    speed_bps: int
    eta_seconds: int | None
    peers: int


@dataclass(slots=True)
class ActiveJob:
    """An active job as the tick sees it: its state, its torrent and its progress (names as on `JobRow`)."""

    id: uuid.UUID
    state: str
    info_hash: str | None
    added: bool
    release_name: str | None
    retry_at: datetime | None
    release_size: int | None
    progress: float
    size: int | None
    downloaded: int
    speed_bps: int
    eta_seconds: int | None
    peers: int
    waiting_for: str | None

    def apply(self, u: ProgressUpdate) -> None:
        """The progress as `apply_progress` wrote it."""
        self.progress, self.size, self.downloaded = u.progress, u.size, u.downloaded
        self.speed_bps, self.eta_seconds, self.peers = u.speed_bps, u.eta_seconds, u.peers


# Ended jobs whose torrents the engine removes (a completed one keeps seeding).
_ENDED = (JobState.CANCELLED.value, JobState.FAILED.value)

# Claims written by another replica between our read and our insert: read them again, this many times.
_CLAIM_TRIES = 3

# Beyond this many changed jobs, reading them all again costs no more than picking them out.
_REREAD_ALL_ABOVE = 100

_jobs = JobRow.__table__
# Table columns, not ORM attributes: plain rows, no identity map. In the order of `ActiveJob`'s fields,
# which are filled by position. Parsing `added_at` of every job every second would cost as much as the
# rest of the row: the tick only asks whether there is one.
_ACTIVE_COLUMNS = tuple(
    _jobs.c.added_at.is_not(None).label("added") if f.name == "added" else _jobs.c[f.name]
    for f in fields(ActiveJob)
)
_PROGRESS_COLUMNS = (
    _jobs.c.progress,
    _jobs.c.size,
    _jobs.c.downloaded,
    _jobs.c.speed_bps,
    _jobs.c.eta_seconds,
    _jobs.c.peers,
    _jobs.c.updated_at,
)
# One statement for every job's progress: the driver runs it for a list of parameter sets at once.
_PROGRESS = (
    update(_jobs)
    # Conditional on the state, so a tick never revives a job cancelled a moment ago.
    .where(
        _jobs.c.id == bindparam("p_id", type_=_jobs.c.id.type),
        # Not IN: an expanding list cannot go into an executemany.
        or_(_jobs.c.state == JobState.DOWNLOADING.value, _jobs.c.state == JobState.PAUSED.value),
    )
    .values({c: bindparam(f"p_{c.name}", type_=c.type) for c in _PROGRESS_COLUMNS})
)


class JobStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], box: SecretBox) -> None:
        """`box`: seals the release's links at rest, for they carry indexer keys and trackers' passkeys."""
        self._sessions = sessions
        self._box = box
        self._write = asyncio.Lock()
        self._watchers: list[set[uuid.UUID]] = []
        self.events_written = asyncio.Event()
        """Set whenever a transaction with an event commits, so the relay publishes without waiting."""

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[AsyncSession]:
        async with self._write, self._sessions() as session:
            async with session.begin():
                yield session
            # Committed; every job row this transaction changed is still in the session's identity map.
            if self._watchers:
                changed = {row.id for row in session.identity_map.values() if isinstance(row, JobRow)}
                for watcher in self._watchers:
                    watcher |= changed
        if session.info.get("events"):
            self.events_written.set()

    @contextmanager
    def watch_changes(self) -> Iterator[set[uuid.UUID]]:
        """While open, the set gathers the ids of the jobs whose rows commands commit in this process.

        `apply_progress` is not reported: its caller knows what it wrote. Replicas do not see each
        other's changes here; they read them at the next tick.
        """
        changed: set[uuid.UUID] = set()
        self._watchers.append(changed)
        try:
            yield changed
        finally:
            self._watchers = [w for w in self._watchers if w is not changed]

    @staticmethod
    async def _lock(session: AsyncSession, job_id: uuid.UUID) -> JobRow:
        row = await session.get(JobRow, job_id, with_for_update=True, populate_existing=True)
        if row is None:
            raise JobNotFound(f"no download job {job_id}")
        return row

    @staticmethod
    def _emit(session: AsyncSession, row: JobRow, event: type[DownloadEvent], **fields: object) -> None:
        payload = event(job=to_job(row), **fields)
        session.info["events"] = True
        session.add(
            OutboxRow(
                event_id=uuid.uuid4(),
                job_id=row.id,
                subject=EVENT_SUBJECTS[event],
                payload=payload.model_dump_json(),
                created_at=utcnow(),
            )
        )

    @staticmethod
    def _touch(row: JobRow, state: JobState | None = None) -> None:
        if state is not None:
            row.state = state.value
        row.updated_at = utcnow()

    @staticmethod
    async def _release_claims(session: AsyncSession, row: JobRow) -> None:
        """The job ended: its episodes may be asked for again."""
        await session.execute(
            delete(ClaimRow).where(ClaimRow.job_id == row.id).execution_options(synchronize_session=False)
        )

    @classmethod
    async def _fail(cls, session: AsyncSession, row: JobRow, reason: str) -> None:
        cls._touch(row, JobState.FAILED)
        row.error, row.speed_bps, row.eta_seconds, row.peers = reason, 0, None, 0
        await cls._release_claims(session, row)
        cls._emit(session, row, DownloadFailed, reason=reason)

    @staticmethod
    def _new_row(req: CreateDownload, now: datetime, **columns: object) -> JobRow:
        values: dict[str, object] = {
            "id": uuid.uuid4(),
            "tmdb_id": req.tmdb_id,
            "media_type": req.media_type.value,
            "title": "",
            "state": JobState.QUEUED.value,
            "priority": req.priority,
            "profile": req.profile,
            "request_id": req.request_id,
            "episodes": [],
            "episode_facts": [],
            "waiting_for": NEW_WAIT,
            "progress": 0.0,
            "downloaded": 0,
            "speed_bps": 0,
            "peers": 0,
            "attempts": 0,
            "resolve_failures": 0,
            "created_at": now,
            "updated_at": now,
        }
        return JobRow(**(values | columns))

    # Commands from users

    async def create(self, req: CreateDownload, *, in_library: bool = False) -> Job:
        """Commit a queued job for a movie, or return its active job: a repeated request makes no second job.

        A movie in the library (`in_library`, or a job of ours completed it) is refused unless `req.replace`.
        A request whose `request_id` made a job already gets that job, whatever became of it.
        """
        try:
            async with self._tx() as session:
                if (asked := await self._for_request(session, req)) is not None:
                    return to_job(asked)
                existing = await self._active_for_title(session, req.tmdb_id, req.media_type)
                if existing is not None:
                    return to_job(existing)
                if not req.replace and (
                    in_library or await self._completed_for_title(session, req.tmdb_id, req.media_type)
                ):
                    raise JobConflict(IN_LIBRARY)
                row = self._new_row(req, utcnow())
                if req.release is not None:
                    self._set_release(row, req.release)
                session.add(row)
                self._emit(session, row, DownloadQueued)
                return to_job(row)
        except IntegrityError:
            # Another replica created it between our check and our insert: theirs is the one.
            async with self._sessions() as session:
                existing = await self._for_request(session, req) or await self._active_for_title(
                    session, req.tmdb_id, req.media_type
                )
            if existing is None:
                raise
            return to_job(existing)

    async def create_show(
        self,
        req: CreateDownload,
        details: TitleDetails,
        episodes: list[EpisodeFacts],
        facts: list[EpisodeFacts],
    ) -> Job:
        """Commit one queued job for the episodes of one season that no active job brings yet.

        Episodes already on their way are left to their jobs; when all of them are, the reply is the job
        that brings the first one. `facts` go with the job: the episodes', or every episode of the season
        (and of a given pack's other seasons) when its torrent may be a pack, so the pack's episodes it was
        not asked for are named too.
        """
        assert req.season is not None and episodes
        wanted = [e.episode for e in episodes]
        for _ in range(_CLAIM_TRIES):
            try:
                async with self._tx() as session:
                    if (asked := await self._for_request(session, req)) is not None:
                        return to_job(asked)
                    taken = dict(
                        (
                            await session.execute(
                                select(ClaimRow.episode, ClaimRow.job_id).where(
                                    ClaimRow.tmdb_id == req.tmdb_id,
                                    ClaimRow.season == req.season,
                                    ClaimRow.episode.in_(wanted),
                                )
                            )
                        ).all()
                    )
                    free = [e for e in episodes if e.episode not in taken]
                    if not free:
                        existing = await session.get(JobRow, taken[wanted[0]])
                        assert existing is not None  # a claim goes with its job
                        return to_job(existing)
                    row = self._new_row(
                        req,
                        utcnow(),
                        title=details.title,
                        year=details.year,
                        imdb_id=details.imdb_id,
                        tvdb_id=details.tvdb_id,
                        season=req.season,
                        episodes=[e.episode for e in free],
                        episode_facts=[e.model_dump(mode="json") for e in facts],
                    )
                    if req.release is not None:
                        self._set_release(row, req.release)
                    session.add(row)
                    await session.flush()  # the claims point at it
                    session.add_all(
                        ClaimRow(tmdb_id=req.tmdb_id, season=req.season, episode=e.episode, job_id=row.id)
                        for e in free
                    )
                    self._emit(session, row, DownloadQueued)
                    return to_job(row)
            except IntegrityError:
                continue  # another request claimed some of them meanwhile: read the claims again
        raise PeerUnavailable("the episodes are being claimed by other requests right now; ask again")

    async def split(self, job_id: uuid.UUID) -> tuple[JobRow, list[JobRow]] | None:
        """A queued job of several episodes becomes one job per episode, in one transaction.

        The job keeps its id and its first episode; each other episode gets a new queued job, which takes
        over that episode's claim. None when the job is no longer queued.
        """
        async with self._tx() as session:
            row = await self._lock(session, job_id)
            if row.state != JobState.QUEUED.value or row.season is None:
                return None
            first, *rest = row.episodes
            # Each job keeps its own episode's facts only: a job of one episode takes a release of exactly
            # that episode, never a pack (and a daily show's season may hold hundreds).
            named = {f["episode"]: f for f in row.episode_facts or [] if f["season"] == row.season}
            row.episodes = [first]
            row.episode_facts = [named[first]] if first in named else []
            self._touch(row)
            created = []
            for i, episode in enumerate(rest, start=1):
                new = JobRow(
                    id=uuid.uuid4(),
                    tmdb_id=row.tmdb_id,
                    media_type=row.media_type,
                    title=row.title,
                    year=row.year,
                    imdb_id=row.imdb_id,
                    tvdb_id=row.tvdb_id,
                    season=row.season,
                    episodes=[episode],
                    episode_facts=[named[episode]] if episode in named else [],
                    state=JobState.QUEUED.value,
                    priority=row.priority,
                    profile=row.profile,
                    waiting_for=NEW_WAIT,
                    progress=0.0,
                    downloaded=0,
                    speed_bps=0,
                    peers=0,
                    attempts=0,
                    resolve_failures=0,
                    # Just after the job it came from: the episodes keep their place, and their order, in the queue.
                    created_at=row.created_at + timedelta(microseconds=i),
                    updated_at=row.updated_at,
                )
                session.add(new)
                created.append(new)
            await session.flush()
            for new in created:
                await session.execute(
                    update(ClaimRow)
                    .where(
                        ClaimRow.tmdb_id == row.tmdb_id,
                        ClaimRow.season == row.season,
                        ClaimRow.episode == new.episodes[0],
                    )
                    .values(job_id=new.id)
                    .execution_options(synchronize_session=False)
                )
                self._emit(session, new, DownloadQueued)
            return row, created

    async def pause(self, job_id: uuid.UUID) -> JobRow:
        async with self._tx() as session:
            row = await self._lock(session, job_id)
            state = JobState(row.state)
            if state is JobState.PAUSED:
                return row
            if not state.active:
                raise JobConflict(f"cannot pause a {state.value} download")
            self._touch(row, JobState.PAUSED)
            row.speed_bps, row.eta_seconds = 0, None
            return row

    async def resume(self, job_id: uuid.UUID) -> JobRow:
        async with self._tx() as session:
            row = await self._lock(session, job_id)
            state = JobState(row.state)
            if state in (JobState.QUEUED, JobState.DOWNLOADING):
                return row
            if state is not JobState.PAUSED:
                raise JobConflict(f"cannot resume a {state.value} download")
            # A job paused before its torrent was added goes back to the queue and waits for a slot.
            self._touch(row, JobState.DOWNLOADING if row.added_at is not None else JobState.QUEUED)
            row.retry_at = None
            return row

    async def cancel(self, job_id: uuid.UUID) -> JobRow:
        async with self._tx() as session:
            row = await self._lock(session, job_id)
            state = JobState(row.state)
            if state is JobState.CANCELLED:
                return row
            if not state.active:
                raise JobConflict(f"cannot cancel a {state.value} download")
            self._touch(row, JobState.CANCELLED)
            row.speed_bps, row.eta_seconds, row.peers = 0, None, 0
            await self._release_claims(session, row)
            self._emit(session, row, DownloadCancelled)
            return row

    # Reads

    async def get(self, job_id: uuid.UUID) -> JobRow:
        async with self._sessions() as session:
            row = await session.get(JobRow, job_id)
        if row is None:
            raise JobNotFound(f"no download job {job_id}")
        return row

    async def list_jobs(
        self,
        states: Iterable[JobState] | None,
        limit: int,
        *,
        tmdb_id: int | None = None,
        media_type: MediaType | None = None,
    ) -> list[JobRow]:
        query = select(JobRow).order_by(JobRow.created_at.desc(), JobRow.id).limit(limit)
        if states is not None:
            query = query.where(JobRow.state.in_([s.value for s in states]))
        if tmdb_id is not None:
            query = query.where(JobRow.tmdb_id == tmdb_id)
        if media_type is not None:
            query = query.where(JobRow.media_type == media_type.value)
        async with self._sessions() as session:
            return list((await session.scalars(query)).all())

    async def active_jobs(self, ids: Collection[uuid.UUID] | None = None) -> list[ActiveJob]:
        """Active jobs (of these ids, if given) in the order they get a slot: priority, then first asked."""
        query = (
            select(*_ACTIVE_COLUMNS)
            .where(_jobs.c.state.in_([s.value for s in ACTIVE_STATES]))
            .order_by(_jobs.c.priority.desc(), _jobs.c.created_at, _jobs.c.id)
        )
        if ids is not None:
            query = query.where(_jobs.c.id.in_(sorted(ids)))
        async with self._sessions() as session:
            return [ActiveJob(*row) for row in (await session.execute(query)).all()]

    async def refresh_active(self, jobs: list[ActiveJob], changed: Collection[uuid.UUID]) -> list[ActiveJob]:
        """The active jobs now, from `jobs` read a moment ago and the ids of the jobs changed since."""
        if not changed:
            return jobs
        if len(changed) > _REREAD_ALL_ABOVE:
            return await self.active_jobs()
        fresh = {j.id: j for j in await self.active_jobs(changed)}
        known = {j.id for j in jobs}
        if not fresh.keys() <= known:
            # A job created since: reading them all puts it in its place in the queue.
            return await self.active_jobs()
        return [fresh.get(j.id, j) for j in jobs if j.id not in changed or j.id in fresh]

    async def blocklist(self, job_id: uuid.UUID) -> list[BlocklistRow]:
        async with self._sessions() as session:
            query = select(BlocklistRow).where(BlocklistRow.job_id == job_id).order_by(BlocklistRow.id)
            return list((await session.scalars(query)).all())

    async def hashes_to_remove(self, hashes: Iterable[str]) -> set[str]:
        """Of these torrents, the ones only ended jobs or dropped releases point at: cancelled, failed, blocklisted."""
        wanted = sorted(set(hashes))
        if not wanted:
            return set()
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(JobRow.info_hash, JobRow.state).where(JobRow.info_hash.in_(wanted))
                )
            ).all()
            blocked = set(
                (
                    await session.scalars(
                        select(BlocklistRow.info_hash).where(BlocklistRow.info_hash.in_(wanted))
                    )
                ).all()
            )
        keep = {h for h, state in rows if state not in _ENDED}
        drop = {h for h, state in rows if state in _ENDED} | blocked
        return drop - keep

    async def ended_since(self, since: datetime) -> set[str]:
        """Info hashes of the jobs cancelled or failed since then."""
        query = select(JobRow.info_hash).where(
            JobRow.state.in_(_ENDED),
            JobRow.updated_at >= since,
            JobRow.info_hash.is_not(None),
        )
        async with self._sessions() as session:
            return set((await session.scalars(query)).all())

    # Steps of the engine

    async def set_details(self, job_id: uuid.UUID, details: TitleDetails) -> JobRow:
        async with self._tx() as session:
            row = await self._lock(session, job_id)
            row.title, row.year, row.imdb_id = details.title, details.year, details.imdb_id
            row.tvdb_id = details.tvdb_id
            self._touch(row)
            return row

    async def set_waiting(self, job_ids: Collection[uuid.UUID], reason: str) -> None:
        """Say why these jobs, while still queued, wait."""
        if not job_ids:
            return
        async with self._tx() as session:
            await session.execute(
                update(JobRow)
                .where(JobRow.id.in_(sorted(job_ids)), JobRow.state == JobState.QUEUED.value)
                .values(waiting_for=reason)
                .execution_options(synchronize_session=False)
            )

    async def choose_release(
        self, job_id: uuid.UUID, release: Release, more_facts: Sequence[EpisodeFacts] = ()
    ) -> JobRow | None:
        """Remember the release before adding it, so a restart adds this one and not another; `more_facts`:
        the episodes of the other seasons a pack holds, to name them when it completes."""
        async with self._tx() as session:
            row = await self._lock(session, job_id)
            if row.state not in (JobState.QUEUED.value, JobState.PAUSED.value):
                return None
            self._set_release(row, release)
            if more_facts:
                known = {(f["season"], f["episode"]) for f in row.episode_facts or []}
                row.episode_facts = [
                    *(row.episode_facts or []),
                    *(f.model_dump(mode="json") for f in more_facts if (f.season, f.episode) not in known),
                ]
            self._touch(row)
            return row

    async def mark_added(self, job_id: uuid.UUID, info_hash: str, save_dir: str) -> JobRow:
        """The client has the torrent. A queued job starts; a job paused or cancelled meanwhile does not."""
        async with self._tx() as session:
            row = await self._lock(session, job_id)
            if row.state not in (JobState.QUEUED.value, JobState.PAUSED.value):
                return row
            row.info_hash, row.save_dir, row.added_at = info_hash, save_dir, utcnow()
            row.error, row.resolve_failures, row.retry_at = None, 0, None
            row.waiting_for = None
            if row.state == JobState.QUEUED.value:
                self._touch(row, JobState.DOWNLOADING)
                self._emit(session, row, DownloadStarted)
            else:
                self._touch(row)
            return row

    async def defer(self, job_id: uuid.UUID, message: str, retry_at: datetime) -> JobRow:
        """Catalog, search or the client is down: say so on the job and try again later."""
        async with self._tx() as session:
            row = await self._lock(session, job_id)
            row.error, row.retry_at = message, retry_at
            row.waiting_for = message
            row.resolve_failures += 1
            self._touch(row)
            return row

    async def fail(self, job_id: uuid.UUID, reason: str) -> JobRow | None:
        async with self._tx() as session:
            row = await self._lock(session, job_id)
            if not JobState(row.state).active:
                return None
            await self._fail(session, row, reason)
            return row

    async def release_failed(
        self, job_id: uuid.UUID, info_hash: str | None, reason: str, *, max_attempts: int
    ) -> JobRow | None:
        """Blocklist the job's release; queue the job for the next one, or fail it after `max_attempts`."""
        async with self._tx() as session:
            row = await self._lock(session, job_id)
            if not JobState(row.state).active:
                return None
            name = row.release_name or "the release"
            session.add(
                BlocklistRow(
                    job_id=row.id,
                    info_hash=row.info_hash or info_hash,
                    release_name=name,
                    reason=reason,
                    created_at=utcnow(),
                )
            )
            row.attempts += 1
            if row.attempts >= max_attempts:
                await self._fail(
                    session, row, f"gave up after {row.attempts} release(s); last one, {name}: {reason}"
                )
                return row
            self._clear_release(row)
            row.error = f"{name}: {reason}; trying another release"
            row.waiting_for = f"its release failed ({reason}); looking for another"
            # A paused job stays paused: it looks for the next release once the user resumes it.
            self._touch(row, JobState.PAUSED if row.state == JobState.PAUSED.value else JobState.QUEUED)
            return row

    async def complete(
        self,
        job_id: uuid.UUID,
        content_path: str,
        files: list[DownloadedFile],
        details: TitleDetails | None = None,
    ) -> JobRow | None:
        """Complete the job; its event carries the title's facts (`details`, when they came only now)."""
        async with self._tx() as session:
            row = await self._lock(session, job_id)
            if row.state not in (JobState.DOWNLOADING.value, JobState.PAUSED.value):
                return None
            if details is not None:
                row.title, row.year, row.imdb_id = details.title, details.year, details.imdb_id
                row.tvdb_id = details.tvdb_id
            facts = facts_of(row)
            await self._release_claims(session, row)
            now = utcnow()
            self._touch(row, JobState.COMPLETED)
            total = sum(f.size for f in files)
            row.progress, row.size = 1.0, row.size or total
            row.downloaded, row.speed_bps, row.eta_seconds, row.error = row.size, 0, 0, None
            row.completed_at = now
            self._emit(session, row, DownloadCompleted, content_path=content_path, files=files, facts=facts)
            return row

    async def apply_progress(self, updates: list[ProgressUpdate]) -> None:
        """Write the progress of downloading and paused jobs: one statement, executed for every update."""
        if not updates:
            return
        now = utcnow()
        params = [
            {
                "p_id": u.job_id,
                "p_progress": u.progress,
                "p_size": u.size,
                "p_downloaded": u.downloaded,
                "p_speed_bps": u.speed_bps,
                "p_eta_seconds": u.eta_seconds,
                "p_peers": u.peers,
                "p_updated_at": now,
            }
            for u in updates
        ]
        async with self._tx() as session:
            await session.execute(_PROGRESS, params)

    # The outbox

    async def unsent_events(self, limit: int = 100) -> list[OutboxRow]:
        query = select(OutboxRow).where(OutboxRow.sent_at.is_(None)).order_by(OutboxRow.seq).limit(limit)
        async with self._sessions() as session:
            return list((await session.scalars(query)).all())

    async def mark_sent(self, seqs: list[int]) -> None:
        if not seqs:
            return
        async with self._tx() as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.seq.in_(seqs))
                .values(sent_at=utcnow())
                .execution_options(synchronize_session=False)
            )

    async def prune_sent(self, before: datetime) -> int:
        async with self._tx() as session:
            result = await session.execute(
                delete(OutboxRow)
                .where(OutboxRow.sent_at.is_not(None), OutboxRow.sent_at < before)
                .execution_options(synchronize_session=False)
            )
            return result.rowcount or 0

    # Internals

    async def find_request(self, request_id: uuid.UUID) -> Job | None:
        """The job a create request with this idempotency key made, if one did."""
        async with self._sessions() as session:
            row = (await session.execute(select(JobRow).where(JobRow.request_id == request_id))).scalar()
        return to_job(row) if row is not None else None

    @staticmethod
    async def _for_request(session: AsyncSession, req: CreateDownload) -> JobRow | None:
        if req.request_id is None:
            return None
        return (await session.execute(select(JobRow).where(JobRow.request_id == req.request_id))).scalar()

    @staticmethod
    async def _active_for_title(session: AsyncSession, tmdb_id: int, media_type: MediaType) -> JobRow | None:
        query = select(JobRow).where(
            JobRow.tmdb_id == tmdb_id,
            JobRow.media_type == media_type.value,
            JobRow.state.in_([s.value for s in ACTIVE_STATES]),
        )
        return (await session.scalars(query)).first()

    @staticmethod
    async def _completed_for_title(session: AsyncSession, tmdb_id: int, media_type: MediaType) -> bool:
        query = select(JobRow.id).where(
            JobRow.tmdb_id == tmdb_id,
            JobRow.media_type == media_type.value,
            JobRow.state == JobState.COMPLETED.value,
        )
        return (await session.scalars(query.limit(1))).first() is not None

    def release_links(self, row: JobRow) -> tuple[str | None, str | None]:
        """The magnet link and the torrent URL of the job's release, opened."""
        return self._box.open(row.release_magnet), self._box.open(row.release_torrent_url)

    def _set_release(self, row: JobRow, release: Release) -> None:
        row.release_name, row.release_indexer = release.name, release.indexer
        # Sealed: a Torznab link's `apikey=`, a private tracker's passkey in a magnet's trackers.
        row.release_magnet = self._box.seal(release.magnet_uri)
        row.release_torrent_url = self._box.seal(release.torrent_url)
        row.release_size = release.size
        row.info_hash = release.info_hash.lower() if release.info_hash else None

    @staticmethod
    def _clear_release(row: JobRow) -> None:
        row.release_name = row.release_indexer = row.release_magnet = row.release_torrent_url = None
        row.release_size = row.info_hash = row.save_dir = row.added_at = row.eta_seconds = row.size = None
        row.progress, row.downloaded, row.speed_bps, row.peers = 0.0, 0, 0, 0
