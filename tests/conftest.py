"""`niluflix` run as a user runs it: the real command in a subprocess, with its own data directory."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from niluflix.runtime.census import Census, take_census

NILUFLIX = Path(sys.executable).parent / "niluflix"
ROOT = Path(__file__).resolve().parents[1]


def niluflix_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The user's environment with nothing of a NiluFlix around the tests: its own NATS, data and library."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NILUFLIX_") and k != "NATS_URL"}
    env.update(
        {
            "NILUFLIX_DATA_DIR": str(data_dir),
            "NILUFLIX_LIBRARY_DIR": str(data_dir.parent / f"{data_dir.name}-library"),
            "NILUFLIX_SECRET_KEY": "",
            **extra,
        }
    )
    return env


def niluflix(data_dir: Path, *args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NILUFLIX), *args],
        env=niluflix_env(data_dir, **env),
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@contextmanager
def taken(*ports: int) -> Iterator[None]:
    """Something else listens on these ports."""
    with ExitStack() as stack:
        for port in ports:
            sock = stack.enter_context(socket.socket())
            sock.bind(("127.0.0.1", port))
            sock.listen()
        yield


@dataclass
class Up:
    """A running `niluflix up`, its output collected as it comes."""

    data_dir: Path
    proc: subprocess.Popen
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, pattern: str, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := re.search(pattern, line):
                    return found
            if self.proc.poll() is not None:
                time.sleep(0.2)  # the reader may still be behind
                found = [m for line in self.lines if (m := re.search(pattern, line))]
                if found:
                    return found[0]
                raise AssertionError(f"niluflix up exited ({self.proc.returncode}):\n{self.output}")
            time.sleep(0.1)
        raise AssertionError(f"no line matching {pattern!r} in {timeout:g} s:\n{self.output}")

    def wait_ready(self, timeout: float = 150) -> dict[str, str]:
        """Wait for the ready message; return its addresses."""
        self.wait_for_line(r"NiluFlix is ready", timeout)
        time.sleep(0.2)
        return {
            m.group(1).lower(): m.group(2)
            for line in self.lines
            if (m := re.match(r"\s+(UI|API):\s+(\S+)", line))
        }

    def census(self) -> Census:
        return take_census(self.data_dir)


def wait_until_gone(data_dir: Path, timeout: float) -> float:
    """Seconds until no process of the data directory runs; fail naming the ones still there."""
    started = time.monotonic()
    while True:
        census = take_census(data_dir)
        if not census.anything:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            names = [f"{n} ({p.pid})" for n, p in census.children]
            raise AssertionError(f"still running after {timeout:g} s: {names}")
        time.sleep(0.1)


@pytest.fixture
def niluflix_up(tmp_path: Path) -> Iterator[Callable[..., Up]]:
    started: list[Up] = []

    def start(name: str, *args: str, via_run_py: bool = False, **env: str) -> Up:
        """`niluflix up`, or with `via_run_py` the README's `python3 run.py up` (whose .venv is this one)."""
        data_dir = tmp_path / name
        command = [sys.executable, str(ROOT / "run.py")] if via_run_py else [str(NILUFLIX)]
        proc = subprocess.Popen(
            [*command, "up", *args],
            env=niluflix_env(data_dir, **env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        up = Up(data_dir, proc)
        started.append(up)
        return up

    yield start
    for up in started:
        if up.proc.poll() is None:
            up.proc.send_signal(signal.SIGTERM)
            try:
                up.proc.wait(30)
            except subprocess.TimeoutExpired:
                up.proc.kill()
        # whatever the test did, leave nothing running
        niluflix(up.data_dir, "down")
