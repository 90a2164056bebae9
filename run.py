#!/usr/bin/env python3
"""Start NiluFlix, or run its tests, on a machine that has only Python and pip.

python3 run.py          set up .venv on first use, then start everything (`niluflix up`)
python3 run.py test     set up .venv with the test tools, then run every test
python3 run.py <cmd>    any other `niluflix` command: down, status, logs, parse...
"""

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


def _bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


def _fingerprint(extras: str) -> str:
    digest = hashlib.sha256(extras.encode())
    for path in [ROOT / "pyproject.toml", *(ROOT / "services" / s / "pyproject.toml" for s in SERVICES)]:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_venv(with_tests: bool) -> None:
    extras = "[test]" if with_tests else ""
    stamp = VENV / ".niluflix-installed"
    wanted = _fingerprint(extras)
    if stamp.exists() and stamp.read_text().strip() in (wanted, _fingerprint("[test]")):
        return
    if not _bin("python").exists():
        print("Setting up NiluFlix in .venv (first run: a minute or two)...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(_bin("python")), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    targets = ["-e", f"{ROOT}{extras}"]
    for service in SERVICES:
        if (ROOT / "services" / service / "pyproject.toml").exists():
            targets += ["-e", str(ROOT / "services" / service)]
    subprocess.run([*pip, *targets], check=True)
    stamp.write_text(wanted)


def ensure_test_binaries() -> None:
    """The tests run real torrent clients and a real browser; install them where we may."""
    missing = [pkg for binary, pkg in TEST_BINARIES.items() if not shutil.which(binary)]
    if not missing:
        return
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing {', '.join(missing)} with apt-get...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
    else:
        print(
            f"Missing test tools: {', '.join(missing)}. Install them (e.g. apt-get install {' '.join(missing)}); "
            "the tests that need them will fail.",
            flush=True,
        )


def main() -> int:
    args = sys.argv[1:]
    os.chdir(ROOT)
    if args[:1] == ["test"]:
        ensure_venv(with_tests=True)
        ensure_test_binaries()
        return subprocess.call([str(_bin("python")), "-m", "pytest", *args[1:]])
    ensure_venv(with_tests=False)
    return subprocess.call([str(_bin("niluflix")), *(args or ["up"])])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
