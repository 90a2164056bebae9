"""A job's release links are sealed at rest: Torznab download links carry the indexer's `apikey=`, a private
tracker's magnet its passkey. The links written in clear before are sealed here, in place, with the service's
SecretBox (`migrate(box=...)`); the store opens both kinds, so a row this missed is still read right.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import context, op

from niluflix.secretbox import SecretBox, is_sealed

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_jobs = sa.table(
    "jobs",
    sa.column("id", sa.Uuid),
    sa.column("release_magnet", sa.Text),
    sa.column("release_torrent_url", sa.Text),
)


def _rewrite(sealing: bool) -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_jobs.c.id, _jobs.c.release_magnet, _jobs.c.release_torrent_url).where(
            sa.or_(_jobs.c.release_magnet.is_not(None), _jobs.c.release_torrent_url.is_not(None))
        )
    ).all()
    # Only the rows left to change: a fresh database, or one with no link in clear, needs no box.
    todo = [row for row in rows if any(v is not None and is_sealed(v) != sealing for v in row[1:])]
    if not todo:
        return
    box: SecretBox | None = context.config.attributes.get("box")
    if box is None:
        raise RuntimeError(
            f"{len(todo)} jobs hold release links to {'seal' if sealing else 'open'}, and migrate() was"
            " given no secret box"
        )

    def changed(value: str | None) -> str | None:
        if value is None or is_sealed(value) == sealing:
            return value
        return box.seal(value) if sealing else box.open(value)

    if conn.dialect.name == "sqlite":
        # Without it SQLite leaves a rewritten row's old bytes, the link in clear, in the page's free space.
        conn.execute(sa.text("PRAGMA secure_delete = ON"))
    for job_id, magnet, url in todo:
        conn.execute(
            sa.update(_jobs)
            .where(_jobs.c.id == job_id)
            .values(release_magnet=changed(magnet), release_torrent_url=changed(url))
        )


def upgrade() -> None:
    _rewrite(sealing=True)


def downgrade() -> None:
    _rewrite(sealing=False)
