"""The organizer's tables: the library's items, and which completions were already handled."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint, Uuid
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
    # A show's download brings one item per episode file, so a job may have many.
    job_id: Mapped[UUID | None] = mapped_column(Uuid, index=True)
    release_name: Mapped[str | None] = mapped_column(String(1024))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Set once library.v1.events.added is acknowledged by JetStream; a row without it is announced again.
    announced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Shows: the episode file's season, its episodes (a JSON list), and the date a daily show's file is
    # named by. One show's items never share an episode: a newer file of it replaces the older.
    season: Mapped[int | None] = mapped_column(Integer)
    episodes: Mapped[list[int] | None] = mapped_column(JSON)
    air_date: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("path", name="uq_library_items_path"),)


class HandledCompletion(Base):
    """One row per download whose completion was imported, so a redelivery, even one that comes after a
    newer download of the same movie or episode replaced the file, never imports it a second time.
    `item_id` is a movie's item; a show's items are found by their job id."""

    __tablename__ = "handled_completions"

    job_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[UUID | None] = mapped_column(
        Uuid, ForeignKey("library_items.id", name="fk_handled_completions_item", ondelete="SET NULL")
    )
    handled_at: Mapped[datetime] = mapped_column(UtcDateTime)
