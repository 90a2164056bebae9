"""Episode files: a season, episodes and air date per item, and many items per download.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("library_items") as batch:
        batch.drop_constraint("uq_library_items_job_id", type_="unique")
        batch.add_column(sa.Column("season", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("episodes", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("air_date", sa.Date(), nullable=True))
        batch.create_index("ix_library_items_job_id", ["job_id"])


def downgrade() -> None:
    with op.batch_alter_table("library_items") as batch:
        batch.drop_index("ix_library_items_job_id")
        batch.drop_column("air_date")
        batch.drop_column("episodes")
        batch.drop_column("season")
        batch.create_unique_constraint("uq_library_items_job_id", ["job_id"])
