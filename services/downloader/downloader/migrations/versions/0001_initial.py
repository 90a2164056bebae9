"""Jobs, blocklist and the event outbox.

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

ACTIVE = sa.text("state IN ('queued', 'downloading', 'paused')")
AUTO_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tmdb_id", sa.Integer, nullable=False),
        sa.Column("media_type", sa.String(8), nullable=False),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("year", sa.Integer),
        sa.Column("imdb_id", sa.String(16)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False, server_default="0"),
        sa.Column("release_name", sa.Text),
        sa.Column("release_indexer", sa.Text),
        sa.Column("release_magnet", sa.Text),
        sa.Column("release_torrent_url", sa.Text),
        sa.Column("release_size", sa.BigInteger),
        sa.Column("info_hash", sa.String(64)),
        sa.Column("save_dir", sa.Text),
        sa.Column("added_at", sa.DateTime(timezone=True)),
        sa.Column("progress", sa.Float, nullable=False, server_default="0"),
        sa.Column("size", sa.BigInteger),
        sa.Column("downloaded", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("speed_bps", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("eta_seconds", sa.Integer),
        sa.Column("peers", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("resolve_failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("retry_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_jobs_state", "jobs", ["state"])
    op.create_index("ix_jobs_info_hash", "jobs", ["info_hash"])
    op.create_index("ix_jobs_queue", "jobs", ["state", "priority", "created_at"])
    op.create_index(
        "uq_jobs_active_title",
        "jobs",
        ["tmdb_id", "media_type"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )

    op.create_table(
        "blocklist",
        sa.Column("id", AUTO_ID, primary_key=True, autoincrement=True),
        sa.Column("job_id", sa.Uuid, sa.ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("info_hash", sa.String(64)),
        sa.Column("release_name", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_blocklist_job_id", "blocklist", ["job_id"])
    op.create_index("ix_blocklist_info_hash", "blocklist", ["info_hash"])

    op.create_table(
        "outbox",
        sa.Column("seq", AUTO_ID, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("job_id", sa.Uuid, nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_outbox_job_id", "outbox", ["job_id"])
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("blocklist")
    op.drop_table("jobs")
