"""Commands from the phone (`remote_downloads`), each carried out exactly once.

Polling is the source of truth; realtime only wakes the poll sooner (access.py). A pending command of ours is
claimed with a compare-and-set (`status=eq.pending` → `processing`: a claim answered with no row means another
home took it), recorded in the gateway's table, run through the same functions as the routes, and its outcome
recorded, then written back (`completed` with `result_message`, or `failed` with `error_message`).

After a crash, rows of ours still `processing` are finished from the record: an outcome recorded is written
back; a command recorded as running, or not recorded at all, runs (again). Running a download again is safe:
the command's id is the downloader's idempotency key (`CreateDownload.request_id`), so a job the downloader
committed before the crash is answered, not made twice. Pause, resume and cancel are idempotent themselves.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.api.downloads import change_job
from gateway.api.models import DownloadRequest, EpisodeRef, TvDownloadRequest
from gateway.api.movies import request_movie
from gateway.api.tv import request_show
from gateway.deps import GatewayState
from gateway.remote.session import RemoteSession
from gateway.tables import RemoteCommandRow
from niluflix.contracts.common import ErrorCode, MediaType
from niluflix.contracts.downloads import Job, JobState
from niluflix.db import make_sessionmaker
from niluflix.errors import RemoteError, ServiceError, Unavailable
from niluflix.failpoints import failpoint

log = logging.getLogger(__name__)

TABLE = "remote_downloads"
BATCH = 50


class DownloadPayload(BaseModel):
    title: str | None = None
    year: int | None = None
    seasons: list[int] = Field(default_factory=list)
    episodes: list[EpisodeRef] = Field(default_factory=list)
    profile: str | None = Field(None, min_length=1, max_length=64)


class JobPayload(BaseModel):
    job_id: uuid.UUID


@dataclass
class Outcome:
    failed: bool
    message: str


class Retry(Exception):
    """The command could not run now (a service is down): back to pending, for the next poll."""


class CommandRecord:
    """The gateway's own record of claimed commands (table `remote_commands`)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._sessions = make_sessionmaker(engine)

    async def get(self, command_id: uuid.UUID) -> RemoteCommandRow | None:
        async with self._sessions() as session:
            return await session.get(RemoteCommandRow, command_id)

    async def running(self, command_id: uuid.UUID, action: str) -> None:
        now = datetime.now(UTC)
        async with self._sessions() as session:
            if await session.get(RemoteCommandRow, command_id) is None:
                session.add(
                    RemoteCommandRow(
                        id=command_id,
                        action=action,
                        state="running",
                        failed=False,
                        created_at=now,
                        updated_at=now,
                    )
                )
                await session.commit()

    async def finished(self, command_id: uuid.UUID, outcome: Outcome) -> None:
        await self._set(command_id, state="done", failed=outcome.failed, outcome=outcome.message)

    async def reported(self, command_id: uuid.UUID) -> None:
        await self._set(command_id, state="reported")

    async def drop(self, command_id: uuid.UUID) -> None:
        async with self._sessions() as session:
            row = await session.get(RemoteCommandRow, command_id)
            if row is not None:
                await session.delete(row)
                await session.commit()

    async def _set(self, command_id: uuid.UUID, **values: Any) -> None:
        async with self._sessions() as session:
            row = await session.get(RemoteCommandRow, command_id)
            if row is None:
                return
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = datetime.now(UTC)
            await session.commit()


class Commands:
    def __init__(self, state: GatewayState, record: CommandRecord) -> None:
        self._state = state
        self._record = record
        self.ran = 0  # commands carried out by this process, for the status and the tests

    async def recover(self, session: RemoteSession, desktop_app_id: str) -> None:
        """Finish the commands of ours left `processing` by a crash, from the local record."""
        rows = await session.run(
            lambda c: (
                c.table(TABLE)
                .select("*")
                .eq("desktop_app_id", desktop_app_id)
                .eq("status", "processing")
                .order("created_at")
                .execute()
            )
        )
        for command in rows.data:
            known = await self._record.get(uuid.UUID(command["id"]))
            if known is not None and known.state in ("done", "reported") and known.outcome is not None:
                log.info(
                    "remote command %s: its outcome was recorded before a restart; reporting it",
                    command["id"],
                )
                await self._report(session, command, Outcome(known.failed, known.outcome))
            else:
                log.info(
                    "remote command %s was claimed before a restart and not finished: running it",
                    command["id"],
                )
                await self._carry_out(session, command)

    async def poll(self, session: RemoteSession, desktop_app_id: str) -> bool:
        """Claim and carry out the pending commands of ours, oldest first; whether more may be waiting."""
        rows = await session.run(
            lambda c: (
                c.table(TABLE)
                .select("*")
                .eq("desktop_app_id", desktop_app_id)
                .eq("status", "pending")
                .order("created_at")
                .limit(BATCH)
                .execute()
            )
        )
        for command in rows.data:
            claimed = await session.run(
                lambda c, command_id=command["id"]: (
                    c.table(TABLE)
                    .update({"status": "processing"})
                    .eq("id", command_id)
                    .eq("status", "pending")
                    .execute()
                )
            )
            if not claimed.data:
                continue  # another home (a second replica) took it
            failpoint("gateway.remote_after_claim")
            if not await self._carry_out(session, claimed.data[0]):
                return False  # a home service is down: the rest wait for the next round too
        return len(rows.data) == BATCH

    async def _carry_out(self, session: RemoteSession, command: dict[str, Any]) -> bool:
        """Run it and report what came of it; False when it could not run now (back to pending)."""
        command_id = uuid.UUID(command["id"])
        await self._record.running(command_id, command["action"])
        try:
            outcome = await self._run(command)
        except Retry as exc:
            log.warning("remote command %s must wait: %s; it goes back to pending", command_id, exc)
            await self._record.drop(command_id)
            await session.run(
                lambda c: (
                    c.table(TABLE)
                    .update({"status": "pending"})
                    .eq("id", str(command_id))
                    .eq("status", "processing")
                    .execute()
                )
            )
            return False
        # The window the downloader's idempotency key covers: its job is committed, our record says running.
        failpoint("gateway.remote_after_run")
        await self._record.finished(command_id, outcome)
        self.ran += 1
        log.info(
            "remote command %s (%s) %s: %s",
            command_id,
            command["action"],
            "failed" if outcome.failed else "done",
            outcome.message,
        )
        await self._report(session, command, outcome)
        return True

    async def _report(self, session: RemoteSession, command: dict[str, Any], outcome: Outcome) -> None:
        if outcome.failed:
            change = {"status": "failed", "error_message": outcome.message}
        else:
            change = {"status": "completed", "result_message": outcome.message}
        await session.run(
            lambda c: (
                c.table(TABLE).update(change).eq("id", command["id"]).eq("status", "processing").execute()
            )
        )
        await self._record.reported(uuid.UUID(command["id"]))

    async def _run(self, command: dict[str, Any]) -> Outcome:
        """What a local request would do, through the same functions; failures in words."""
        try:
            return await self._dispatch(command)
        except ValidationError as exc:
            return Outcome(True, f"the command's payload is not usable: {_first_error(exc)}")
        except Unavailable as exc:
            raise Retry(exc.message) from exc
        except RemoteError as exc:
            if exc.code is ErrorCode.UNAVAILABLE:
                raise Retry(exc.message) from exc
            if exc.code is ErrorCode.CONFLICT and "library" in exc.message:
                return Outcome(False, "already in the library")
            return Outcome(True, exc.message)
        except ServiceError as exc:
            return Outcome(True, exc.message)

    async def _dispatch(self, command: dict[str, Any]) -> Outcome:
        action = command["action"]
        payload = command.get("payload") or {}
        command_id = uuid.UUID(command["id"])
        if action == "download":
            asked = DownloadPayload.model_validate(payload)
            tmdb_id = command.get("tmdb_id")
            if not isinstance(tmdb_id, int) or tmdb_id <= 0:
                return Outcome(True, "the command names no title (tmdb_id)")
            if command.get("media_type") == MediaType.TV.value:
                return await self._show(tmdb_id, asked, command_id)
            job = await request_movie(
                self._state, tmdb_id, DownloadRequest(profile=asked.profile), request_id=command_id
            )
            return Outcome(False, _queued(job, command, asked))
        if action in ("cancel", "pause", "resume"):
            ref = JobPayload.model_validate(payload)
            job = await change_job(self._state, action, ref.job_id)
            return Outcome(False, f"{_PAST[action]}: {_named(job)}")
        return Outcome(True, f"unknown action '{action}' (download, cancel, pause or resume)")

    async def _show(self, tmdb_id: int, asked: DownloadPayload, command_id: uuid.UUID) -> Outcome:
        body = TvDownloadRequest(seasons=asked.seasons, episodes=asked.episodes, profile=asked.profile)
        result = await request_show(self._state, tmdb_id, body, request_id=command_id)
        if not result.jobs:
            reasons = {s.reason for s in result.skipped}
            if reasons == {"in the library"}:
                return Outcome(False, "already in the library")
            return Outcome(
                True,
                "nothing to download: " + "; ".join(sorted(reasons)) if reasons else "nothing to download",
            )
        name = _named(result.jobs[0], asked)
        parts = [
            f"season {j.season} ({len(j.episodes)} episode{'s' if len(j.episodes) != 1 else ''})"
            for j in result.jobs
        ]
        message = f"queued: {name}: {', '.join(parts)}"
        if result.skipped:
            message += f"; skipped {len(result.skipped)} (in the library or not aired)"
        return Outcome(False, message)


_PAST = {"cancel": "cancelled", "pause": "paused", "resume": "resumed"}


def _named(job: Job, asked: DownloadPayload | None = None) -> str:
    """The job's title; a job just queued has none yet (the downloader looks it up): the phone's then."""
    title, year = job.title, job.year
    if not title and asked is not None and asked.title:
        title, year = asked.title, asked.year
    if not title:
        return f"TMDB {job.tmdb_id}"
    return f"{title} ({year})" if year else title


def _queued(job: Job, command: dict[str, Any], asked: DownloadPayload) -> str:
    created = datetime.fromisoformat(command["created_at"]) if command.get("created_at") else None
    if created is not None and job.created_at < created:
        state = "downloading" if job.state is JobState.DOWNLOADING else job.state.value
        return f"already on its way: {_named(job, asked)} ({state})"
    return f"queued: {_named(job, asked)}"


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
