"""The library's items and the completions already handled.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "library_items",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("media_type", sa.String(16), nullable=False),
        sa.Column("tmdb_id", sa.Integer(), nullable=True),
        sa.Column("imdb_id", sa.String(32), nullable=True),
        sa.Column("title", sa.String(512), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("folder", sa.String(2048), nullable=False),
        sa.Column("path", sa.String(2048), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("release_name", sa.String(1024), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("path", name="uq_library_items_path"),
        sa.UniqueConstraint("job_id", name="uq_library_items_job_id"),
    )
    op.create_index("ix_library_items_tmdb_id", "library_items", ["tmdb_id"])
    op.create_index("ix_library_items_folder", "library_items", ["folder"])
    op.create_table(
        "handled_completions",
        sa.Column("job_id", sa.Uuid(), primary_key=True),
        sa.Column(
            "item_id",
            sa.Uuid(),
            sa.ForeignKey("library_items.id", name="fk_handled_completions_item", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("handled_completions")
    op.drop_index("ix_library_items_folder", table_name="library_items")
    op.drop_index("ix_library_items_tmdb_id", table_name="library_items")
    op.drop_table("library_items")
