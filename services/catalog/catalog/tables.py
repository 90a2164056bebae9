"""The catalog's tables: so far only the TMDB answer cache."""

from datetime import datetime

from sqlalchemy import String, Text
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
