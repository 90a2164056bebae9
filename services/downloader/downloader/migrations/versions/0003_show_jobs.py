"""Jobs for shows: a season and its episodes, claimed one by one while a job brings them; why a job waits.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ACTIVE = sa.text("state IN ('queued', 'downloading', 'paused')")
ACTIVE_MOVIE = sa.text("state IN ('queued', 'downloading', 'paused') AND media_type = 'movie'")


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("tvdb_id", sa.Integer))
        batch.add_column(sa.Column("season", sa.Integer))
        batch.add_column(sa.Column("episodes", sa.JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("episode_facts", sa.JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("waiting_for", sa.Text))
    # A show has an active job per torrent, so the one-active-job rule now holds for movies only.
    op.drop_index("uq_jobs_active_title", table_name="jobs")
    op.create_index(
        "uq_jobs_active_movie",
        "jobs",
        ["tmdb_id", "media_type"],
        unique=True,
        sqlite_where=ACTIVE_MOVIE,
        postgresql_where=ACTIVE_MOVIE,
    )
    op.create_table(
        "episode_claims",
        sa.Column("tmdb_id", sa.Integer, nullable=False),
        sa.Column("season", sa.Integer, nullable=False),
        sa.Column("episode", sa.Integer, nullable=False),
        sa.Column("job_id", sa.Uuid, sa.ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("tmdb_id", "season", "episode", name="pk_episode_claims"),
    )
    op.create_index("ix_episode_claims_job_id", "episode_claims", ["job_id"])


def downgrade() -> None:
    op.drop_table("episode_claims")
    op.drop_index("uq_jobs_active_movie", table_name="jobs")
    op.create_index(
        "uq_jobs_active_title",
        "jobs",
        ["tmdb_id", "media_type"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    with op.batch_alter_table("jobs") as batch:
        for column in ("waiting_for", "episode_facts", "episodes", "season", "tvdb_id"):
            batch.drop_column(column)
