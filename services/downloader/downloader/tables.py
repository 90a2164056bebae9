"""The downloader's tables: jobs, the episodes active jobs claim, the per-job blocklist of releases that
failed, and the event outbox."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from niluflix.contracts.downloads import JobState
from niluflix.db import UtcDateTime

ACTIVE_STATES = (JobState.QUEUED, JobState.DOWNLOADING, JobState.PAUSED)
# Written into the partial unique index; the migration spells the same condition.
ACTIVE_CONDITION = text("state IN ('queued', 'downloading', 'paused')")
# Shows have one active job per torrent, several per show; their episodes are claimed one by one instead.
ACTIVE_MOVIE_CONDITION = text("state IN ('queued', 'downloading', 'paused') AND media_type = 'movie'")


def utcnow() -> datetime:
    return datetime.now(UTC)


# SQLite only auto-increments an INTEGER PRIMARY KEY.
AutoId = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    pass


class JobRow(Base):
    __tablename__ = "jobs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    tmdb_id: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column(Integer)
    imdb_id: Mapped[str | None] = mapped_column(String(16))
    tvdb_id: Mapped[int | None] = mapped_column(Integer)
    season: Mapped[int | None] = mapped_column(Integer, doc="Shows: the season of the episodes")
    episodes: Mapped[list[int]] = mapped_column(JSON, default=list, doc="Shows: the episodes it brings")
    episode_facts: Mapped[list[dict]] = mapped_column(
        JSON,
        default=list,
        doc=(
            "Shows: catalog's names, air dates and absolute numbers (`EpisodeFacts`) of the job's episodes;"
            " of every episode of its season, and of the other seasons a pack holds, when its torrent may be"
            " a pack"
        ),
    )
    waiting_for: Mapped[str | None] = mapped_column(Text, doc="Why a queued job waits, in words")
    state: Mapped[str] = mapped_column(String(16), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    profile: Mapped[str | None] = mapped_column(String(64), doc="Quality profile name; None: the default")
    request_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, unique=True, doc="The create request's idempotency key (`CreateDownload.request_id`)"
    )

    # The chosen release; set before the torrent is added, so a restart adds the same one again. Its links are
    # sealed (SecretBox, `JobStore.release_links` opens them): they carry indexer keys and passkeys.
    release_name: Mapped[str | None] = mapped_column(Text)
    release_indexer: Mapped[str | None] = mapped_column(Text)
    release_magnet: Mapped[str | None] = mapped_column(Text)
    release_torrent_url: Mapped[str | None] = mapped_column(Text)
    release_size: Mapped[int | None] = mapped_column(BigInteger)
    info_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    save_dir: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, doc="When the torrent client took the torrent"
    )

    progress: Mapped[float] = mapped_column(Float, default=0.0)
    size: Mapped[int | None] = mapped_column(BigInteger)
    downloaded: Mapped[int] = mapped_column(BigInteger, default=0)
    speed_bps: Mapped[int] = mapped_column(BigInteger, default=0)
    eta_seconds: Mapped[int | None] = mapped_column(Integer)
    peers: Mapped[int] = mapped_column(Integer, default=0)

    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0, doc="Releases that failed for this job")
    resolve_failures: Mapped[int] = mapped_column(Integer, default=0, doc="Catalog/search outages in a row")
    retry_at: Mapped[datetime | None] = mapped_column(UtcDateTime, doc="Do not resolve again before this")

    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def added(self) -> bool:
        """The torrent client has taken the job's torrent."""
        return self.added_at is not None

    __table_args__ = (
        # One active job per movie, even when two creates race: the database decides.
        Index(
            "uq_jobs_active_movie",
            "tmdb_id",
            "media_type",
            unique=True,
            sqlite_where=ACTIVE_MOVIE_CONDITION,
            postgresql_where=ACTIVE_MOVIE_CONDITION,
        ),
        Index("ix_jobs_queue", "state", "priority", "created_at"),
    )


class ClaimRow(Base):
    """An episode an active job brings. The key makes a second claim fail, even from another replica;
    the claim goes when its job ends (completed, failed, cancelled)."""

    __tablename__ = "episode_claims"

    tmdb_id: Mapped[int] = mapped_column(Integer)
    season: Mapped[int] = mapped_column(Integer)
    episode: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("jobs.id", ondelete="CASCADE"), index=True)

    __table_args__ = (PrimaryKeyConstraint("tmdb_id", "season", "episode", name="pk_episode_claims"),)


class BlocklistRow(Base):
    __tablename__ = "blocklist"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    job_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    info_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    release_name: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OutboxRow(Base):
    """A lifecycle event written with the state change it reports, published later by the relay."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    job_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    subject: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
