"""`niluflix`: start, stop and inspect the whole system on this machine."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer

from niluflix.config import default_data_dir
from niluflix.runtime.stack import SERVICES, Stack, StackConfig, StackError, demo_wanted

app = typer.Typer(help="NiluFlix: a self-hosted Netflix with a download button.", no_args_is_help=True)

# What `niluflix parse` prints of each name, in this order; bench/parser_accuracy.py compares the same fields.
PARSE_FIELDS = (
    "title",
    "year",
    "season",
    "episodes",
    "resolution",
    "source",
    "codec",
    "group",
    "proper",
    "repack",
    "languages",
    "subtitles",
)

DataDir = Annotated[Path, typer.Option(envvar="NILUFLIX_DATA_DIR", help="Databases, logs and state")]


def _data_dir(value: Path | None) -> Path:
    return (value or default_data_dir()).expanduser().resolve()


def _pid_file(data_dir: Path) -> Path:
    return data_dir / "niluflix.pid"


def _gateway_url() -> str:
    port = os.environ.get("NILUFLIX_GATEWAY_PORT", "7979")
    return os.environ.get("NILUFLIX_GATEWAY_URL", f"http://127.0.0.1:{port}")


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
        services=SERVICES if ui else tuple(s for s in SERVICES if s != "ui"),
    )
    stack = Stack(config)
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    _pid_file(data_dir).parent.mkdir(parents=True, exist_ok=True)
    _pid_file(data_dir).write_text(str(os.getpid()))
    try:
        typer.echo(f"Starting NiluFlix (data in {data_dir}{', offline demo' if use_demo else ''})...")
        stack.start()
        stack.wait_ready(timeout=120)
        typer.echo(
            f"NiluFlix is ready.\n  UI:      {stack.ui_url}\n  API:     {stack.gateway_url}/docs\n  Logs:    {stack.log_dir}"
        )
        while not stopping:
            for name in stack.supervise_once():
                typer.echo(
                    f"{name} stopped unexpectedly and was restarted (see {stack.log_dir / (name + '.log')})"
                )
            time.sleep(1)
    except StackError as exc:
        typer.echo(f"NiluFlix could not start: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        typer.echo("Stopping NiluFlix...")
        stack.stop()
        _pid_file(data_dir).unlink(missing_ok=True)


@app.command()
def down(data_dir: DataDir = None) -> None:  # type: ignore[assignment]
    """Stop a NiluFlix started with `niluflix up --detach`."""
    pid_file = _pid_file(_data_dir(data_dir))
    if not pid_file.exists():
        typer.echo("NiluFlix is not running.")
        return
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pid_file.unlink(missing_ok=True)
        typer.echo("NiluFlix was not running (stale pid file removed).")
        return
    for _ in range(300):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            typer.echo("NiluFlix stopped.")
            return
        time.sleep(0.1)
    typer.echo(f"NiluFlix (pid {pid}) is still stopping.")


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show every service, the torrent client and the indexers, as the gateway sees them."""
    try:
        health = httpx.get(f"{_gateway_url()}/api/health", timeout=10).json()
    except httpx.HTTPError:
        typer.echo(f"NiluFlix is not running (no gateway at {_gateway_url()}).")
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps(health, indent=2))
        return
    typer.echo(f"NiluFlix: {health.get('status')}")
    for svc in health.get("services", []):
        mark = "ok  " if svc.get("ok") else "DOWN"
        typer.echo(f"  {mark} {svc.get('service')}")
        for check in svc.get("checks", []):
            detail = f": {check['detail']}" if check.get("detail") else ""
            typer.echo(f"         {'ok' if check.get('ok') else '!!'} {check.get('name')}{detail}")


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
        sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    app()
