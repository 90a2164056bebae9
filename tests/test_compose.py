"""docker-compose.yml is valid for Docker Compose v2, needs no .env, and keeps the layout hardlinks need.

The stack itself is run for real, with Podman, by tests/compose/test_stack.py.
"""

import json
import os
import subprocess
from pathlib import Path, PurePosixPath

import compose

ROOT = Path(__file__).resolve().parents[1]
PYTHON_SERVICES = ("catalog", "search", "downloader", "organizer", "gateway", "ui")


def compose_config(*files: str, profile: str | None = None, **env: str) -> dict:
    binary = Path(compose.__file__).parent / "docker-compose"
    # No .env and none of the stack's variables: the file must work with nothing set up front.
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("NILUFLIX_", "PUID", "PGID", "DATA_DIR"))
    }
    args = [str(binary)]
    for name in files or ("docker-compose.yml",):
        args += ["-f", str(ROOT / name)]
    if profile:
        args += ["--profile", profile]
    result = subprocess.run(
        [*args, "config", "--format", "json"],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_file_needs_no_env_and_is_complete():
    services = compose_config()["services"]
    for name in ("nats", "postgres", "transmission", *PYTHON_SERVICES):
        assert name in services, f"{name} missing"
        assert services[name].get("healthcheck"), f"{name} has no health check"
        assert services[name].get("restart") == "unless-stopped"
    for name in PYTHON_SERVICES:
        build = services[name]["build"]
        assert build["target"] == name and (ROOT / build.get("dockerfile", "Dockerfile")).exists()
        assert services[name]["user"] == "1000:1000"
        # one config volume for all: the secret key one service generates is the key of them all
        assert any(
            v["type"] == "volume" and v["source"] == "config" and v["target"] == "/config"
            for v in services[name]["volumes"]
        ), f"{name} does not share the config volume"
        assert services[name]["environment"]["NILUFLIX_DATA_DIR"] == "/config"
        assert services[name]["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert "demo" not in services, "the demo runs only with --profile demo"


def test_ui_and_gateway_are_published_on_every_interface():
    services = compose_config()["services"]
    for name, port in (("gateway", 7979), ("ui", 8501)):
        (published,) = services[name]["ports"]
        assert published["host_ip"] == "0.0.0.0" and published["published"] == str(port)


def test_the_gateway_answers_to_the_name_the_ui_uses():
    services = compose_config()["services"]
    assert services["ui"]["environment"]["NILUFLIX_GATEWAY_URL"] == "http://gateway:7979"
    assert services["gateway"]["environment"]["NILUFLIX_GATEWAY_ALLOWED_HOSTS"] == "gateway,"
    more = compose_config(NILUFLIX_GATEWAY_ALLOWED_HOSTS="nas.local")["services"]
    assert more["gateway"]["environment"]["NILUFLIX_GATEWAY_ALLOWED_HOSTS"] == "gateway,nas.local"


def test_downloads_and_library_share_one_mount_for_hardlinks():
    services = compose_config(DATA_DIR="/srv/niluflix")["services"]
    for name in ("init", "downloader", "organizer", "transmission"):
        mounts = {(v["source"], v["target"]) for v in services[name]["volumes"] if v["type"] == "bind"}
        assert ("/srv/niluflix", "/data") in mounts, f"{name} does not mount the data folder at /data"
    env = services["organizer"]["environment"]
    assert env["NILUFLIX_LIBRARY_DIR"].startswith("/data/")
    assert services["downloader"]["environment"]["NILUFLIX_DOWNLOADS_DIR"].startswith("/data/")
    defaults = json.loads((ROOT / "infra/transmission/settings.json").read_text())
    assert defaults["incomplete-dir"].startswith("/data/torrents/") and defaults["incomplete-dir-enabled"]


def test_demo_profile_and_ci_override():
    services = compose_config("docker-compose.yml", "infra/ci/docker-compose.ci.yml", profile="demo")[
        "services"
    ]
    assert services["demo"]["build"]["target"] == "demo"
    for name in ("nats", "postgres", "transmission"):
        assert services[name]["image"].startswith("localhost/niluflix-ci/"), name
    assert services["gateway"]["build"]["args"]["PYTHON_IMAGE"] == "localhost/python:3.11-slim"
    # the override swaps images only: the real file keeps the official ones users pull
    real = compose_config()["services"]
    assert real["transmission"]["image"].startswith("lscr.io/linuxserver/transmission")


def test_nats_admits_only_the_services_with_the_credentials_init_makes():
    services = compose_config(profile="demo")["services"]
    init, nats = services["init"], services["nats"]
    # init writes NATS's copy on the nats-auth volume; NATS mounts that volume where its config includes it from
    written = PurePosixPath(init["environment"]["NILUFLIX_STACK_NATS_CONFIG"])
    (init_mount,) = [v for v in init["volumes"] if v["source"] == "nats-auth"]
    assert written.parent == PurePosixPath(init_mount["target"])
    mounts = {v["target"]: v for v in nats["volumes"]}
    config_path = PurePosixPath(nats["command"][nats["command"].index("-c") + 1])
    assert mounts[str(config_path)]["source"].endswith("infra/nats/nats-server.conf")
    (include,) = [
        line.split(None, 1)[1]
        for line in (ROOT / "infra/nats/nats-server.conf").read_text().splitlines()
        if line.startswith("include ")
    ]
    # nats-server resolves an include against the including file's folder, never as an absolute path
    included = config_path.parent / PurePosixPath(include).relative_to(".")
    auth_mount = mounts[str(included.parent)]
    assert (
        auth_mount["source"] == "nats-auth" and auth_mount.get("read_only") and included.name == written.name
    )
    assert nats["depends_on"]["init"]["condition"] == "service_completed_successfully"
    # only init and NATS see NATS's copy; the services read theirs from the config volume init gives them
    assert {
        n for n, s in services.items() if any(v["source"] == "nats-auth" for v in s.get("volumes", []))
    } == {
        "init",
        "nats",
    }
    for name in ("catalog", "search", "downloader", "organizer", "gateway", "demo"):
        env = services[name]["environment"]
        assert env["NILUFLIX_NATS_CREDENTIALS_FILE"] == "/config/nats-credentials.json", name
        assert "@" not in env["NATS_URL"], "the password stays out of the environment"
        assert services[name]["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert init["environment"]["NILUFLIX_DATA_DIR"] == "/config"
