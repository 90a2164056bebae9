"""The follows and the episode searches' back-off, in the downloader's own database."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from downloader.monitoring.tables import EpisodeSearchRow, FollowRow
from downloader.tables import utcnow
from niluflix.contracts.follows import Follow, FollowMode, SetFollow
from niluflix.errors import NotFound

# After nothing was found: look again in an hour, then in six, then daily (a release often follows the air
# time by minutes to hours; one that has not come after a day comes rarely, and RSS still catches it).
BACKOFF = (timedelta(hours=1), timedelta(hours=6), timedelta(days=1))

Key = tuple[int, int]  # season, episode (0: the whole season)


def to_follow(row: FollowRow) -> Follow:
    return Follow(
        tmdb_id=row.tmdb_id,
        title=row.title,
        mode=FollowMode(row.mode),
        seasons=list(row.seasons or []),
        profile=row.profile,
        created_at=row.created_at,
    )


def next_wait(tries: int) -> timedelta:
    return BACKOFF[min(tries, len(BACKOFF)) - 1]


class FollowStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def save(self, req: SetFollow, title: str) -> Follow:
        """Follow a show, or change how; following again keeps the date it was first followed."""
        now = utcnow()
        async with self._sessions() as session, session.begin():
            row = await session.get(FollowRow, req.tmdb_id)
            if row is None:
                row = FollowRow(tmdb_id=req.tmdb_id, created_at=now)
                session.add(row)
            row.title = title
            row.mode = req.mode.value
            row.seasons = list(req.seasons)
            row.profile = req.profile
            row.updated_at = now
        return to_follow(row)

    async def remove(self, tmdb_id: int) -> Follow:
        async with self._sessions() as session, session.begin():
            row = await session.get(FollowRow, tmdb_id)
            if row is None:
                raise NotFound(f"show {tmdb_id} is not followed")
            await session.delete(row)
            await session.execute(delete(EpisodeSearchRow).where(EpisodeSearchRow.tmdb_id == tmdb_id))
        return to_follow(row)

    async def all(self) -> list[Follow]:
        async with self._sessions() as session:
            rows = await session.scalars(select(FollowRow).order_by(FollowRow.title, FollowRow.tmdb_id))
            return [to_follow(r) for r in rows]

    async def get(self, tmdb_id: int) -> Follow | None:
        async with self._sessions() as session:
            row = await session.get(FollowRow, tmdb_id)
            return to_follow(row) if row else None

    async def waiting(self, tmdb_id: int, now: datetime) -> set[Key]:
        """Episodes searched with nothing found whose next search is not due yet."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(EpisodeSearchRow).where(
                    EpisodeSearchRow.tmdb_id == tmdb_id, EpisodeSearchRow.next_search_at > now
                )
            )
            return {(r.season, r.episode) for r in rows}

    async def nothing_found(self, tmdb_id: int, key: Key, now: datetime) -> datetime:
        """Remember a search that found nothing; returns when to search again."""
        async with self._sessions() as session, session.begin():
            row = await session.get(EpisodeSearchRow, (tmdb_id, *key))
            if row is None:
                row = EpisodeSearchRow(tmdb_id=tmdb_id, season=key[0], episode=key[1], tries=0)
                session.add(row)
            row.tries += 1
            row.last_searched_at = now
            row.next_search_at = now + next_wait(row.tries)
            return row.next_search_at

    async def found(self, tmdb_id: int, keys: Iterable[Key]) -> None:
        """A download was made: these episodes need no more searching."""
        keys = list(keys)
        if not keys:
            return
        async with self._sessions() as session, session.begin():
            for season, episode in keys:
                await session.execute(
                    delete(EpisodeSearchRow).where(
                        EpisodeSearchRow.tmdb_id == tmdb_id,
                        EpisodeSearchRow.season == season,
                        EpisodeSearchRow.episode == episode,
                    )
                )
