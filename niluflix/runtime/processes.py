"""A child process of the supervisor: started with its own log file, stopped politely, then firmly.

Each child runs in its own session, so a Ctrl-C in the terminal reaches the supervisor only and it stops
the children in order; and each ends with the supervisor if that dies (see `lifeline`).
"""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from niluflix.private_files import open_private_log
from niluflix.runtime.identity import identity
from niluflix.runtime.lifeline import die_with_parent


@dataclass
class ServiceProcess:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen | None = None
    restarts: int = 0
    started_at: float = 0.0
    identity: list | None = None  # [pid, start time], for the state file
    _log: object = field(default=None, repr=False)

    @classmethod
    def python_module(
        cls, name: str, module: str, env: dict[str, str], log_dir: Path, *args: str
    ) -> "ServiceProcess":
        """`python -m module args`, through the launcher that also watches the supervisor."""
        argv = [sys.executable, "-m", "niluflix.runtime.child", module, *args]
        return cls(name, argv, env, log_dir / f"{name}.log")

    def start(self) -> None:
        if self._log is None:
            self._log = open_private_log(self.log_path)  # kept open while the child runs
        self.proc = subprocess.Popen(
            self.argv,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=die_with_parent(),  # noqa: PLW1509 - only a prctl call, prepared beforehand
        )
        self.started_at = time.monotonic()
        try:
            self.identity = identity(psutil.Process(self.proc.pid))
        except psutil.NoSuchProcess:
            self.identity = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def exit_code(self) -> int | None:
        return self.proc.poll() if self.proc else None

    def signal(self, sig: int) -> None:
        if self.alive():
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL, as a crash would: no cleanup runs."""
        if self.alive():
            self.signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self, timeout: float = 15.0) -> None:
        if self.alive():
            self.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._log:
            self._log.close()
            self._log = None

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""
