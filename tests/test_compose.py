"""docker-compose.yml is valid for Docker Compose v2 and keeps the layout hardlinks need."""

import json
import os
import subprocess
from pathlib import Path

import compose

ROOT = Path(__file__).resolve().parents[1]


def compose_config() -> dict:
    binary = Path(compose.__file__).parent / "docker-compose"
    env = {**os.environ, "NILUFLIX_SECRET_KEY": "x" * 44, "DATA_DIR": "/srv/niluflix"}
    result = subprocess.run(
        [str(binary), "-f", str(ROOT / "docker-compose.yml"), "config", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_file_is_valid_and_complete():
    config = compose_config()
    services = config["services"]
    for name in (
        "nats",
        "postgres",
        "transmission",
        "catalog",
        "search",
        "downloader",
        "organizer",
        "gateway",
        "ui",
    ):
        assert name in services, f"{name} missing"
        assert services[name].get("healthcheck"), f"{name} has no health check"
        assert services[name].get("restart") == "unless-stopped"
    for name in ("catalog", "search", "downloader", "organizer", "gateway", "ui"):
        dockerfile = ROOT / services[name]["build"]["dockerfile"]
        assert dockerfile.exists(), f"{dockerfile} missing"
        assert services[name]["user"] == "1000:1000"


def test_downloads_and_library_share_one_mount_for_hardlinks():
    services = compose_config()["services"]
    for name in ("downloader", "organizer", "transmission"):
        mounts = {(v["source"], v["target"]) for v in services[name]["volumes"] if v["type"] == "bind"}
        assert ("/srv/niluflix", "/data") in mounts, f"{name} does not mount the data folder at /data"
    env = services["organizer"]["environment"]
    assert env["NILUFLIX_LIBRARY_DIR"].startswith("/data/")
    assert services["downloader"]["environment"]["NILUFLIX_DOWNLOADS_DIR"].startswith("/data/")


def test_compose_refuses_to_start_without_a_secret_key():
    binary = Path(compose.__file__).parent / "docker-compose"
    env = {k: v for k, v in os.environ.items() if k != "NILUFLIX_SECRET_KEY"}
    result = subprocess.run(
        [str(binary), "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode != 0 and "NILUFLIX_SECRET_KEY" in result.stderr
