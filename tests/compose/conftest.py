"""The Compose stack run for real: Podman's Docker-compatible socket driven by docker-compose 1.29.

No Docker engine and no image registry are needed. The third-party images are replaced by the stand-ins of
infra/ci/docker-compose.ci.yml, built from Debian packages on a base that infra/ci/build-base.sh debootstraps
anew on every run; NiluFlix's own images are built from the project's Dockerfile. Podman runs health checks
from systemd timers, which a container or CI machine lacks, so the `stack` fixture runs them itself.
"""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from niluflix.testing.net import free_port

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "niluflixci"
FILES = ["-f", str(ROOT / "docker-compose.yml"), "-f", str(ROOT / "infra/ci/docker-compose.ci.yml")]
TOOLS = {  # binary: Debian package
    "podman": "podman",
    "netavark": "netavark",
    "aardvark-dns": "aardvark-dns",
    "iptables": "iptables",
    "runc": "runc",
    "debootstrap": "debootstrap",
    "docker-compose": "docker-compose",
}
# Podman's default ulimits exceed what many CI machines allow; crun refuses some cgroup layouts.
CONTAINERS_CONF = """\
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
"""
IP_FORWARD = Path("/proc/sys/net/ipv4/ip_forward")
TIMINGS: dict[str, float] = {}  # figures for the run's summary: build, up to healthy, download click to file


def _missing_tools() -> list[str]:
    libexec = Path("/usr/lib/podman")
    return sorted(
        {pkg for binary, pkg in TOOLS.items() if not (shutil.which(binary) or (libexec / binary).exists())}
    )


def ensure_tools() -> None:
    missing = _missing_tools()
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.fail(
            f"the compose test needs root and these Debian packages: apt-get install -y {' '.join(missing)}"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", *missing], check=True, env=env, stdout=subprocess.DEVNULL
    )
    if still := _missing_tools():
        pytest.fail(f"installing {', '.join(still)} with apt-get did not provide them")


@dataclass
class Stack:
    """One run of the stack: its variables, its published ports, and how to drive it."""

    work: Path
    env: dict[str, str]
    data_dir: Path
    gateway_port: int
    ui_port: int
    puid: int
    pgid: int
    timings: dict[str, float] = field(default_factory=lambda: TIMINGS)

    def compose(
        self, *args: str, timeout: float = 900, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        # An empty --env-file: a developer's own .env in the project folder must not leak into the test.
        cmd = ["docker-compose", *FILES, "--env-file", str(self.work / "empty.env"), "-p", PROJECT]
        result = subprocess.run(
            [*cmd, "--profile", "demo", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"docker-compose {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def podman(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["podman", *args], env=self.env, capture_output=True, text=True, timeout=120, check=False
        )
        if check and result.returncode != 0:
            raise AssertionError(f"podman {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    def containers(self) -> list[dict]:
        out = self.podman(
            "ps", "-a", "--filter", f"label=com.docker.compose.project={PROJECT}", "--format", "json"
        )
        return json.loads(out or "[]")

    def container(self, service: str, number: int = 1) -> str:
        return f"{PROJECT}_{service}_{number}"

    def unhealthy(self) -> list[str]:
        """Names of the stack's containers that are not (yet) healthy; the one-shot init must have exited 0."""
        waiting = []
        for c in self.containers():
            name = c["Names"][0]
            if "_init_" in name:
                if c["State"] != "exited" or c.get("ExitCode", 0) != 0:
                    waiting.append(f"{name} ({c['State']})")
                continue
            if c["State"] != "running" or "(healthy)" not in c.get("Status", ""):
                waiting.append(f"{name} ({c.get('Status') or c['State']})")
        return waiting

    def wait_healthy(self, timeout: float = 300) -> float:
        start = time.monotonic()
        while (waiting := self.unhealthy()) and time.monotonic() - start < timeout:
            time.sleep(1)
        if waiting:
            logs = "\n".join(
                f"--- {name.split(' ')[0]}\n"
                + self.podman("logs", "--tail", "30", name.split(" ")[0], check=False)
                for name in waiting
            )
            raise AssertionError(f"not healthy after {timeout:g} s: {', '.join(waiting)}\n{logs}")
        return time.monotonic() - start

    def exec(self, service: str, *cmd: str) -> str:
        return self.podman("exec", self.container(service), *cmd)


class HealthTicker:
    """Runs every running container's health check, as Podman's systemd timers would, a few at a time."""

    def __init__(self, env: dict[str, str]) -> None:
        self._env = env
        self._stop = threading.Event()
        self._busy: set[str] = set()
        self._last: dict[str, float] = {}
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthcheck")
        self._thread = threading.Thread(target=self._run, name="health-ticker", daemon=True)
        self._thread.start()

    def _check(self, cid: str) -> None:
        try:
            subprocess.run(
                ["podman", "healthcheck", "run", cid],
                env=self._env,
                capture_output=True,
                timeout=30,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pass  # counts as a failed check for Podman already
        finally:
            self._last[cid] = time.monotonic()
            self._busy.discard(cid)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            out = subprocess.run(
                ["podman", "ps", "-q", "--filter", f"label=com.docker.compose.project={PROJECT}",
                 "--filter", "status=running"],
                env=self._env, capture_output=True, text=True, check=False,
            ).stdout.split()  # fmt: skip
            for cid in out:
                if cid not in self._busy and time.monotonic() - self._last.get(cid, 0) >= 3:
                    self._busy.add(cid)
                    self._pool.submit(self._check, cid)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._pool.shutdown(wait=False, cancel_futures=True)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    ensure_tools()
    work = Path(tempfile.mkdtemp(prefix="niluflix-compose-"))
    (work / "empty.env").write_text("")
    (work / "containers.conf").write_text(CONTAINERS_CONF)
    data_dir = work / "data"  # made by root, as the engine would: init must hand it to PUID:PGID
    data_dir.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "CONTAINERS_CONF": str(work / "containers.conf"),
        "DOCKER_HOST": f"unix://{work / 'podman.sock'}",
        "COMPOSE_HTTP_TIMEOUT": "600",
    }
    ip_forward = IP_FORWARD.read_text()
    service = subprocess.Popen(
        ["podman", "system", "service", "--time=0", env["DOCKER_HOST"]],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    run = Stack(
        work=work,
        env={
            **env,
            # no .env: only the owner (not the default one, to see it is honoured) and where the data goes
            "PUID": "1234",
            "PGID": "1234",
            "DATA_DIR": str(data_dir),
            # the published ports, on free ports of this machine, and only on loopback in a test
            "GATEWAY_PORT": str(free_port()),
            "UI_PORT": str(free_port()),
            "TRANSMISSION_PEER_PORT": str(free_port()),
            "GATEWAY_BIND": "127.0.0.1",
            "UI_BIND": "127.0.0.1",
        },
        data_dir=data_dir,
        gateway_port=0,
        ui_port=0,
        puid=1234,
        pgid=1234,
    )
    run.gateway_port, run.ui_port = int(run.env["GATEWAY_PORT"]), int(run.env["UI_PORT"])
    ticker: HealthTicker | None = None
    try:
        deadline = time.monotonic() + 10
        while not (work / "podman.sock").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        run.compose("down", "-v", "--remove-orphans", check=False)  # leftovers of an interrupted run

        start = time.monotonic()
        subprocess.run([str(ROOT / "infra/ci/build-base.sh")], env=run.env, check=True, timeout=900)
        run.timings["base images (debootstrap + python stand-in)"] = time.monotonic() - start
        start = time.monotonic()
        run.compose("build", timeout=1200)
        run.timings["docker-compose build"] = time.monotonic() - start

        ticker = HealthTicker(run.env)
        start = time.monotonic()
        run.compose("up", "-d", timeout=600)
        run.wait_healthy()
        run.timings["up to all healthy"] = time.monotonic() - start
        yield run
    finally:
        if ticker:
            ticker.stop()
        run.compose("down", "-v", "--remove-orphans", timeout=300, check=False)
        service.terminate()
        try:
            service.wait(10)
        except subprocess.TimeoutExpired:
            service.kill()
        IP_FORWARD.write_text(ip_forward)  # netavark turned forwarding on for the containers
        shutil.rmtree(work, ignore_errors=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TIMINGS:
        terminalreporter.write_sep("-", "compose stack timings")
        for what, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{what}: {seconds:.1f} s")
