"""The owner's password for signing in from other machines: set once, kept as an Argon2 hash.

Hashing and checking take tens of milliseconds and much memory on purpose, so they run in a thread.
"""

import asyncio
import logging
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.errors import NoPasswordYet, PasswordAlreadySet, WeakPassword
from gateway.tables import UserRow
from niluflix.db import make_sessionmaker

log = logging.getLogger(__name__)

OWNER = "owner"
MIN_LENGTH = 8
MAX_LENGTH = 256  # Argon2 takes any length; a cap keeps a huge body from costing much

_hasher = PasswordHasher()


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"the password must have at most {MAX_LENGTH} characters")
    if not password.strip():
        raise WeakPassword("the password must not be only spaces")


async def password_is_set(engine: AsyncEngine) -> bool:
    async with make_sessionmaker(engine)() as session:
        return (await session.scalar(select(UserRow.name).where(UserRow.name == OWNER))) is not None


async def set_first_password(engine: AsyncEngine, password: str) -> str:
    """Store the owner's password; refused once one exists, so nobody can take over a set-up NiluFlix."""
    check_strength(password)
    hashed = await asyncio.to_thread(_hasher.hash, password)
    now = datetime.now(UTC)
    async with make_sessionmaker(engine)() as session:
        session.add(UserRow(name=OWNER, password_hash=hashed, created_at=now, updated_at=now))
        try:
            await session.commit()
        except IntegrityError as exc:
            raise PasswordAlreadySet("the owner's password is already set: sign in with it") from exc
    log.info("the owner's password was set")
    return OWNER


async def check_password(engine: AsyncEngine, password: str) -> str | None:
    """The user the password signs in, or None when it is wrong."""
    async with make_sessionmaker(engine)() as session:
        row = await session.get(UserRow, OWNER)
        if row is None:
            raise NoPasswordYet("no password is set yet: set one first")
        stored = row.password_hash
        try:
            await asyncio.to_thread(_hasher.verify, stored, password[: MAX_LENGTH + 1])
        except (VerificationError, InvalidHashError):
            return None
        if _hasher.check_needs_rehash(stored):
            # Hashing parameters grow with the library's defaults; upgrade while the password is at hand.
            row.password_hash = await asyncio.to_thread(_hasher.hash, password)
            row.updated_at = datetime.now(UTC)
            await session.commit()
        return row.name


async def forget_password(engine: AsyncEngine) -> bool:
    """Clear the owner's password (it was forgotten); whether one was set. The owner's sessions end with it."""
    async with make_sessionmaker(engine)() as session:
        deleted = await session.execute(delete(UserRow).where(UserRow.name == OWNER))
        await session.commit()
    return bool(deleted.rowcount)
