"""The service runner: health with the version over NATS, and the order things open and close in."""

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from faststream.nats import NatsBroker
from sqlalchemy import text

from niluflix.config import ServiceSettings
from niluflix.contracts.common import HealthCheck, HealthRequest, ServiceHealth, health_subject
from niluflix.loops import Loop
from niluflix.messaging import request
from niluflix.secretbox import MAKE_KEY
from niluflix.service_runner import ServiceRunner
from niluflix.testing.net import free_port
from niluflix.version import service_version


class ThingsSettings(ServiceSettings):
    database_url: str
    database_schema: str = "things"


@pytest.fixture
def settings(clean_nats: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ThingsSettings:
    monkeypatch.setenv("NILUFLIX_SECRET_KEY", Fernet.generate_key().decode())
    return ThingsSettings(
        nats_url=clean_nats, data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'things.db'}"
    )


@pytest.fixture
def migrations(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    (folder / "versions").mkdir(parents=True)
    (folder / "env.py").write_text(
        "from niluflix.db import run_migrations_online\n"
        "from sqlalchemy import MetaData\n"
        "run_migrations_online(MetaData())\n"
    )
    (folder / "script.py.mako").write_text("")
    (folder / "versions" / "0001_things.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n"
        "revision = '0001'\ndown_revision = None\n"
        "def upgrade():\n    op.create_table('things', sa.Column('name', sa.String(20), primary_key=True))\n"
    )
    return folder


@asynccontextmanager
async def serving(runner: ServiceRunner, parts, how: str) -> AsyncIterator[None]:
    """The service as `python -m <service>` runs it (FastStream), or as uvicorn runs the gateway (FastAPI)."""
    if how == "faststream":
        app = runner.faststream_app(parts)
        async with app.lifespan_context():
            await app.start()
            try:
                yield
            finally:
                await app.stop()
    else:
        async with runner.lifespan(parts)(None):
            yield


def test_the_version_is_the_installed_distributions() -> None:
    assert service_version("gateway") == version("niluflix-gateway") != ""
    assert service_version("no-such-service") == ""


@pytest.mark.parametrize("how", ["faststream", "fastapi"])
async def test_health_answers_with_the_version_the_database_the_services_checks_and_a_failing_loop(
    settings, migrations, unique, how
) -> None:
    name = f"things{unique}"

    async def send_things() -> None:
        raise ConnectionError("the far end hung up")

    @asynccontextmanager
    async def parts(run: ServiceRunner) -> AsyncIterator[None]:
        async with run.engine.begin() as conn:
            await conn.execute(text("INSERT INTO things (name) VALUES ('migrated before the parts start')"))
        run.check_health(lambda: HealthCheck(name="shelf", kind="library", ok=True, detail="/shelf"))
        run.run_in_background(Loop("sending things", send_things, every=60))
        yield

    runner = ServiceRunner(name, settings, migrations=migrations)
    async with serving(runner, parts, how), NatsBroker(settings.nats_url) as client:
        for _ in range(100):
            health = await request(client, health_subject(name), HealthRequest(), ServiceHealth, timeout=5)
            if len(health.checks) == 3:
                break
            await asyncio.sleep(0.02)
    assert (health.service, health.version, health.ok) == (name, service_version(name), False)
    assert [(c.name, c.kind, c.ok, c.detail) for c in health.checks] == [
        ("database", "database", True, "sqlite"),
        ("shelf", "library", True, "/shelf"),
        ("sending things", "background", False, "ConnectionError: the far end hung up"),
    ]


@pytest.mark.parametrize("how", ["faststream", "fastapi"])
async def test_it_closes_in_reverse_last_events_first_while_nats_still_works(
    settings, migrations, unique, how
) -> None:
    subject = f"test.{unique}.goodbye"
    said: list[str] = []
    seen: list[str] = []

    async def relay() -> None:
        pass

    async def last_events() -> None:
        await runner.broker.publish("last event", subject)
        said.append(f"loops stopped, NATS connected: {runner.nats_connected()}")

    @asynccontextmanager
    async def parts(run: ServiceRunner) -> AsyncIterator[None]:
        said.append(f"parts open, settings loaded: {run.live.revision == 0}")
        run.run_in_background(Loop("relay", relay, every=60, on_stop=last_events))
        try:
            yield
        finally:
            async with run.engine.connect() as conn:
                await conn.execute(text("SELECT count(*) FROM things"))
            said.append(f"parts closed, NATS connected: {run.nats_connected()}, database open")

    runner = ServiceRunner(f"things{unique}", settings, migrations=migrations)
    async with NatsBroker(settings.nats_url) as client:

        @client.subscriber(subject)
        async def heard(body: str) -> None:
            seen.append(body)

        await client.start()
        await client.connection.flush()
        async with serving(runner, parts, how):
            assert runner.nats_connected()
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.02)
    assert said == [
        "parts open, settings loaded: True",
        "loops stopped, NATS connected: True",
        "parts closed, NATS connected: False, database open",
    ]
    assert seen == ["last event"]


@pytest.mark.parametrize(
    "service", ["catalog", "gateway"]
)  # a FastStream service, and the one uvicorn serves
def test_a_wrong_secret_key_stops_a_service_with_one_line_naming_it(nats_url, tmp_path, service) -> None:
    env = {
        **os.environ,
        "NATS_URL": nats_url,
        "NILUFLIX_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'service.db'}",
        "NILUFLIX_GATEWAY_PORT": str(free_port()),
        "NILUFLIX_SECRET_KEY": "nonsense",
    }
    done = subprocess.run(
        [sys.executable, "-m", service],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    errors = [line for line in done.stderr.splitlines() if " ERROR " in line]
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert len(errors) == 1, done.stderr
    assert f"{service} cannot start: NILUFLIX_SECRET_KEY is not a valid secret key" in errors[0]
    assert MAKE_KEY in errors[0]
