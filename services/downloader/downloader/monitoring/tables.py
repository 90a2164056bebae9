"""The monitor's tables: the shows followed, and when each episode found nothing is to be searched again."""

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from downloader.tables import Base, utcnow
from niluflix.db import UtcDateTime


class FollowRow(Base):
    __tablename__ = "follows"

    tmdb_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(16))
    seasons: Mapped[list[int]] = mapped_column(JSON, default=list)
    profile: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class EpisodeSearchRow(Base):
    """An episode searched with nothing accepted: when to look again (episode 0: the whole season, a pack)."""

    __tablename__ = "follow_searches"

    tmdb_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    season: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode: Mapped[int] = mapped_column(Integer, primary_key=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    last_searched_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_search_at: Mapped[datetime] = mapped_column(UtcDateTime)
