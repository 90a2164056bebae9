"""`niluflix`: start, stop and inspect the whole system on this machine."""

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import httpx
import psutil
import typer

from niluflix import gateway_tls
from niluflix.config import default_data_dir
from niluflix.runtime.census import clear_state, read_state, stop_processes, take_census, wait_gone
from niluflix.runtime.data_lock import AlreadyRunning, check_free
from niluflix.runtime.stack import (
    SERVICES,
    STOP_TIMEOUT,
    Stack,
    StackConfig,
    StackError,
    StackStopped,
    demo_wanted,
)

app = typer.Typer(help="NiluFlix: a self-hosted Netflix with a download button.", no_args_is_help=True)

# What `niluflix parse` prints of each name, in this order; bench/parser_accuracy.py compares the same fields.
PARSE_FIELDS = (
    "title",
    "year",
    "season",
    "episodes",
    "air_date",
    "resolution",
    "source",
    "codec",
    "group",
    "proper",
    "repack",
    "languages",
    "subtitles",
    "complete",
    "version",
    "absolute_episodes",
)

DataDir = Annotated[Path, typer.Option(envvar="NILUFLIX_DATA_DIR", help="Databases, logs and state")]


def _data_dir(value: Path | None) -> Path:
    return (value or default_data_dir()).expanduser().resolve()


def _urls(data_dir: Path) -> dict[str, str | None]:
    """The addresses of the NiluFlix on this data directory: the real ones while it runs (no UI: None)."""
    state = read_state(data_dir)
    if state is not None:
        return {"api": state["urls"]["api"], "ui": state["urls"].get("ui")}
    gateway_port = os.environ.get("NILUFLIX_GATEWAY_PORT", "7979")
    ui_port = os.environ.get("NILUFLIX_UI_PORT", "8501")
    return {
        "api": os.environ.get(
            "NILUFLIX_GATEWAY_URL", f"{gateway_tls.gateway_scheme(os.environ)}://127.0.0.1:{gateway_port}"
        ),
        "ui": f"http://127.0.0.1:{ui_port}",
    }


API_KEY_HINT = (
    "needed only from other machines: `niluflix api-key` prints it (also on the UI's Settings page)"
)


@app.command()
def up(
    data_dir: DataDir = None,  # type: ignore[assignment]
    detach: Annotated[bool, typer.Option("--detach", "-d", help="Run in the background")] = False,
    demo: Annotated[
        bool | None,
        typer.Option(help="Offline demo: local indexer and seeder (default: on when no TMDB key is set)"),
    ] = None,
    ui: Annotated[bool, typer.Option(help="Start the web UI")] = True,
) -> None:
    """Start NiluFlix: NATS (embedded unless NATS_URL is set), every service, and the UI."""
    data_dir = _data_dir(data_dir)
    if detach:
        _refuse_when_running(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        argv = [sys.argv[0], "up", "--data-dir", str(data_dir), "--ui" if ui else "--no-ui"]
        if demo is not None:
            argv.append("--demo" if demo else "--no-demo")
        log = open(data_dir / "niluflix.log", "ab")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
        typer.echo(
            f"NiluFlix is starting in the background (pid {proc.pid}); `niluflix status` tells when it is ready."
        )
        return
    use_demo = demo_wanted() if demo is None else demo
    config = StackConfig(
        data_dir=data_dir,
        nats_url=os.environ.get("NATS_URL") or None,
        gateway_port=int(os.environ.get("NILUFLIX_GATEWAY_PORT", "7979")),
        ui_port=int(os.environ.get("NILUFLIX_UI_PORT", "8501")),
        nats_port=int(os.environ.get("NILUFLIX_NATS_PORT", "4250")),
        demo=use_demo,
        demo_indexer_port=int(os.environ.get("NILUFLIX_DEMO_INDEXER_PORT", "7990")),
        demo_tracker_port=int(os.environ.get("NILUFLIX_DEMO_TRACKER_PORT", "7991")),
        services=SERVICES if ui else tuple(s for s in SERVICES if s != "ui"),
    )
    stack = Stack(config)
    try:
        stack.claim_data_dir()
    except AlreadyRunning as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    # A signal only raises a flag: every wait of the start notices it at once, and the stop below runs.
    signal.signal(signal.SIGTERM, lambda *_: stack.request_stop())
    signal.signal(signal.SIGINT, lambda *_: stack.request_stop())
    try:
        typer.echo(f"Starting NiluFlix (data in {data_dir}{', offline demo' if use_demo else ''})...")
        stack.start()
        stack.wait_ready(timeout=120)
        lines = ["NiluFlix is ready."]
        if ui:
            lines.append(f"  UI:      {stack.ui_url}")
        lines += [
            f"  API:     {stack.gateway_url}/docs",
            f"  API key: {API_KEY_HINT}",
            f"  Logs:    {stack.log_dir} (`niluflix logs`)",
        ]
        lines += [f"  Note:    {moved}" for moved in stack.moved_ports()]
        typer.echo("\n".join(lines))
        while not stack.stop_requested.wait(1):
            for name in stack.supervise_once():
                typer.echo(
                    f"{name} stopped unexpectedly and was restarted (see {stack.log_dir / (name + '.log')})"
                )
    except StackStopped:
        pass
    except StackError as exc:
        typer.echo(f"NiluFlix could not start: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        typer.echo("Stopping NiluFlix...")
        stack.stop()
        typer.echo("NiluFlix stopped.")


def _refuse_when_running(data_dir: Path) -> None:
    try:
        check_free(data_dir)
    except AlreadyRunning as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc


@app.command()
def down(data_dir: DataDir = None) -> None:  # type: ignore[assignment]
    """Stop the NiluFlix of this data directory: its supervisor, and any process of it left from a crash."""
    data_dir = _data_dir(data_dir)
    census = take_census(data_dir)
    if not census.anything:
        clear_state(data_dir)
        typer.echo("NiluFlix is not running.")
        return
    if census.supervisor is not None:
        # The supervisor stops its children in order; give it the time that takes.
        with contextlib.suppress(psutil.NoSuchProcess):
            census.supervisor.terminate()
        for proc in wait_gone([census.supervisor], timeout=STOP_TIMEOUT + 10):
            typer.echo(f"NiluFlix (pid {proc.pid}) did not stop in time: killing it")
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
    left = take_census(data_dir).children
    if left:
        names = ", ".join(f"{name} (pid {proc.pid})" for name, proc in left)
        typer.echo(f"Stopping processes of {data_dir} that outlived their supervisor: {names}")
        for proc in stop_processes([proc for _, proc in left]):
            typer.echo(f"pid {proc.pid} would not stop", err=True)
    clear_state(data_dir)
    typer.echo("NiluFlix stopped.")


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    data_dir: DataDir = None,  # type: ignore[assignment]
) -> None:
    """What runs, where to reach it, and the health of every service, the torrent client and the indexers."""
    data_dir = _data_dir(data_dir)
    census = take_census(data_dir)
    urls = _urls(data_dir)
    health = None
    if census.anything or os.environ.get("NILUFLIX_GATEWAY_URL"):
        # NILUFLIX_GATEWAY_URL names a NiluFlix run some other way (docker compose, say).
        try:
            verify = gateway_tls.command_verify(urls["api"], data_dir)
            health = httpx.get(f"{urls['api']}/api/health", timeout=10, verify=verify).json()
        except (httpx.HTTPError, ValueError):
            health = None
    if as_json:
        processes = [{"name": n, "pid": p.pid} for n, p in census.children]
        supervisor = census.supervisor.pid if census.supervisor else None
        typer.echo(
            json.dumps(
                {"supervisor": supervisor, "processes": processes, "urls": urls, "health": health}, indent=2
            )
        )
        if health is None:
            raise typer.Exit(1)
        return
    if census.supervisor is not None:
        typer.echo(f"NiluFlix runs (pid {census.supervisor.pid}, data in {data_dir})")
    elif census.children:
        typer.echo(
            f"NiluFlix's supervisor is gone, but {len(census.children)} of its processes still run: "
            "`niluflix down` stops them"
        )
    elif health is None:
        typer.echo(f"NiluFlix is not running (data in {data_dir}; no API at {urls['api']}).")
        raise typer.Exit(1)
    if census.children:
        typer.echo("  processes: " + ", ".join(f"{name} {proc.pid}" for name, proc in census.children))
    if urls["ui"]:
        typer.echo(f"  UI:      {urls['ui']}")
    typer.echo(f"  API:     {urls['api']}/docs")
    typer.echo(f"  API key: {API_KEY_HINT}")
    if health is None:
        typer.echo(f"  the API at {urls['api']} does not answer (yet)")
        raise typer.Exit(1)
    typer.echo(f"Health: {health.get('status')}")
    for svc in health.get("services", []):
        mark = "ok  " if svc.get("ok") else "DOWN"
        typer.echo(f"  {mark} {svc.get('service')}")
        for check in svc.get("checks", []):
            detail = f": {check['detail']}" if check.get("detail") else ""
            typer.echo(f"         {'ok' if check.get('ok') else '!!'} {check.get('name')}{detail}")


def _ask_gateway(data_dir: Path | None, method: str, path: str, *, timeout: float) -> dict:
    """A request to this data dir's gateway as this machine (which it answers what it tells no one else)."""
    data_dir = _data_dir(data_dir)
    url = _urls(data_dir)["api"]
    try:
        verify = gateway_tls.command_verify(url, data_dir)
        resp = httpx.request(method, f"{url}{path}", timeout=timeout, verify=verify)
    except httpx.HTTPError as exc:
        typer.echo(f"NiluFlix is not running (no API at {url}): start it with `niluflix up`.", err=True)
        raise typer.Exit(1) from exc
    if resp.status_code != 200:
        typer.echo(f"the gateway refused: HTTP {resp.status_code} {resp.text}", err=True)
        raise typer.Exit(1)
    return resp.json()


@app.command("api-key")
def api_key(data_dir: DataDir = None) -> None:  # type: ignore[assignment]
    """Print the API key, which other machines need to use the API (the gateway tells it to this machine only)."""
    typer.echo(_ask_gateway(data_dir, "GET", "/api/settings/api-key", timeout=10)["api_key"])


@app.command("reset-password")
def reset_password(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    data_dir: DataDir = None,  # type: ignore[assignment]
) -> None:
    """Clear a forgotten owner password and sign every browser out (on the machine NiluFlix runs on).

    Under Docker Compose: `docker compose exec gateway niluflix reset-password`.
    """
    if not yes:
        typer.confirm("Clear the owner's password and sign every browser out?", abort=True)
    done = _ask_gateway(data_dir, "DELETE", "/api/auth/password", timeout=30)
    ended = done["sessions_ended"]
    signed_out = f"{ended} browser{'' if ended == 1 else 's'} signed out"
    if done["password_was_set"]:
        typer.echo(
            f"The owner's password is cleared ({signed_out}): "
            "the next visit from another machine chooses a new one."
        )
    else:
        typer.echo(f"No owner password was set ({signed_out}): the next visit from another machine sets one.")


@app.command()
def logs(
    service: Annotated[str | None, typer.Argument(help="One of: nats, demo, " + ", ".join(SERVICES))] = None,
    lines: Annotated[int, typer.Option("-n")] = 50,
    data_dir: DataDir = None,  # type: ignore[assignment]
) -> None:
    """Print the last lines of a service's log (all services when none is named)."""
    log_dir = _data_dir(data_dir) / "logs"
    names = [service] if service else ["nats", "demo", *SERVICES]
    for name in names:
        path = log_dir / f"{name}.log"
        if not path.exists():
            continue
        typer.echo(f"==> {path.name} <==")
        typer.echo("\n".join(path.read_text(errors="replace").splitlines()[-lines:]))


@app.command()
def parse() -> None:
    """Read release names on stdin, one a line; write what NiluFlix reads in each, one JSON object a line."""
    from search.parsing import parse_release  # the parser is the search service's: load it only when asked

    for line in sys.stdin:
        name = line.strip()
        if not name:
            continue
        found = parse_release(name)
        # a field the name does not give is absent, so `jq 'has("year")'` tells found from not found
        fields = {k: v for k in PARSE_FIELDS if (v := getattr(found, k)) not in (None, [], False)}
        # a daily show's air date as ISO 8601 (`2024-03-15`)
        sys.stdout.write(json.dumps(fields, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    app()
