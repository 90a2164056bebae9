"""`python -m niluflix.stack_init`, the Compose stack's first step, run as it runs there: a process."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import nats
import nats.errors
import pytest

from niluflix import nats_auth
from niluflix.secretbox import MAKE_KEY
from niluflix.testing.nats_server import nats_server_binary
from niluflix.testing.net import free_ports, wait_for_port

ROOT = Path(__file__).resolve().parents[1]


def run_init(data: Path, config: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NILUFLIX_", "PUID", "PGID"))}
    return subprocess.run(
        [sys.executable, "-m", "niluflix.stack_init"],
        capture_output=True,
        text=True,
        env={**clean, "NILUFLIX_STACK_DATA": str(data), "NILUFLIX_DATA_DIR": str(config), **env},
        check=False,
    )


def test_a_wrong_secret_key_stops_the_stack_with_one_line(tmp_path):
    result = run_init(tmp_path, tmp_path / "config", NILUFLIX_SECRET_KEY="changeme")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "NILUFLIX_SECRET_KEY is not a valid secret key" in line and MAKE_KEY in line
    assert not (tmp_path / "torrents").exists(), "nothing is prepared for a stack that cannot start"


def test_the_data_layout_and_config_volume_belong_to_puid_pgid(tmp_path):
    # The stack runs it as root, giving the folders away; anyone else can only give them to themselves.
    uid, gid = (1234, 2345) if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    data, config = tmp_path / "data", tmp_path / "config"
    data.mkdir()
    config.mkdir()
    (config / "secret.key").write_text("from an earlier start as another user")
    library = data / "media" / "Movies" / "Old (1999)"
    library.mkdir(parents=True)

    result = run_init(data, config, PUID=str(uid), PGID=str(gid))

    assert result.returncode == 0, result.stderr
    for path in (
        data,
        data / "torrents",
        data / "torrents" / "incomplete",
        data / "media",
        config,
        config / "secret.key",
    ):
        assert (path.stat().st_uid, path.stat().st_gid) == (uid, gid), path
    # a user's existing library is theirs: init never walks into it
    assert library.stat().st_uid == os.geteuid()


def test_a_non_numeric_puid_is_refused_in_words(tmp_path):
    result = run_init(tmp_path, tmp_path / "config", PUID="niluflix")
    assert result.returncode == 1
    assert "PUID must be a numeric id" in result.stderr


def test_nats_admits_only_the_credentials_init_made_and_keeps_them(tmp_path):
    # As Compose lays it out: the nats-auth volume is /nats-auth in init and /etc/nats/auth in NATS, beside
    # the stack's NATS config, which includes the file from there.
    uid, gid = (1234, 2345) if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    data, config, etc = tmp_path / "data", tmp_path / "config", tmp_path / "etc-nats"
    data.mkdir()
    etc.mkdir()
    # The stack's real NATS config, its store moved from the container's /data to the test's own.
    stack_config = (ROOT / "infra" / "nats" / "nats-server.conf").read_text()
    assert "store_dir: /data\n" in stack_config
    (etc / "niluflix.conf").write_text(
        stack_config.replace("store_dir: /data\n", f"store_dir: {tmp_path / 'store'}\n")
    )
    server_config = etc / "auth" / "niluflix-auth.conf"

    result = run_init(
        data, config, PUID=str(uid), PGID=str(gid), NILUFLIX_STACK_NATS_CONFIG=str(server_config)
    )

    assert result.returncode == 0, result.stderr
    credentials_file = config / "nats-credentials.json"
    # the services run as PUID:PGID and read it; nobody else may
    assert (credentials_file.stat().st_uid, credentials_file.stat().st_gid) == (uid, gid)
    assert credentials_file.stat().st_mode & 0o777 == 0o600
    assert server_config.stat().st_mode & 0o777 == 0o600
    credentials = nats_auth.read(credentials_file)
    assert credentials.password not in result.stdout + result.stderr

    port, http_port = free_ports(2)
    argv = [nats_server_binary(), "-c", str(etc / "niluflix.conf"), "-a", "127.0.0.1"]
    argv += ["-p", str(port), "-m", str(http_port)]
    nats_server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port("127.0.0.1", port, 10)
        url = f"nats://127.0.0.1:{port}"

        async def connect(**auth: str) -> bool:
            nc = await nats.connect(url, allow_reconnect=False, connect_timeout=3, **auth)
            await nc.subscribe(">")
            await nc.close()
            return True

        with pytest.raises(nats.errors.Error, match="Authorization Violation"):
            asyncio.run(connect())
        assert asyncio.run(connect(user=credentials.user, password=credentials.password))
    finally:
        nats_server.terminate()
        nats_server.wait(10)

    # Every `docker compose up` runs init again: the same credentials, NATS's copy remade from them.
    server_config.unlink()
    again = run_init(
        data, config, PUID=str(uid), PGID=str(gid), NILUFLIX_STACK_NATS_CONFIG=str(server_config)
    )
    assert again.returncode == 0, again.stderr
    assert nats_auth.read(credentials_file) == credentials
    assert nats_auth.server_authorization(credentials) == server_config.read_text()
