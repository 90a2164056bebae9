"""The gateway's own tables."""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from niluflix.db import UtcDateTime


class Base(DeclarativeBase):
    pass


class ApiKeyRow(Base):
    """An API key, kept encrypted with the secret box so a copy of the database does not give access."""

    __tablename__ = "api_keys"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    encrypted_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserRow(Base):
    """Who may sign in from another machine: for now only the owner, with an Argon2 password hash."""

    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SessionRow(Base):
    """A signed-in browser. Only the token's SHA-256 is kept, so a copy of the database signs no one in."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(64), ForeignKey("users.name", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class RemoteLinkRow(Base):
    """Remote access: the user's Supabase project and login. One row, made on first need for its
    `desktop_app_id` (this install's name there, kept when remote access is turned off and on again).
    Only the rotating refresh token is kept, sealed with the secret box; never the password."""

    __tablename__ = "remote_link"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    desktop_app_id: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    supabase_url: Mapped[str | None] = mapped_column(Text)
    anon_key: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    display_name: Mapped[str | None] = mapped_column(Text)
    remote_ui_url: Mapped[str | None] = mapped_column(Text)
    sealed_refresh_token: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RemoteCommandRow(Base):
    """A command from the remote web UI this gateway claimed, recorded before it runs: after a crash the
    record says whether it ran and what came of it, so it is reported, not run a second time."""

    __tablename__ = "remote_commands"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), doc="running, done (outcome known), reported")
    failed: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(Text, doc="What came of it, in words")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
