"""TMDB answers kept in the catalog's database, so a restart does not start cold and TMDB being down is
not the user's problem while an older answer exists.

Entries are keyed by the source (TMDB base URL and a fingerprint of the key, never the key) and the
request (path and parameters, without the key), so a changed key or base URL never gets another
source's answers. Expired entries stay for `keep` seconds: they are what is served when TMDB fails.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.tables import CachedAnswer

log = logging.getLogger(__name__)

PRUNE_EVERY = 3600.0  # seconds between deletions of entries older than `keep` (a loop in main.py)


@dataclass(frozen=True)
class CacheEntry:
    body: str
    fetched_at: datetime
    expires_at: datetime

    def fresh(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) < self.expires_at


def cache_key(source: str, request: str) -> str:
    return hashlib.sha256(f"{source}\n{request}".encode()).hexdigest()


class ResponseCache:
    def __init__(self, engine: AsyncEngine, *, keep: float) -> None:
        self._engine = engine
        self._keep = timedelta(seconds=keep)

    async def get(self, source: str, request: str) -> CacheEntry | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(CachedAnswer.body, CachedAnswer.fetched_at, CachedAnswer.expires_at).where(
                        CachedAnswer.key == cache_key(source, request)
                    )
                )
            ).one_or_none()
        if row is None:
            return None
        return CacheEntry(body=row.body, fetched_at=row.fetched_at, expires_at=row.expires_at)

    async def put(self, source: str, request: str, body: str, *, ttl: float) -> None:
        now = datetime.now(UTC)
        values = {
            "key": cache_key(source, request),
            "source": source,
            "request": request,
            "body": body,
            "fetched_at": now,
            "expires_at": now + timedelta(seconds=ttl),
        }
        insert = pg_insert if self._engine.dialect.name == "postgresql" else sqlite_insert
        stmt = insert(CachedAnswer).values(**values)
        # Upsert: two replicas missing the same entry at once both write it, and neither may fail.
        stmt = stmt.on_conflict_do_update(
            index_elements=[CachedAnswer.key],
            set_={k: stmt.excluded[k] for k in ("body", "fetched_at", "expires_at")},
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)

    async def prune(self) -> int:
        """Forget entries older than `keep`: too old to be worth serving even when TMDB is down."""
        cutoff = datetime.now(UTC) - self._keep
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(CachedAnswer).where(CachedAnswer.fetched_at < cutoff))
        if result.rowcount:
            log.info("forgot %d cached TMDB answers older than %s", result.rowcount, self._keep)
        return result.rowcount or 0
