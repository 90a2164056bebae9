"""Children that end with their parent, however the parent ends (SIGKILL included).

On Linux a child asks the kernel for a signal when its parent dies (`prctl(PR_SET_PDEATHSIG)`), set
between fork and exec so no instant is uncovered; the signal outlives exec, so it also holds for
programs that are not Python (nats-server, transmission-daemon) and for the UI, which execs Streamlit.
The kernel sends it when the *thread* that started the child ends, so start children from a thread that
lives as long as the process (the main thread, or the event loop's).

Everywhere, a Python child started through `niluflix.runtime.child` also watches its supervisor (pid and
start time, from the environment): once that is gone it stops itself, and ends for good after a grace
period if its own shutdown hangs.
"""

import ctypes
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

import psutil

from niluflix.runtime.identity import identity, running

log = logging.getLogger(__name__)

SUPERVISOR_ENV = "NILUFLIX_SUPERVISOR"  # JSON [pid, start time] of the process that started us
PR_SET_PDEATHSIG = 1
GRACE = 5.0  # seconds a child whose supervisor is gone has to stop by itself


def die_with_parent(sig: int = signal.SIGTERM) -> Callable[[], None] | None:
    """A `preexec_fn` for `subprocess.Popen`: the child gets `sig` when this process dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    # Looked up here, not in the child: between fork and exec only the call itself should run.
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request: no signal will ever come
            os.kill(os.getpid(), sig)

    return preexec


def supervisor_env() -> dict[str, str]:
    """What a supervisor puts in its children's environment so they can watch it."""
    return {SUPERVISOR_ENV: json.dumps(identity(psutil.Process()))}


def watch_supervisor(grace: float = GRACE) -> None:
    """Stop this process when the supervisor named in the environment is gone (a daemon thread)."""
    value = os.environ.get(SUPERVISOR_ENV)
    if not value:
        return
    pid, started = json.loads(value)

    def watch() -> None:
        while running(pid, started) is not None:
            time.sleep(0.5)
        log.warning("the NiluFlix supervisor (pid %d) is gone: stopping", pid)
        if not sys.platform.startswith("linux"):  # on Linux the kernel has sent SIGTERM already
            os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(grace)
        log.error("still running %g s after the supervisor ended: exiting now", grace)
        logging.shutdown()
        os._exit(1)

    threading.Thread(target=watch, name="supervisor-watch", daemon=True).start()
