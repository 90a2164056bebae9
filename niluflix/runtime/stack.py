"""The whole system as child processes: NATS (embedded unless given), the offline demo, the six services.

The `niluflix` command and the end-to-end tests both run the system through `Stack`, so what the
tests prove is what users run.

Nothing wedges it: every port is the configured one or, when taken, the next free one; a stop request
(`request_stop()`, from a signal handler) ends any wait at once; every child ends with this process,
whatever ends it (`lifeline`); and the state file plus a marker in the children's environment let
`niluflix down` and `status` find every process of the data directory even after a crash (`census`).
"""

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import httpx
import psutil

from niluflix import gateway_tls, nats_auth
from niluflix.demo.profile import demo_profile_env
from niluflix.private_files import private_dir
from niluflix.runtime.census import MARKER_ENV, clear_state, stop_processes, take_census, write_state
from niluflix.runtime.data_lock import DataDirLock
from niluflix.runtime.identity import identity
from niluflix.runtime.lifeline import supervisor_env
from niluflix.runtime.ports import PortClaims
from niluflix.runtime.processes import ServiceProcess
from niluflix.testing.nats_server import nats_server_binary
from niluflix.testing.net import port_open

log = logging.getLogger(__name__)

SERVICES = ("catalog", "search", "downloader", "organizer", "gateway", "ui")
STOP_TIMEOUT = 15.0  # seconds a service has to stop before it is killed
NATS_BIND_TRIES = 3  # starts of a listener whose port another program took first (NATS, the gateway, the UI)


@dataclass
class StackConfig:
    data_dir: Path
    nats_url: str | None = None  # None: start an embedded server
    # The ports wanted; a taken one is replaced by the next free one.
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


class StackStopped(StackError):
    """A stop was asked for while NiluFlix was starting."""


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.data_dir = config.data_dir.expanduser().resolve()
        self.log_dir = self.data_dir / "logs"
        self.nats: ServiceProcess | None = None
        self.demo: ServiceProcess | None = None
        self.processes: dict[str, ServiceProcess] = {}
        # Ports found free but taken before the gateway or the UI could listen (see `_move_port`).
        self._port_moves = 0
        self.stop_requested = threading.Event()
        self.kill_requested = threading.Event()
        self._ports = PortClaims()
        self._lock = DataDirLock(self.data_dir)
        self._owns_state = False  # the state file is ours once we wrote it: a refused start leaves another's
        # The real ports, known once `start()` has picked them.
        self.nats_port = config.nats_port
        self.gateway_port = config.gateway_port
        self.ui_port = config.ui_port

    @property
    def nats_url(self) -> str:
        return self.config.nats_url or f"nats://127.0.0.1:{self.nats_port}"

    @property
    def nats_credentials_file(self) -> Path | None:
        """The embedded NATS's user and password (0600), which every child is pointed at; None for a given NATS."""
        return nats_auth.credentials_path(self.data_dir) if self.config.nats_url is None else None

    @property
    def gateway_url(self) -> str:
        scheme = gateway_tls.gateway_scheme({**os.environ, **self.config.env})
        return f"{scheme}://127.0.0.1:{self.gateway_port}"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.ui_port}"

    def request_stop(self) -> None:
        """Safe from a signal handler: every wait of `start()` and `wait_ready()` ends at once.

        A second request while stopping kills what is still running instead of waiting for it.
        """
        if self.stop_requested.is_set():
            self.kill_requested.set()
        self.stop_requested.set()

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.config.env)
        env.update(
            {
                "NATS_URL": self.nats_url,
                "NILUFLIX_NATS_URL": self.nats_url,
                "NILUFLIX_DATA_DIR": str(self.data_dir),
                "NILUFLIX_GATEWAY_PORT": str(self.gateway_port),
                "NILUFLIX_GATEWAY_URL": self.gateway_url,
                "NILUFLIX_UI_PORT": str(self.ui_port),
                "PYTHONUNBUFFERED": "1",
                MARKER_ENV: str(self.data_dir),
                **supervisor_env(),
            }
        )
        if self.nats_credentials_file is not None:
            # The file's path, not the password: a process's environment is readable by its user and root.
            env[nats_auth.ENV_VAR] = str(self.nats_credentials_file)
        return env

    def claim_data_dir(self) -> None:
        """Take the data directory for this run; `AlreadyRunning` when another NiluFlix has it."""
        self._lock.acquire()

    def start(self) -> None:
        self.claim_data_dir()
        self._stop_leftovers()
        private_dir(self.data_dir)
        private_dir(self.log_dir)
        self._pick_ports()
        self._write_state()
        if self.config.nats_url is None:
            self._start_nats()
        if self.config.demo:
            self._start_demo()
        for name in self.config.services:
            self._check_stop()
            self.start_service(name)

    def _stop_leftovers(self) -> None:
        census = take_census(self.data_dir)
        if census.children:
            # Left by a supervisor that was killed where children outlive it (not on Linux).
            log.warning("stopping %d processes left from an earlier run", len(census.children))
            stop_processes([p for _, p in census.children])

    def _pick_ports(self) -> None:
        if self.config.nats_url is None:
            self.nats_port = self._ports.pick(self.config.nats_port)
        if "gateway" in self.config.services:
            self.gateway_port = self._ports.pick(self.config.gateway_port)
        if "ui" in self.config.services:
            self.ui_port = self._ports.pick(self.config.ui_port)

    def moved_ports(self) -> list[str]:
        """Which ports differ from the configured ones, in words."""
        pairs = [
            ("NATS", self.config.nats_port, self.nats_port, self.config.nats_url is None),
            ("API", self.config.gateway_port, self.gateway_port, "gateway" in self.config.services),
            ("UI", self.config.ui_port, self.ui_port, "ui" in self.config.services),
        ]
        return [
            f"{what} on {real} ({wanted} is taken)"
            for what, wanted, real, used in pairs
            if used and real != wanted
        ]

    def _write_state(self) -> None:
        self._owns_state = True
        procs = {n: p for n, p in [("nats", self.nats), ("demo", self.demo), *self.processes.items()] if p}
        write_state(
            self.data_dir,
            {
                "supervisor": identity(psutil.Process()),
                "urls": {
                    "api": self.gateway_url,
                    "nats": nats_auth.redact_url(self.nats_url),
                    **({"ui": self.ui_url} if "ui" in self.config.services else {}),
                },
                "logs": str(self.log_dir),
                "processes": {n: p.identity for n, p in procs.items() if p.identity},
            },
        )

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
        self._write_state()
        return proc

    def _check_stop(self) -> None:
        if self.stop_requested.is_set():
            raise StackStopped("stopped while starting")

    def _wait(self, seconds: float) -> None:
        """Sleep, unless a stop is asked for: then raise `StackStopped` at once."""
        if self.stop_requested.wait(seconds):
            raise StackStopped("stopped while starting")

    def _start_nats(self) -> None:
        store = self.data_dir / "nats"
        private_dir(store)
        log_path = self.log_dir / "nats.log"
        # Only NiluFlix's own processes may talk on it: made on first start, the same on every later one.
        try:
            credentials = nats_auth.load_or_create(nats_auth.credentials_path(self.data_dir))
        except nats_auth.NatsCredentialsError as exc:
            raise StackError(str(exc)) from None
        # The password reaches NATS in a file of ours (0600), never on its command line, which `ps` shows.
        config = self.data_dir / "run" / "nats.conf"
        nats_auth.write_private(config, nats_auth.server_authorization(credentials))
        # A port found free may be taken by another program before NATS binds it: then take the next one.
        for attempt in range(NATS_BIND_TRIES):
            argv = [
                nats_server_binary(),
                "-c",
                str(config),
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                str(self.nats_port),
                "-sd",
                str(store),
            ]
            since = log_path.stat().st_size if log_path.exists() else 0
            self.nats = ServiceProcess("nats", argv, self._env(), log_path)
            self.nats.start()
            self._write_state()
            # Ready when NATS itself says it listens there: another program on the port answers too.
            listening = f"Listening for client connections on 127.0.0.1:{self.nats_port}"
            deadline = time.monotonic() + 15
            while listening not in (output := _read_from(log_path, since)):
                if not self.nats.alive():
                    if "address already in use" in output and attempt + 1 < NATS_BIND_TRIES:
                        log.warning(
                            "port %d was taken before NATS listened on it: trying the next", self.nats_port
                        )
                        self.nats_port = self._ports.pick(self.nats_port + 1)
                        break
                    raise StackError(f"NATS failed to start:\n{self.nats.tail()}")
                if time.monotonic() > deadline:
                    raise StackError(f"NATS did not listen on port {self.nats_port} in 15 s")
                self._wait(0.05)
            else:
                return

    def _demo_ready_file(self) -> Path:
        return self.data_dir / "demo" / "ready.json"

    def _start_demo(self) -> None:
        ready = self._demo_ready_file()
        ready.unlink(missing_ok=True)
        self.demo = ServiceProcess.python_module(
            "demo",
            "niluflix.demo",
            self._env(),
            self.log_dir,
            "--indexer-port",
            str(self.config.demo_indexer_port),
            "--tracker-port",
            str(self.config.demo_tracker_port),
        )
        self.demo.start()
        self._write_state()
        deadline = time.monotonic() + 120
        while not ready.exists():
            if not self.demo.alive():
                raise StackError(f"the offline demo failed to start:\n{self.demo.tail()}")
            if time.monotonic() > deadline:
                raise StackError("the offline demo did not get ready in 120 s")
            self._wait(0.1)

    def _demo_indexers(self) -> str:
        info = json.loads(self._demo_ready_file().read_text())
        return json.dumps([{"name": "NiluFlix Demo", "url": info["indexer_url"], "api_key": info["api_key"]}])

    def wait_ready(self, timeout: float = 90.0) -> dict:
        """Wait until the gateway answers, every service reports healthy and the UI listens; return the health.

        A stop request ends the wait at once (`StackStopped`).
        """
        deadline = time.monotonic() + timeout
        last: dict | str = "gateway not answering"
        while time.monotonic() < deadline:
            self._check_stop()
            self._raise_if_dead()
            try:
                verify = gateway_tls.command_verify(self.gateway_url, self.data_dir)
                resp = httpx.get(f"{self.gateway_url}/api/health", timeout=2, verify=verify)
                last = resp.json()
                names = {s.get("service") for s in last.get("services", []) if s.get("ok")}
                wanted = {s for s in self.config.services if s not in ("gateway", "ui")}
                # The UI last: the ready message sends the user there.
                ui_up = "ui" not in self.config.services or port_open("127.0.0.1", self.ui_port)
                if resp.status_code == 200 and wanted <= names and ui_up:
                    return last
            except (httpx.HTTPError, ValueError):
                pass
            self._wait(0.3)
        raise StackError(f"NiluFlix did not become healthy in {timeout:g} s; last health: {last}")

    def _raise_if_dead(self) -> None:
        for name, proc in list(self.processes.items()):
            if proc.alive():
                continue
            if (
                name in ("gateway", "ui")
                and self._port_moves < NATS_BIND_TRIES
                and _lost_its_port(proc.tail())
            ):
                self._move_port(name)
                continue
            raise StackError(f"{name} exited with code {proc.exit_code()}:\n{proc.tail()}")

    def _move_port(self, name: str) -> None:
        """A port found free was taken by another program before the gateway or the UI bound it (an outgoing
        connection's ephemeral port, another server's port 0): start it again on the next free port. The UI
        is told the gateway's address by its environment, so it starts again with a moved gateway."""
        self._port_moves += 1
        if name == "gateway":
            taken, self.gateway_port = self.gateway_port, self._ports.pick(self.gateway_port + 1)
            again = ["gateway", *(["ui"] if "ui" in self.processes else [])]
        else:
            taken, self.ui_port = self.ui_port, self._ports.pick(self.ui_port + 1)
            again = ["ui"]
        log.warning("port %d was taken before the %s listened on it: trying the next", taken, name)
        for restarted in again:
            self.processes[restarted].stop()
            self.start_service(restarted)

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
            self._write_state()
            restarted.append(name)
        return restarted

    def stop(self) -> None:
        """Stop the services and the demo together, then NATS (the services use it until they end)."""
        self._stop_all([*self.processes.values(), *([self.demo] if self.demo else [])])
        self._stop_all([self.nats] if self.nats else [])
        self._ports.release()
        if self._owns_state:
            clear_state(self.data_dir)
        self._lock.release()

    def _stop_all(self, procs: list[ServiceProcess]) -> None:
        for proc in procs:
            proc.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        while any(p.alive() for p in procs) and time.monotonic() < deadline:
            if self.kill_requested.wait(0.05):
                break
        for proc in procs:
            proc.stop(timeout=0)

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


def _lost_its_port(output: str) -> bool:
    """uvicorn's and Streamlit's words for a port another program took first."""
    return "address already in use" in output or "is already in use" in output


def _read_from(path: Path, offset: int) -> str:
    """What a log gained since `offset` (the logs of earlier runs stay above it)."""
    try:
        with path.open("rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")
    except FileNotFoundError:
        return ""
