"""Stopping never waits for starting to finish, and `down` finds what a crash left behind."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from niluflix.runtime.census import MARKER_ENV, state_path, take_census, write_state
from niluflix.runtime.identity import identity
from niluflix.testing.net import free_port, free_ports

from .conftest import niluflix, taken, wait_until_gone


def wait_for_process(data_dir: Path, name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if name in {n for n, _ in take_census(data_dir).children}:
            return
        time.sleep(0.05)
    raise AssertionError(f"{name} did not start in {timeout:g} s")


@pytest.mark.parametrize(
    ("sig", "stage"),
    [(signal.SIGINT, "demo"), (signal.SIGTERM, "gateway")],
    ids=["ctrl-c-while-the-demo-starts", "sigterm-while-waiting-for-health"],
)
def test_a_stop_while_starting_stops_at_once(niluflix_up, sig: int, stage: str) -> None:
    up = niluflix_up("starting", NILUFLIX_DEMO_INDEXER_PORT="0", NILUFLIX_DEMO_TRACKER_PORT="0")
    wait_for_process(up.data_dir, stage)
    asked = time.monotonic()
    up.proc.send_signal(sig)
    assert up.proc.wait(15) == 0, up.output
    took = time.monotonic() - asked
    print(f"[runtime] {signal.Signals(sig).name} while starting ({stage} up): stopped in {took:.1f} s")
    assert "is ready" not in up.output and "NiluFlix stopped." in up.output, up.output
    wait_until_gone(up.data_dir, timeout=3)
    assert not state_path(up.data_dir).exists()


def test_status_and_down_find_what_a_crash_left(tmp_path: Path) -> None:
    data_dir = tmp_path / "crashed"
    # What a supervisor killed where children outlive it leaves: its state file, naming a dead supervisor,
    # and processes, some listed in the file, some (a torrent daemon a service started) only marked.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_identity = identity(psutil.Process(dead.pid))
    dead.wait()
    sleeper = [sys.executable, "-c", "import time; time.sleep(600)"]
    marked = subprocess.Popen(sleeper, env={**os.environ, MARKER_ENV: str(data_dir)}, start_new_session=True)
    listed = subprocess.Popen(sleeper, start_new_session=True)
    # A pid in the file that now belongs to another process (pids are reused): never touched.
    stranger = subprocess.Popen(sleeper, start_new_session=True)
    pid, started = identity(psutil.Process(stranger.pid))
    gateway_port = free_port()
    write_state(
        data_dir,
        {
            "supervisor": dead_identity,
            "urls": {"ui": "http://127.0.0.1:1", "api": f"http://127.0.0.1:{gateway_port}"},
            "processes": {"gateway": identity(psutil.Process(listed.pid)), "search": [pid, started - 100]},
        },
    )
    try:
        status = niluflix(data_dir, "status")
        assert status.stdout.startswith(
            "NiluFlix's supervisor is gone, but 2 of its processes still run: `niluflix down` stops them"
        ), status.stdout
        assert f"gateway {listed.pid}" in status.stdout and f" {marked.pid}" in status.stdout
        assert f"API:     http://127.0.0.1:{gateway_port}/docs" in status.stdout
        assert status.returncode == 1  # nothing answers

        down = niluflix(data_dir, "down")
        assert "outlived their supervisor" in down.stdout and "NiluFlix stopped." in down.stdout, down.stdout
        assert marked.wait(5) is not None and listed.wait(5) is not None
        assert stranger.poll() is None
        assert not state_path(data_dir).exists()
        assert niluflix(data_dir, "down").stdout.strip() == "NiluFlix is not running."
    finally:
        for proc in (marked, listed, stranger):
            proc.kill()
            proc.wait()


def test_the_demo_takes_free_ports_and_keeps_them(tmp_path: Path) -> None:
    """The demo's indexer and tracker move on from a taken port, and come back to the same one next time
    (a saved copy of the settings keeps the indexer's URL)."""
    indexer_port, tracker_port = free_ports(2)
    env = {**os.environ, "NILUFLIX_DATA_DIR": str(tmp_path)}
    argv = [sys.executable, "-m", "niluflix.demo", "--indexer-port", str(indexer_port)]
    argv += ["--tracker-port", str(tracker_port)]
    ready = tmp_path / "demo" / "ready.json"

    def run_demo() -> dict:
        ready.unlink(missing_ok=True)
        demo = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 90
            while not ready.exists():
                assert demo.poll() is None, demo.stderr.read().decode()
                assert time.monotonic() < deadline, "the demo did not get ready"
                time.sleep(0.1)
            info = json.loads(ready.read_text())
            caps = httpx.get(info["indexer_url"], params={"t": "caps", "apikey": info["api_key"]}, timeout=10)
            assert caps.status_code == 200 and "<caps>" in caps.text
            return info
        finally:
            demo.send_signal(signal.SIGTERM)
            assert demo.wait(15) == 0

    with taken(indexer_port, tracker_port):
        first = run_demo()
    assert f":{indexer_port}/" not in first["indexer_url"] and f":{tracker_port}/" not in first["tracker"], (
        first
    )
    assert first["indexer_url"] != first["tracker"]
    again = run_demo()
    assert (again["indexer_url"], again["tracker"]) == (first["indexer_url"], first["tracker"])
