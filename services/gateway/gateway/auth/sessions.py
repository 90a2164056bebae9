"""Signed-in browsers: a random token handed out once, kept only as its SHA-256, valid until it expires."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.errors import NotAuthenticated
from gateway.tables import SessionRow, UserRow
from niluflix.db import make_sessionmaker


@dataclass(frozen=True)
class SignedIn:
    user: str
    expires_at: datetime
    token: str = ""  # only when the session was just made: it is not stored anywhere


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_session(engine: AsyncEngine, user: str, lifetime: timedelta) -> SignedIn:
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires_at = now + lifetime
    async with make_sessionmaker(engine)() as session:
        # Each sign-in is a good moment to forget the sessions that ran out.
        await session.execute(delete(SessionRow).where(SessionRow.expires_at <= now))
        session.add(
            SessionRow(token_hash=_digest(token), user_name=user, created_at=now, expires_at=expires_at)
        )
        await session.commit()
    return SignedIn(user=user, expires_at=expires_at, token=token)


async def find_session(engine: AsyncEngine, token: str) -> SignedIn:
    """The session of `token`; `NotAuthenticated` saying why when there is none or it has expired."""
    async with make_sessionmaker(engine)() as session:
        # Joined with its user: a password reset (deleting the user) ends every session, even where the
        # database did not cascade (the sqlite3 shell leaves foreign keys off).
        row = await session.scalar(
            select(SessionRow)
            .join(UserRow, UserRow.name == SessionRow.user_name)
            .where(SessionRow.token_hash == _digest(token))
        )
        if row is None:
            raise NotAuthenticated("not signed in: the session is unknown or was signed out")
        if row.expires_at <= datetime.now(UTC):
            await session.delete(row)
            await session.commit()
            raise NotAuthenticated("the session has expired: sign in again")
        return SignedIn(user=row.user_name, expires_at=row.expires_at)


async def end_session(engine: AsyncEngine, token: str) -> None:
    async with make_sessionmaker(engine)() as session:
        await session.execute(delete(SessionRow).where(SessionRow.token_hash == _digest(token)))
        await session.commit()


async def end_every_session(engine: AsyncEngine) -> int:
    """Sign every browser out; how many sessions there were."""
    async with make_sessionmaker(engine)() as session:
        ended = await session.execute(delete(SessionRow))
        await session.commit()
    return ended.rowcount or 0
