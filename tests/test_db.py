"""Each service's tables live in its own schema on PostgreSQL and its own file on SQLite."""

from pathlib import Path

from sqlalchemy import String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from niluflix.db import make_async_engine, migrate


class Base(DeclarativeBase):
    pass


class Thing(Base):
    __tablename__ = "things"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)


async def test_migrate_creates_tables_and_is_repeatable(database, tmp_path):
    migrations = tmp_path / "migrations"
    (migrations / "versions").mkdir(parents=True)
    (migrations / "env.py").write_text(
        "from niluflix.db import run_migrations_online\n"
        "from sqlalchemy import MetaData\n"
        "run_migrations_online(MetaData())\n"
    )
    (migrations / "script.py.mako").write_text("")
    (migrations / "versions" / "0001_things.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n"
        "revision = '0001'\ndown_revision = None\n"
        "def upgrade():\n    op.create_table('things', sa.Column('name', sa.String(20), primary_key=True))\n"
    )
    migrate(database.url, schema=database.schema, migrations=Path(migrations))
    migrate(database.url, schema=database.schema, migrations=Path(migrations))  # second run is a no-op
    engine = make_async_engine(database.url, schema=database.schema)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO things (name) VALUES ('a')"))
            assert (await conn.execute(text("SELECT count(*) FROM things"))).scalar() == 1
            if database.backend == "postgresql":
                schema = (await conn.execute(text("SELECT current_schema()"))).scalar()
                assert schema == database.schema
    finally:
        await engine.dispose()
