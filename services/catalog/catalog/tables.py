"""The catalog's tables: the TMDB answer cache and the index of the episodes it has seen."""

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from niluflix.db import UtcDateTime


class Base(DeclarativeBase):
    pass


class CachedAnswer(Base):
    """One validated TMDB answer, keyed by source and request (never by the API key itself)."""

    __tablename__ = "tmdb_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True, comment="sha256 of source + request")
    source: Mapped[str] = mapped_column(String(400))
    request: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class KnownEpisode(Base):
    """Where an episode TMDB named belongs: TMDB v3 cannot look an episode up by its id alone."""

    __tablename__ = "tmdb_episodes"

    episode_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    show_id: Mapped[int] = mapped_column(Integer)
    season: Mapped[int] = mapped_column(Integer)
    episode: Mapped[int] = mapped_column(Integer)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
