"""A child never outlives the process that started it: the kernel's signal on Linux, and everywhere the
watcher in Python children, which also ends a child whose own shutdown hangs."""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil


def gone_within(pid: int, seconds: float) -> float:
    started = time.monotonic()
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() - started < seconds, f"pid {pid} still runs after {seconds:g} s"
        time.sleep(0.05)
    return time.monotonic() - started


def start_then_kill(tmp_path: Path, script: str, wait_for: str = "child") -> int:
    """Run `script` as a supervisor that writes its child's pid to a file; SIGKILL it; return the pid."""
    pid_file = tmp_path / "child.pid"
    supervisor = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), str(pid_file)], cwd=tmp_path, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while not pid_file.exists() or not pid_file.read_text().strip():
        assert supervisor.poll() is None, (
            f"the supervisor ended ({supervisor.returncode}) before its {wait_for}"
        )
        assert time.monotonic() < deadline, f"no {wait_for} started"
        time.sleep(0.05)
    pid = int(pid_file.read_text())
    assert psutil.pid_exists(pid)
    supervisor.kill()
    supervisor.wait()
    return pid


def test_a_python_child_whose_shutdown_hangs_still_ends(tmp_path: Path) -> None:
    """Started without the kernel's signal, ignoring SIGTERM: the watcher alone ends it after its grace."""
    (tmp_path / "stubborn.py").write_text(
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    time.sleep(1)\n"
    )
    pid = start_then_kill(
        tmp_path,
        """
        import os, subprocess, sys
        from niluflix.runtime.lifeline import supervisor_env
        env = {**os.environ, **supervisor_env(), "PYTHONPATH": os.getcwd()}
        child = subprocess.Popen([sys.executable, "-m", "niluflix.runtime.child", "stubborn"], env=env)
        open(sys.argv[1], "w").write(str(child.pid))
        child.wait()
        """,
    )
    took = gone_within(pid, 10)
    print(f"[runtime] a stubborn child ended {took:.1f} s after its supervisor")
    assert took > 3  # it had its grace period to stop by itself


def test_the_downloaders_transmission_daemon_dies_with_it(tmp_path: Path) -> None:
    """The daemon the downloader starts goes when the downloader is SIGKILLed, keeping no port."""
    pid = start_then_kill(
        tmp_path,
        """
        import asyncio, sys
        from pathlib import Path
        from downloader.clients.managed_transmission import ManagedTransmissionClient

        async def main():
            client = ManagedTransmissionClient(
                "transmission-daemon", Path("transmission"), Path("downloads"), start_timeout=30
            )
            await client.start()
            open(sys.argv[1], "w").write(str(client.pid))
            await asyncio.sleep(600)

        asyncio.run(main())
        """,
        wait_for="transmission-daemon",
    )
    assert psutil.Process(pid).name() == "transmission-daemon"
    took = gone_within(pid, 10)
    print(f"[runtime] transmission-daemon ended {took:.1f} s after the downloader was killed")
    assert os.path.exists(tmp_path / "transmission" / "settings.json")
