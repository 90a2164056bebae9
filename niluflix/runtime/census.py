"""Every process of one NiluFlix data directory, also after its supervisor was killed.

Two sources, so neither a lost file nor a reused pid misleads:
- the state file `<data dir>/run/stack.json`, written by the supervisor: its own pid and start time,
  each child's, and the real addresses (a port may have been taken, and the next one used);
- a marker in the environment, `NILUFLIX_STACK=<data dir>`, which every child gets and passes on to its
  own children (the torrent client the downloader starts, Streamlit).
"""

import contextlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from niluflix.private_files import write_private
from niluflix.runtime.identity import running

MARKER_ENV = "NILUFLIX_STACK"


def state_path(data_dir: Path) -> Path:
    return data_dir / "run" / "stack.json"


def write_state(data_dir: Path, state: dict) -> None:
    write_private(state_path(data_dir), json.dumps(state, indent=2))  # atomic: never half a file


def read_state(data_dir: Path) -> dict | None:
    try:
        return json.loads(state_path(data_dir).read_text())
    except (FileNotFoundError, ValueError):
        return None


def clear_state(data_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        state_path(data_dir).unlink()


@dataclass
class Census:
    data_dir: Path
    state: dict | None
    supervisor: psutil.Process | None
    children: list[tuple[str, psutil.Process]] = field(default_factory=list)  # (name, process)

    @property
    def anything(self) -> bool:
        return self.supervisor is not None or bool(self.children)


def take_census(data_dir: Path) -> Census:
    data_dir = data_dir.resolve()
    state = read_state(data_dir)
    supervisor = None
    names: dict[int, str] = {}
    found: dict[int, psutil.Process] = {}
    if state:
        supervisor = running(*state["supervisor"])
        for name, (pid, started) in state.get("processes", {}).items():
            if proc := running(pid, started):
                names[pid], found[pid] = name, proc
    mine = {os.getpid(), *(p.pid for p in psutil.Process().parents())}
    for proc in psutil.process_iter():
        if proc.pid in found or proc.pid in mine:
            continue
        try:
            if proc.environ().get(MARKER_ENV) == str(data_dir) and proc.status() != psutil.STATUS_ZOMBIE:
                found[proc.pid] = proc
                names[proc.pid] = proc.name()
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess, OSError):
            continue
    if supervisor is not None and supervisor.pid in found:
        del found[supervisor.pid]
    children = [(names[pid], proc) for pid, proc in sorted(found.items())]
    return Census(data_dir=data_dir, state=state, supervisor=supervisor, children=children)


def stop_processes(procs: list[psutil.Process], timeout: float = 10.0) -> list[psutil.Process]:
    """SIGTERM, then SIGKILL for those still there after `timeout`; return the ones that would not go."""
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.terminate()
    alive = wait_gone(procs, timeout)
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    return wait_gone(alive, 3)


def wait_gone(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until these processes have ended; return those still running after `timeout`.

    An ended process that its parent has not reaped yet (a zombie) counts as ended: it holds nothing.
    """
    deadline = time.monotonic() + timeout
    alive = list(procs)
    while alive:
        alive = [p for p in alive if _running(p)]
        if not alive or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    return alive


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
