"""The organizer's tables: the library's items, and which completions were already handled."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from niluflix.db import UtcDateTime


class Base(DeclarativeBase):
    pass


class LibraryItemRow(Base):
    __tablename__ = "library_items"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    media_type: Mapped[str] = mapped_column(String(16))
    tmdb_id: Mapped[int | None] = mapped_column(Integer, index=True)
    imdb_id: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(512))
    year: Mapped[int | None] = mapped_column(Integer)
    folder: Mapped[str] = mapped_column(String(2048), index=True)
    path: Mapped[str] = mapped_column(String(2048))
    size: Mapped[int] = mapped_column(BigInteger)
    job_id: Mapped[UUID | None] = mapped_column(Uuid)
    release_name: Mapped[str | None] = mapped_column(String(1024))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Set once library.v1.events.added is acknowledged by JetStream; a row without it is announced again.
    announced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("path", name="uq_library_items_path"),
        UniqueConstraint("job_id", name="uq_library_items_job_id"),
    )


class HandledCompletion(Base):
    """One row per download whose completion was imported, so a redelivery, even one that comes after a
    newer download of the same movie replaced the file, never imports it a second time."""

    __tablename__ = "handled_completions"

    job_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[UUID | None] = mapped_column(
        Uuid, ForeignKey("library_items.id", name="fk_handled_completions_item", ondelete="SET NULL")
    )
    handled_at: Mapped[datetime] = mapped_column(UtcDateTime)
