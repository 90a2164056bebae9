"""The episodes the catalog has seen in TMDB's answers: episode id -> show, season, number.

TMDB v3 has no lookup of an episode by its id alone, so every season and every next/last episode the
catalog fetches is written here, and `catalog.v1.episode` finds the season to ask for.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.tables import KnownEpisode
from niluflix.contracts.catalog import EpisodeDetails


@dataclass(frozen=True)
class EpisodePlace:
    show_id: int
    season: int
    episode: int


class EpisodeIndex:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def remember(self, episodes: Iterable[EpisodeDetails]) -> None:
        now = datetime.now(UTC)
        rows = [
            {
                "episode_id": e.episode_id,
                "show_id": e.show_id,
                "season": e.season,
                "episode": e.episode,
                "seen_at": now,
            }
            for e in episodes
        ]
        if not rows:
            return
        insert = pg_insert if self._engine.dialect.name == "postgresql" else sqlite_insert
        stmt = insert(KnownEpisode).values(rows)
        # TMDB renumbers episodes now and then: the latest answer wins.
        stmt = stmt.on_conflict_do_update(
            index_elements=[KnownEpisode.episode_id],
            set_={k: stmt.excluded[k] for k in ("show_id", "season", "episode", "seen_at")},
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)

    async def find(self, episode_id: int) -> EpisodePlace | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(KnownEpisode.show_id, KnownEpisode.season, KnownEpisode.episode).where(
                        KnownEpisode.episode_id == episode_id
                    )
                )
            ).one_or_none()
        return None if row is None else EpisodePlace(row.show_id, row.season, row.episode)
