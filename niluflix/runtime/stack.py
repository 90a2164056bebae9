"""The whole system as child processes: NATS (embedded unless given), the offline demo, the six services.

The `niluflix` command and the end-to-end tests both run the system through `Stack`, so what the
tests prove is what users run.
"""

import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import httpx

from niluflix.demo.profile import demo_profile_env
from niluflix.runtime.processes import ServiceProcess
from niluflix.testing.nats_server import nats_server_binary
from niluflix.testing.net import port_open, wait_for_port

log = logging.getLogger(__name__)

SERVICES = ("catalog", "search", "downloader", "organizer", "gateway", "ui")


@dataclass
class StackConfig:
    data_dir: Path
    nats_url: str | None = None  # None: start an embedded server
    nats_port: int = 4250
    gateway_port: int = 7979
    ui_port: int = 8501
    demo: bool = False
    demo_indexer_port: int = 7990
    demo_tracker_port: int = 7991
    services: tuple[str, ...] = SERVICES
    env: dict[str, str] = field(default_factory=dict)  # extra NILUFLIX_* settings for every service


class StackError(RuntimeError):
    pass


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.log_dir = config.data_dir / "logs"
        self.nats: ServiceProcess | None = None
        self.demo: ServiceProcess | None = None
        self.processes: dict[str, ServiceProcess] = {}
        self.nats_url = config.nats_url or f"nats://127.0.0.1:{config.nats_port}"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.config.gateway_port}"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.config.ui_port}"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.config.env)
        env.update(
            {
                "NATS_URL": self.nats_url,
                "NILUFLIX_NATS_URL": self.nats_url,
                "NILUFLIX_DATA_DIR": str(self.config.data_dir),
                "NILUFLIX_GATEWAY_PORT": str(self.config.gateway_port),
                "NILUFLIX_GATEWAY_URL": self.gateway_url,
                "NILUFLIX_UI_PORT": str(self.config.ui_port),
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def start(self) -> None:
        self.config.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        env = self._env()
        if self.config.nats_url is None:
            self._start_nats(env)
        if self.config.demo:
            self._start_demo(env)
        for name in self.config.services:
            self.start_service(name)

    def start_service(self, name: str) -> ServiceProcess:
        env = self._env()
        if self.config.demo:
            if "NILUFLIX_INDEXERS" not in self.config.env:
                env.setdefault("NILUFLIX_INDEXERS", self._demo_indexers())
            for key, value in demo_profile_env().items():
                env.setdefault(key, value)
        proc = ServiceProcess.python_module(name, name, env, self.log_dir)
        proc.start()
        self.processes[name] = proc
        return proc

    def _start_nats(self, env: dict[str, str]) -> None:
        if port_open("127.0.0.1", self.config.nats_port):
            raise StackError(
                f"port {self.config.nats_port} is taken: is NiluFlix already running? (niluflix status)"
            )
        store = self.config.data_dir / "nats"
        store.mkdir(parents=True, exist_ok=True)
        argv = [
            nats_server_binary(),
            "-js",
            "-a",
            "127.0.0.1",
            "-p",
            str(self.config.nats_port),
            "-sd",
            str(store),
        ]
        self.nats = ServiceProcess("nats", argv, env, self.log_dir / "nats.log")
        self.nats.start()
        wait_for_port("127.0.0.1", self.config.nats_port, 15)

    def _demo_ready_file(self) -> Path:
        return self.config.data_dir / "demo" / "ready.json"

    def _start_demo(self, env: dict[str, str]) -> None:
        ready = self._demo_ready_file()
        ready.unlink(missing_ok=True)
        self.demo = ServiceProcess.python_module(
            "demo",
            "niluflix.demo",
            env,
            self.log_dir,
            "--indexer-port",
            str(self.config.demo_indexer_port),
            "--tracker-port",
            str(self.config.demo_tracker_port),
        )
        self.demo.start()
        deadline = time.monotonic() + 120
        while not ready.exists():
            if not self.demo.alive():
                raise StackError(f"the offline demo failed to start:\n{self.demo.tail()}")
            if time.monotonic() > deadline:
                raise StackError("the offline demo did not get ready in 120 s")
            time.sleep(0.1)

    def _demo_indexers(self) -> str:
        info = json.loads(self._demo_ready_file().read_text())
        return json.dumps([{"name": "NiluFlix Demo", "url": info["indexer_url"], "api_key": info["api_key"]}])

    def wait_ready(self, timeout: float = 90.0) -> dict:
        """Wait until the gateway answers and every service reports healthy; return the health."""
        deadline = time.monotonic() + timeout
        last: dict | str = "gateway not answering"
        while time.monotonic() < deadline:
            self._raise_if_dead()
            try:
                resp = httpx.get(f"{self.gateway_url}/api/health", timeout=5)
                last = resp.json()
                names = {s.get("service") for s in last.get("services", []) if s.get("ok")}
                wanted = {s for s in self.config.services if s not in ("gateway", "ui")}
                if resp.status_code == 200 and wanted <= names:
                    return last
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.3)
        raise StackError(f"NiluFlix did not become healthy in {timeout:g} s; last health: {last}")

    def _raise_if_dead(self) -> None:
        for name, proc in self.processes.items():
            if not proc.alive():
                raise StackError(f"{name} exited with code {proc.exit_code()}:\n{proc.tail()}")

    def supervise_once(self) -> list[str]:
        """Restart services that died; return their names. Backs off when one keeps crashing."""
        restarted = []
        for name, proc in list(self.processes.items()):
            if proc.alive():
                continue
            if time.monotonic() - proc.started_at < min(60, 2**proc.restarts):
                continue
            log.warning(
                "%s exited with code %s; restarting. Last lines:\n%s", name, proc.exit_code(), proc.tail(10)
            )
            proc.stop()
            proc.restarts += 1
            proc.start()
            restarted.append(name)
        return restarted

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            self.processes[name].stop()
        if self.demo:
            self.demo.stop()
        if self.nats:
            self.nats.stop()

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def demo_wanted() -> bool:
    """The offline demo (local indexer + seeder) runs when no TMDB key is given in the environment.

    It costs little and stays local; once a key is saved in Settings the catalog switches to TMDB on its
    own, and the demo indexer can be removed there.
    """
    return not os.environ.get("NILUFLIX_TMDB_API_KEY")
