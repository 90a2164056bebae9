"""The TMDB answer cache.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tmdb_cache",
        sa.Column("key", sa.String(64), primary_key=True, comment="sha256 of source + request"),
        sa.Column("source", sa.String(400), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_tmdb_cache_fetched_at", "tmdb_cache", ["fetched_at"])


def downgrade() -> None:
    op.drop_index("ix_tmdb_cache_fetched_at", table_name="tmdb_cache")
    op.drop_table("tmdb_cache")
