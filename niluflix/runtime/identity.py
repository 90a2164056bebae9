"""A process named so that it cannot be mistaken: its pid and its start time (pids are reused)."""

import psutil


def identity(proc: psutil.Process) -> list:
    return [proc.pid, proc.create_time()]


def running(pid: int, started: float) -> psutil.Process | None:
    """The process `pid`, if it still is the one that started at `started`."""
    try:
        proc = psutil.Process(pid)
        if abs(proc.create_time() - started) < 0.5 and proc.status() != psutil.STATUS_ZOMBIE:
            return proc
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        pass
    return None
