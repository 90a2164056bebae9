"""The library and the downloads, mirrored into `shared_library` for the phone.

One row per movie or show that is in the library or on its way. A change set (what differs from the rows
last sent) goes out as ONE bulk upsert, and the titles gone as one delete per media type: a 5,000-item library
is one request, not 5,000. A full resync (at start, then every few minutes) sends every row and deletes rows
of ours the project has that the home no longer has (left by an earlier run).
"""

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from gateway.api.downloads import with_live_progress
from gateway.deps import GatewayState
from gateway.library_pages import library_items
from gateway.remote.session import RemoteSession
from niluflix.contracts import downloads
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import Job, JobList, JobState, ListDownloads
from niluflix.contracts.library import LibraryItem

TABLE = "shared_library"
CONFLICT = "user_id,desktop_app_id,media_type,tmdb_id"
ACTIVE = [JobState.DOWNLOADING, JobState.QUEUED, JobState.PAUSED]  # the one a title shows, first first
PAGE = 1000  # Supabase answers at most this many rows per select by default

Key = tuple[str, int]


@dataclass
class Title:
    media_type: MediaType
    tmdb_id: int
    title: str = ""
    year: int | None = None
    files: list[LibraryItem] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)


@dataclass
class MirrorRound:
    upserted: int = 0
    deleted: int = 0
    requests: int = 0


def titles(items: Iterable[LibraryItem], jobs: Iterable[Job]) -> dict[Key, Title]:
    """Library files and active jobs by title; a show's episode files and season downloads under the show."""
    found: dict[Key, Title] = {}
    for item in items:
        if item.tmdb_id is None:
            continue  # found by a scan without an id: the phone could not act on it
        t = found.setdefault((item.media_type.value, item.tmdb_id), Title(item.media_type, item.tmdb_id))
        t.files.append(item)
        t.title, t.year = t.title or item.title, t.year or item.year
    for job in jobs:
        t = found.setdefault((job.media_type.value, job.tmdb_id), Title(job.media_type, job.tmdb_id))
        t.jobs.append(job)
        t.title, t.year = t.title or job.title, t.year or job.year
    return found


def row(t: Title) -> dict[str, Any]:
    """The title's `shared_library` columns (without user, instance and time)."""
    active = sorted(t.jobs, key=lambda j: ACTIVE.index(j.state))
    if active:
        status = active[0].state.value
        progress = round(100 * sum(j.progress for j in active) / len(active), 1)
    else:
        status, progress = "completed", 100.0
    detail: dict[str, Any] = {
        "downloads": [
            {
                "job_id": str(j.id),
                "label": _label(j),
                "state": j.state.value,
                "progress": round(100 * j.progress, 1),
                "waiting_for": j.waiting_for,
            }
            for j in sorted(t.jobs, key=lambda j: (j.season or 0, j.episodes[:1], str(j.id)))
        ]
    }
    if t.media_type is MediaType.TV:
        detail["episodes_in_library"] = len({(f.season, e) for f in t.files for e in f.episodes})
    return {
        "media_type": t.media_type.value,
        "tmdb_id": t.tmdb_id,
        "title": t.title or f"TMDB {t.tmdb_id}",
        "year": t.year,
        "download_status": status,
        "progress": progress,
        "detail": detail,
    }


def _label(job: Job) -> str:
    if job.season is None:
        return job.release_name or job.title
    if len(job.episodes) == 1:
        return f"S{job.season:02d}E{job.episodes[0]:02d}"
    return f"Season {job.season}" if job.season else "Specials"


class Mirror:
    def __init__(self, state: GatewayState) -> None:
        self._state = state
        self._sent: dict[Key, dict[str, Any]] | None = None  # None: the next round is a full one
        self.requests = 0  # Supabase requests made, for the bench and the status

    @property
    def mirrored(self) -> int:
        """Titles the project has from us, as last sent."""
        return len(self._sent or {})

    def forget(self) -> None:
        """A new session or project: the next round sends everything."""
        self._sent = None

    async def local_rows(self) -> dict[Key, dict[str, Any]]:
        state = self._state
        movies, shows, jobs = await asyncio.gather(
            library_items(state, MediaType.MOVIE),
            library_items(state, MediaType.TV),
            state.call(downloads.LIST, ListDownloads(states=ACTIVE, limit=5000), JobList),
        )
        live = with_live_progress(jobs.jobs, state.hub.latest_tick)  # newer than the rows between ticks
        return {key: row(t) for key, t in titles([*movies, *shows], live).items()}

    async def sync(self, session: RemoteSession, desktop_app_id: str, *, full: bool = False) -> MirrorRound:
        rows = await self.local_rows()
        done = MirrorRound()
        if full or self._sent is None:
            there = await self._keys_there(session, desktop_app_id, done)
            changed = list(rows)
            gone = there - rows.keys()
        else:
            changed = [k for k, r in rows.items() if self._sent.get(k) != r]
            gone = self._sent.keys() - rows.keys()
        now = datetime.now(UTC).isoformat()
        if changed:
            body = [
                rows[k] | {"user_id": session.user_id, "desktop_app_id": desktop_app_id, "synced_at": now}
                for k in changed
            ]
            await self._send(session, done, lambda c: c.table(TABLE).upsert(body, on_conflict=CONFLICT))
            done.upserted = len(body)
        by_type: dict[str, list[int]] = defaultdict(list)
        for media_type, tmdb_id in sorted(gone):
            by_type[media_type].append(tmdb_id)
        for media_type, ids in by_type.items():
            await self._send(
                session,
                done,
                lambda c, media_type=media_type, ids=ids: (
                    c.table(TABLE)
                    .delete()
                    .eq("desktop_app_id", desktop_app_id)
                    .eq("media_type", media_type)
                    .in_("tmdb_id", ids)
                ),
            )
            done.deleted += len(ids)
        self._sent = rows
        return done

    async def _keys_there(self, session: RemoteSession, desktop_app_id: str, done: MirrorRound) -> set[Key]:
        keys: set[Key] = set()
        start = 0
        while True:
            page = await self._send(
                session,
                done,
                lambda c, start=start: (
                    c.table(TABLE)
                    .select("media_type,tmdb_id")
                    .eq("desktop_app_id", desktop_app_id)
                    .order("id")
                    .range(start, start + PAGE - 1)
                ),
            )
            keys.update((r["media_type"], r["tmdb_id"]) for r in page)
            if len(page) < PAGE:
                return keys
            start += PAGE

    async def _send(self, session: RemoteSession, done: MirrorRound, build: Any) -> list[dict[str, Any]]:
        async def request(client: Any) -> Any:
            self.requests += 1
            done.requests += 1
            return await build(client).execute()

        return (await session.run(request)).data
