"""`python -m ui`: run the Streamlit dashboard in this process, so the supervisor's signals reach it."""

import os
import sys
from pathlib import Path

from niluflix.logs import setup_logging
from ui.settings import UiSettings
from ui.theme import THEME_OPTIONS

APP = Path(__file__).parent / "dashboard" / "app.py"


def streamlit_command(settings: UiSettings) -> list[str]:
    options = {
        "server.headless": "true",
        "server.address": settings.host,
        "server.port": str(settings.port),
        "server.fileWatcherType": "none",
        "server.runOnSave": "false",
        "browser.gatherUsageStats": "false",
        "client.toolbarMode": "viewer",
        "logger.level": settings.log_level.lower(),
        **THEME_OPTIONS,
    }
    args = [sys.executable, "-m", "streamlit", "run", str(APP)]
    for name, value in options.items():
        args.append(f"--{name}={value}")
    return args


def main() -> None:
    settings = UiSettings()
    setup_logging("ui", settings.log_level)
    command = streamlit_command(settings)
    sys.stdout.flush()
    sys.stderr.flush()
    # exec, not a child: the supervisor's SIGTERM then reaches Streamlit itself.
    os.execv(command[0], command)
