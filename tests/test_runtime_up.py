"""`niluflix up` as a user meets it: a taken port never stops it, a second NiluFlix runs beside the first,
a TMDB key without an indexer comes up ready, `status` says where everything is, and a killed `up`
leaves nothing running.
"""

import asyncio
import re

import httpx
import nats.errors
import pytest

from niluflix import nats_auth
from niluflix.runtime.census import read_state
from niluflix.runtime.ports import port_free
from niluflix.testing.net import free_ports
from niluflix.testing.tmdb_server import TmdbMovie, TmdbServer

from .conftest import niluflix, taken, wait_until_gone
from .test_nats_auth import subscribe_to_everything

SINTEL = TmdbMovie(id=45745, title="Sintel", release_date="2010-09-27", imdb_id="tt1727587", popularity=50.0)
EVERY_PROCESS = {
    "nats",
    "catalog",
    "search",
    "downloader",
    "organizer",
    "gateway",
    "ui",
    "transmission-daemon",
}


def port_of(url: str) -> int:
    return int(re.search(r":(\d+)", url.removeprefix("http://")).group(1))


@pytest.mark.timeout(600)
def test_two_niluflix_on_taken_ports_then_one_killed(niluflix_up) -> None:
    names = ("NILUFLIX_NATS_PORT", "NILUFLIX_GATEWAY_PORT", "NILUFLIX_UI_PORT")
    wanted = dict(zip(names, free_ports(len(names)), strict=True))
    with TmdbServer([SINTEL]) as tmdb, taken(*wanted.values()):
        # A TMDB key and no indexer yet: no demo, and the search service has nothing to search.
        env = {k: str(v) for k, v in wanted.items()}
        env |= {"NILUFLIX_TMDB_API_KEY": tmdb.api_key, "NILUFLIX_TMDB_BASE_URL": tmdb.base_url}
        first, second = niluflix_up("first", **env), niluflix_up("second", **env)
        at_first, at_second = first.wait_ready(), second.wait_ready()

        # Each took the next free ports, and its ready message says which.
        ports = {port_of(at_first["api"]), port_of(at_first["ui"]), port_of(at_second["api"])}
        ports.add(port_of(at_second["ui"]))
        assert len(ports) == 4 and not ports & set(wanted.values()), (at_first, at_second)
        assert (
            f"API on {port_of(at_first['api'])} ({wanted['NILUFLIX_GATEWAY_PORT']} is taken)" in first.output
        )
        for at in (at_first, at_second):
            assert (
                httpx.get(at["api"].removesuffix("/docs") + "/api/health", timeout=10).json()["status"]
                == "ok"
            )
            assert httpx.get(at["ui"], timeout=10).status_code == 200

        # `status` finds the real addresses, says the system is ready, and where the API key is.
        status = niluflix(first.data_dir, "status")
        assert status.returncode == 0, status.stdout + status.stderr
        assert f"UI:      {at_first['ui']}" in status.stdout
        assert f"API:     {at_first['api']}" in status.stdout
        assert "Health: ok" in status.stdout
        assert "no indexer yet: add an indexer in Settings" in status.stdout
        assert "`niluflix api-key` prints it" in status.stdout
        # The same data directory twice is refused, and the running one is left alone.
        again = niluflix(first.data_dir, "up")
        assert (
            again.returncode == 1
            and f"NiluFlix is already running from {first.data_dir} (pid {first.proc.pid})" in again.stderr
        ), again.stdout + again.stderr
        assert niluflix(first.data_dir, "status").stdout.startswith(f"NiluFlix runs (pid {first.proc.pid}")
        key = niluflix(first.data_dir, "api-key")
        assert re.fullmatch(r"[0-9a-f]{32}\n", key.stdout), key.stdout + key.stderr

        # Its NATS admits only NiluFlix: another process of this machine cannot listen in on every message.
        state = read_state(first.data_dir)
        assert state is not None
        with pytest.raises(nats.errors.Error, match="Authorization Violation"):
            asyncio.run(subscribe_to_everything(state["urls"]["nats"]))
        # The password is in no process's arguments (what `ps` shows every user) or environment, nor in a log.
        password = nats_auth.read(first.data_dir / "nats-credentials.json").password
        for name, proc in first.census().children:
            assert password not in " ".join(proc.cmdline()), name
            assert not any(password in value for value in proc.environ().values()), name
        for log in (first.data_dir / "logs").iterdir():
            assert password not in log.read_text(errors="replace"), log
        assert password not in first.output

        # SIGKILL: no cleanup runs in `up`, yet every child goes, the torrent daemon and Streamlit too.
        census = first.census()
        assert census.supervisor is not None and census.supervisor.pid == first.proc.pid
        assert EVERY_PROCESS <= {name for name, _ in census.children}, census.children
        first.proc.kill()
        took = wait_until_gone(first.data_dir, timeout=10)
        print(f"[runtime] everything of a SIGKILLed niluflix up gone in {took:.1f} s")
        assert port_free(port_of(at_first["api"])) and port_free(port_of(at_first["ui"]))
        # The other one did not notice.
        assert (
            httpx.get(at_second["api"].removesuffix("/docs") + "/api/health", timeout=10).status_code == 200
        )

        down = niluflix(second.data_dir, "down")
        assert down.stdout.strip().endswith("NiluFlix stopped."), down.stdout + down.stderr
        wait_until_gone(second.data_dir, timeout=5)
        assert second.proc.wait(5) == 0
        assert niluflix(second.data_dir, "status").stdout.startswith("NiluFlix is not running")


@pytest.mark.timeout(300)
def test_the_readme_command_is_niluflix_up_itself(niluflix_up) -> None:
    # `python3 run.py` becomes `niluflix up` (no parent in between), so whatever ends the README's command
    # ends NiluFlix: here a SIGKILL, which leaves no chance to clean up.
    up = niluflix_up("readme", "--no-ui", "--no-demo", via_run_py=True, NILUFLIX_GATEWAY_PORT="0")
    up.wait_ready()
    census = up.census()
    assert census.supervisor is not None and census.supervisor.pid == up.proc.pid
    assert {name for name, _ in census.children} >= {"nats", "gateway", "downloader"}
    up.proc.kill()
    assert wait_until_gone(up.data_dir, 15) < 15
