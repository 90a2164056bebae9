"""The library's records in the organizer's own database."""

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from niluflix.contracts.common import MediaType
from niluflix.contracts.library import LibraryItem
from organizer.tables import HandledCompletion, LibraryItemRow


def to_item(row: LibraryItemRow) -> LibraryItem:
    return LibraryItem(
        id=row.id,
        media_type=MediaType(row.media_type),
        tmdb_id=row.tmdb_id,
        title=row.title,
        year=row.year,
        folder=row.folder,
        path=row.path,
        size=row.size,
        job_id=row.job_id,
        added_at=row.added_at,
        season=row.season,
        episodes=row.episodes or [],
        air_date=row.air_date,
    )


class LibraryStore:
    def __init__(self, sessions: async_sessionmaker) -> None:
        self._sessions = sessions

    async def handled(self, job_id: UUID) -> tuple[bool, list[LibraryItemRow]]:
        """Whether this download's completion was imported, and its items still in the library."""
        async with self._sessions() as session:
            done = await session.get(HandledCompletion, job_id)
            if done is None:
                return False, []
            rows = await session.scalars(
                select(LibraryItemRow).where(LibraryItemRow.job_id == job_id).order_by(LibraryItemRow.path)
            )
            return True, list(rows)

    async def in_folder(self, folder: str) -> list[LibraryItemRow]:
        async with self._sessions() as session:
            rows = await session.scalars(select(LibraryItemRow).where(LibraryItemRow.folder == folder))
            return list(rows)

    async def record_import(
        self,
        job_id: UUID,
        rows: Sequence[LibraryItemRow],
        *,
        replaces: Sequence[UUID] = (),
        movie: bool = True,
    ) -> None:
        """In one transaction: forget the items these replace, add them, and mark their job handled
        (also when it brought nothing new: a pack of episodes the show has already).

        Raises IntegrityError when another replica recorded the same job or path first.
        """
        assert all(r.job_id == job_id for r in rows)
        async with self._sessions.begin() as session:
            if replaces:
                await session.execute(delete(LibraryItemRow).where(LibraryItemRow.id.in_(replaces)))
                # The rows go before the new ones come, which may take over their paths.
                await session.flush()
            session.add_all(rows)
            await session.flush()
            item_id = rows[0].id if movie and rows else None
            session.add(HandledCompletion(job_id=job_id, item_id=item_id, handled_at=datetime.now(UTC)))

    async def add_found(self, row: LibraryItemRow) -> bool:
        """Record an item a scan found; False when its path was recorded meanwhile."""
        try:
            async with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError:
            return False
        return True

    async def mark_announced(self, item_id: UUID) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(LibraryItemRow)
                .where(LibraryItemRow.id == item_id)
                .values(announced_at=datetime.now(UTC))
            )

    async def unannounced(self) -> list[LibraryItemRow]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(LibraryItemRow)
                .where(LibraryItemRow.announced_at.is_(None))
                .order_by(LibraryItemRow.added_at)
            )
            return list(rows)

    async def all(
        self,
        media_type: MediaType | None = None,
        tmdb_id: int | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[LibraryItemRow]:
        async with self._sessions() as session:
            # (the id last: a stable order, so pages neither skip nor repeat an item)
            query = select(LibraryItemRow).order_by(
                LibraryItemRow.title, LibraryItemRow.year, LibraryItemRow.path, LibraryItemRow.id
            )
            if offset:
                query = query.offset(offset)
            if limit is not None:
                query = query.limit(limit)
            if media_type is not None:
                query = query.where(LibraryItemRow.media_type == media_type.value)
            if tmdb_id is not None:
                query = query.where(LibraryItemRow.tmdb_id == tmdb_id)
            return list(await session.scalars(query))

    async def remove(self, item_ids: Sequence[UUID]) -> None:
        if not item_ids:
            return
        async with self._sessions.begin() as session:
            await session.execute(delete(LibraryItemRow).where(LibraryItemRow.id.in_(item_ids)))
