#!/usr/bin/env python3
"""Start NiluFlix, or run its tests, on a machine that has only Python and pip.

python3 run.py          set up .venv on first use, then start everything (`niluflix up`)
python3 run.py test     set up .venv with the test tools, then run every test
python3 run.py lock     write the lock files anew from the pyproject.toml files (after changing a dependency)
python3 run.py <cmd>    any other `niluflix` command: down, status, logs, parse...

Installs come from the lock files (requirements.lock, requirements-test.lock), so a machine set up next month
gets the versions the tests passed with.
"""

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
SERVICES = ["catalog", "search", "downloader", "organizer", "gateway", "ui"]
TEST_BINARIES = {
    "transmission-daemon": "transmission-daemon",
    "qbittorrent-nox": "qbittorrent-nox",
    "chromium": "chromium",
}
# Shared libraries the test tools load: Playwright's driver (a Node.js build) needs libatomic.
TEST_LIBRARIES = {"atomic": "libatomic1"}


def _bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


LOCKS = {False: ROOT / "requirements.lock", True: ROOT / "requirements-test.lock"}
# What each lock holds: our own packages, editable, with the extras the tests need.
LOCK_INPUTS = {
    False: ["-e .", *(f"-e ./services/{s}" for s in SERVICES)],
    True: ["-e .[test]", *(f"-e ./services/{s}{'[test]' if s == 'ui' else ''}" for s in SERVICES)],
}


def _fingerprint(with_tests: bool) -> str:
    digest = hashlib.sha256(str(with_tests).encode())
    paths = [
        LOCKS[with_tests],
        ROOT / "pyproject.toml",
        *(ROOT / "services" / s / "pyproject.toml" for s in SERVICES),
    ]
    for path in paths:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_venv(with_tests: bool) -> None:
    stamp = VENV / ".niluflix-installed"
    wanted = _fingerprint(with_tests)
    if stamp.exists() and stamp.read_text().strip() in (wanted, _fingerprint(True)):
        return
    if not _bin("python").exists():
        print("Setting up NiluFlix in .venv (first run: a minute or two)...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(_bin("python")), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    # The lock names every package at the version CI tested, and our own packages as editable installs.
    subprocess.run([*pip, "-r", str(LOCKS[with_tests])], check=True)
    stamp.write_text(wanted)


def write_locks() -> int:
    """Resolve the pyproject.toml files anew into both lock files, for every platform NiluFlix runs on."""
    if not _bin("python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    uv = _bin("uv")
    if not uv.exists():
        subprocess.run([str(_bin("python")), "-m", "pip", "install", "-q", "uv"], check=True)
    pins = ROOT / ".lock-pins.txt"
    for with_tests in (True, False):
        source = ROOT / f".lock-{'test' if with_tests else 'run'}.in"
        source.write_text("\n".join(LOCK_INPUTS[with_tests]) + "\n")
        agree = []
        if not with_tests:
            # The run lock takes the test lock's versions, so `run.py` and `run.py test` agree.
            lines = LOCKS[True].read_text().splitlines()
            pins.write_text("\n".join(line for line in lines if not line.startswith("-e ")) + "\n")
            agree = ["--constraint", pins.name]
        try:
            subprocess.run(
                [
                    str(uv),
                    "pip",
                    "compile",
                    "--quiet",
                    "--universal",
                    "--python-version",
                    "3.11",
                    "--no-header",
                    "--upgrade",
                    *agree,
                    source.name,
                    "-o",
                    LOCKS[with_tests].name,
                ],
                check=True,
                cwd=ROOT,
            )
        finally:
            source.unlink()
            pins.unlink(missing_ok=True)
        print(f"wrote {LOCKS[with_tests].name}")
    return 0


def ensure_test_binaries() -> None:
    """The tests run real torrent clients and a real browser; install them where we may."""
    missing = [pkg for binary, pkg in TEST_BINARIES.items() if not shutil.which(binary)]
    missing += [pkg for lib, pkg in TEST_LIBRARIES.items() if not ctypes.util.find_library(lib)]
    if not missing:
        return
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing {', '.join(missing)} with apt-get...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
    else:
        print(
            f"Missing test tools: {', '.join(missing)}. The tests run them for real and fail without them.\n"
            f"  Debian/Ubuntu, as root:  apt-get install -y {' '.join(missing)}\n"
            "  elsewhere: install your system's packages for Transmission's daemon, qBittorrent-nox, Chromium"
            " and libatomic, so that `transmission-daemon`, `qbittorrent-nox` and `chromium` are on the PATH.",
            flush=True,
        )


def run(argv: list[str]) -> int:
    """Become the command where the OS allows it, so a signal for `run.py` reaches it, and killing `run.py`
    leaves nothing behind (`niluflix up` stops everything it started when it ends)."""
    sys.stdout.flush()
    if os.name == "posix":
        os.execv(argv[0], argv)
    return subprocess.call(argv)


def main() -> int:
    args = sys.argv[1:]
    os.chdir(ROOT)
    if args[:1] == ["lock"]:
        return write_locks()
    if args[:1] == ["test"]:
        ensure_venv(with_tests=True)
        ensure_test_binaries()
        return run([str(_bin("python")), "-m", "pytest", *args[1:]])
    ensure_venv(with_tests=False)
    return run([str(_bin("niluflix")), *(args or ["up"])])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
