"""What NiluFlix writes under its data directory is its user's alone: files 0600, the folders it makes 0700,
whatever the umask, and a file an older version left readable by others is narrowed."""

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from niluflix import client_credential
from niluflix.runtime.census import state_path, write_state
from niluflix.runtime.data_lock import DataDirLock, lock_path
from niluflix.runtime.processes import ServiceProcess
from niluflix.secretbox import ENV_VAR, SecretBox


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture(autouse=True)
def _usual_umask(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(ENV_VAR, raising=False)
    old = os.umask(0o022)  # the usual one, which leaves new files world-readable
    try:
        yield
    finally:
        os.umask(old)


def test_keys_credentials_run_state_lock_and_logs_are_private(tmp_path: Path) -> None:
    data = tmp_path / "niluflix"
    SecretBox.from_env_or_file(data)
    client_credential.load_or_create(data)
    write_state(data, {"services": {}})
    lock = DataDirLock(data)
    lock.acquire()
    lock.release()
    process = ServiceProcess(
        "echo", [sys.executable, "-c", "print('started')"], dict(os.environ), data / "logs" / "echo.log"
    )
    process.start()
    assert process.proc is not None and process.proc.wait(10) == 0

    for path in (
        data / "secret.key",
        client_credential.credential_path(data),
        state_path(data),
        lock_path(data),
        data / "logs" / "echo.log",
    ):
        assert mode(path) == 0o600, path
    for folder in (data, state_path(data).parent, data / "logs"):
        assert mode(folder) == 0o700, folder
    assert "started" in (data / "logs" / "echo.log").read_text()


def test_a_key_file_left_readable_by_others_is_narrowed(tmp_path: Path) -> None:
    key = SecretBox.from_env_or_file(tmp_path)
    (tmp_path / "secret.key").chmod(0o644)
    token = key.encrypt("s3cret")

    assert SecretBox.from_env_or_file(tmp_path).decrypt(token) == "s3cret"
    assert mode(tmp_path / "secret.key") == 0o600
