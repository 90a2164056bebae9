"""Named crash points for fault tests: `NILUFLIX_FAILPOINTS=organizer.after_place` makes the process
SIGKILL itself the first time it reaches that point, as a power cut would, so the tests can prove
that recovery works at the exact moments that matter. Unset in normal runs: then it costs one dict lookup.
"""

import os
import signal
from pathlib import Path


def failpoint(name: str) -> None:
    armed = os.environ.get("NILUFLIX_FAILPOINTS")
    if not armed or name not in armed.split(","):
        return
    # Fire once per data dir, so the restarted process gets past the point.
    marker = Path(os.environ.get("NILUFLIX_DATA_DIR", ".")) / f"failpoint-{name}.fired"
    if marker.exists():
        return
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("fired")
    os.kill(os.getpid(), signal.SIGKILL)
