"""NiluFlix's own NATS admits only NiluFlix: an anonymous client (a local process subscribing to `>` to read
indexer keys) is refused, the services connect with the credentials made on first start, and the password
shows in no process listing and no log. A NATS of the user's own keeps working, its URL never shown in clear.
"""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import nats
import nats.errors
import psutil
import pytest

from niluflix import nats_auth
from niluflix.contracts.common import HealthRequest, ServiceHealth, health_subject
from niluflix.messaging import make_broker
from niluflix.nats_auth import NatsCredentials, redact_url
from niluflix.runtime.census import read_state
from niluflix.runtime.stack import Stack, StackConfig
from niluflix.testing.nats_server import embedded_nats


async def subscribe_to_everything(url: str) -> None:
    """What an eavesdropper on this machine tries."""
    nc = await nats.connect(url, allow_reconnect=False, connect_timeout=3)
    try:
        await nc.subscribe(">")
        await nc.flush()
    finally:
        await nc.close()


async def health_of(
    url: str, service: str, credentials: NatsCredentials, timeout: float = 60
) -> ServiceHealth:
    """The service's health over NATS, asked with NiluFlix's credentials until it answers."""
    nc = await nats.connect(url, user=credentials.user, password=credentials.password)
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                msg = await nc.request(health_subject(service), HealthRequest().model_dump_json().encode(), 2)
                return ServiceHealth.model_validate_json(msg.data)
            except (nats.errors.NoRespondersError, nats.errors.TimeoutError):
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.2)
    finally:
        await nc.close()


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def process_tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


@pytest.mark.timeout(120)
def test_the_stacks_nats_refuses_strangers_and_serves_the_services(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with Stack(StackConfig(data_dir=data_dir, nats_port=0, services=("catalog",))) as stack:
        credentials_file = data_dir / "nats-credentials.json"
        assert stack.nats_credentials_file == credentials_file
        assert mode(credentials_file) == 0o600 and mode(data_dir / "run" / "nats.conf") == 0o600
        credentials = nats_auth.read(credentials_file)
        assert len(credentials.password) >= 40

        with pytest.raises(nats.errors.Error, match="Authorization Violation"):
            asyncio.run(subscribe_to_everything(stack.nats_url))
        # The catalog connected with the credentials the supervisor pointed it at.
        health = asyncio.run(health_of(stack.nats_url, "catalog", credentials))
        assert health.ok, health

        # Not in any process's arguments (what `ps` shows every user), nor in their environment.
        assert stack.nats is not None
        started = [*process_tree(stack.nats.pid), *process_tree(stack.processes["catalog"].pid)]
        for proc in started:
            assert credentials.password not in " ".join(proc.cmdline()), proc
            environ = proc.environ()
            assert not any(credentials.password in value for value in environ.values()), proc
        catalog_env = psutil.Process(stack.processes["catalog"].pid).environ()
        assert catalog_env[nats_auth.ENV_VAR] == str(credentials_file)
        assert "-c" in stack.nats.argv and str(data_dir / "run" / "nats.conf") in stack.nats.argv
        first = credentials_file.read_text()
    for log in (data_dir / "logs").iterdir():
        assert credentials.password not in log.read_text(errors="replace"), log

    # The next start keeps the same credentials: nothing of the first run's is locked out.
    with Stack(StackConfig(data_dir=data_dir, nats_port=0, services=())) as again:
        assert credentials_file.read_text() == first and mode(credentials_file) == 0o600
        with pytest.raises(nats.errors.Error, match="Authorization Violation"):
            asyncio.run(subscribe_to_everything(again.nats_url))
        broker = make_broker(again.nats_url, name="test", credentials=credentials)

        async def connects() -> bool:
            async with broker:
                await broker.connect()
                return broker.connection.is_connected

        assert asyncio.run(connects())


def test_a_service_pointed_at_a_missing_credentials_file_says_which_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "nats-credentials.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NILUFLIX_") and k != "NATS_URL"}
    env |= {
        "NATS_URL": "nats://127.0.0.1:1",
        nats_auth.ENV_VAR: str(missing),
        "NILUFLIX_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "catalog"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert f"catalog cannot start: {missing} (named by {nats_auth.ENV_VAR}) does not exist" in line


def test_a_broken_credentials_file_is_named_never_quoted(tmp_path: Path) -> None:
    path = tmp_path / "nats-credentials.json"
    path.write_text("hunter2-not-json")
    with pytest.raises(nats_auth.NatsCredentialsError) as caught:
        nats_auth.read(path)
    assert str(path) in caught.value.message and "hunter2" not in caught.value.message


def test_two_starters_agree_on_one_password(tmp_path: Path) -> None:
    path = tmp_path / "config" / "nats-credentials.json"
    first, second = nats_auth.load_or_create(path), nats_auth.load_or_create(path)
    assert first == second and first.user == "niluflix" and mode(path) == 0o600
    assert first.password not in repr(first)


async def test_healthcheck_connects_with_the_credentials_file(tmp_path: Path) -> None:
    # The containers' health check runs as its own process and must get in like the services.
    credentials_file = tmp_path / "nats-credentials.json"
    credentials = nats_auth.load_or_create(credentials_file)
    with embedded_nats(credentials=credentials) as url:
        nc = await nats.connect(url, user=credentials.user, password=credentials.password)
        health = ServiceHealth(service="svcauth", ok=True, checks=[])

        async def answer(msg) -> None:
            await msg.respond(health.model_dump_json().encode())

        await nc.subscribe(health_subject("svcauth"), cb=answer)
        await nc.flush()
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith("NILUFLIX_")} | {"NATS_URL": url}
            results = []
            for extra in ({nats_auth.ENV_VAR: str(credentials_file)}, {}):
                proc = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "niluflix.healthcheck",
                    "svcauth",
                    env=env | extra,
                    stdout=asyncio.subprocess.PIPE,
                )
                out, _ = await proc.communicate()
                results.append((proc.returncode, out.decode()))
        finally:
            await nc.close()
    (with_file, without) = results
    assert with_file[0] == 0, with_file
    assert without[0] == 1 and "Authorization Violation" in without[1], without


async def test_a_users_own_nats_url_with_a_password_works_and_is_never_shown(tmp_path: Path) -> None:
    theirs = NatsCredentials(user="me", password="their-own-s3cret")
    with embedded_nats(credentials=theirs) as url:
        with_password = url.replace("nats://", "nats://me:their-own-s3cret@")
        # The URL's own credentials win over a credentials file's (here a wrong one).
        broker = make_broker(
            with_password, name="test", credentials=NatsCredentials("niluflix", "not-theirs")
        )
        async with broker:
            await broker.connect()
            assert broker.connection.is_connected

        stack = Stack(StackConfig(data_dir=tmp_path / "data", nats_url=with_password, services=()))
        with stack:
            state = read_state(stack.data_dir)
            assert state is not None
            assert state["urls"]["nats"] == url.replace("nats://", "nats://me:********@")
            assert "their-own-s3cret" not in (stack.data_dir / "run" / "stack.json").read_text()
            assert stack.nats_credentials_file is None
            assert not (stack.data_dir / "nats-credentials.json").exists()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("nats://127.0.0.1:4222", "nats://127.0.0.1:4222"),
        ("nats://me:pw@nats:4222", "nats://me:********@nats:4222"),
        ("nats://s3cr3t-token@nats:4222", "nats://********@nats:4222"),
        ("nats://a:b@h1:4222,nats://h2:4222", "nats://a:********@h1:4222,nats://h2:4222"),
        ("tls://me:p%40ss@nats:4222", "tls://me:********@nats:4222"),
        ("me:pw@nats:4222", "me:********@nats:4222"),
    ],
)
def test_a_nats_url_is_shown_without_its_secret(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_credentials_in_the_url_win_over_the_files() -> None:
    ours = NatsCredentials("niluflix", "from-the-file")
    assert nats_auth.connect_options("nats://h:4222", ours) == {
        "user": "niluflix",
        "password": "from-the-file",
    }
    for url in ("nats://me:theirs@h:4222", "me:theirs@h:4222", "nats://token@h:4222", "nats://a,nats://b@c"):
        assert nats_auth.connect_options(url, ours) == {}, url
    assert nats_auth.connect_options("nats://h:4222", None) == {}
