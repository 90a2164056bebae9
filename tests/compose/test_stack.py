"""The Compose stack, built and run for real with `--profile demo` and no .env, used through its published
ports only, as a NAS user's browser and scripts would use it.

Run it on its own (it builds images and takes minutes): `python3 run.py test -m compose tests/compose`.
"""

import json
import os
import signal
import time

import httpx
import pytest

pytestmark = [pytest.mark.compose, pytest.mark.timeout(1500)]

SINTEL = 45745  # in the catalog's offline sample, and seeded by the demo


def api_key(stack) -> str:
    # The gateway shows its generated key only to its own machine: asked inside its container, as the README
    # tells users to (`docker compose exec gateway niluflix api-key`).
    return stack.exec("gateway", "niluflix", "api-key").strip()


@pytest.fixture(scope="module")
def gateway(stack):
    with httpx.Client(
        base_url=f"http://127.0.0.1:{stack.gateway_port}", headers={"X-Api-Key": api_key(stack)}, timeout=30
    ) as client:
        yield client


def test_the_ui_answers_on_its_published_port(stack):
    health = httpx.get(f"http://127.0.0.1:{stack.ui_port}/_stcore/health", timeout=10)
    assert health.status_code == 200 and health.text == "ok"
    page = httpx.get(f"http://127.0.0.1:{stack.ui_port}/", timeout=10)
    assert page.status_code == 200 and "<html" in page.text.lower()


def test_the_gateway_asks_other_hosts_for_the_key(stack):
    # Through the published port the gateway sees the container network, not this machine.
    response = httpx.get(f"http://127.0.0.1:{stack.gateway_port}/api/movies/popular", timeout=10)
    assert response.status_code == 401


def test_the_demo_joined_the_stack_by_itself(gateway):
    health = gateway.get("/api/health").json()
    assert health["status"] == "ok", health
    assert [i["name"] for i in health["indexers"]] == ["NiluFlix Demo"]
    assert health["torrent_client"]["kind"] == "transmission"


def test_a_demo_download_lands_in_the_library_as_a_hardlink_owned_by_puid(stack, gateway):
    start = time.monotonic()
    job = gateway.post(f"/api/movies/{SINTEL}/download", json={})
    assert job.status_code == 202, job.text
    folder = stack.data_dir / "media" / "Movies" / "Sintel (2010)"
    video = folder / "Sintel (2010).mkv"
    deadline = start + 180
    while not video.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert video.exists(), gateway.get(f"/api/downloads/{job.json()['id']}").json()
    stack.timings["demo download, click to file in the library"] = time.monotonic() - start

    info = video.stat()
    assert info.st_nlink >= 2, "the library file must be a hardlink of the download, not a copy"
    assert (info.st_uid, info.st_gid) == (stack.puid, stack.pgid)
    for path in (stack.data_dir, stack.data_dir / "torrents", stack.data_dir / "media", folder):
        assert (path.stat().st_uid, path.stat().st_gid) == (stack.puid, stack.pgid), path
    # partial files went to the data folder, not into Transmission's container
    assert (stack.data_dir / "torrents" / "incomplete").is_dir()
    done = gateway.get(f"/api/downloads/{job.json()['id']}").json()
    deadline = time.monotonic() + 30
    while done["state"] != "completed" and time.monotonic() < deadline:
        time.sleep(0.5)
        done = gateway.get(f"/api/downloads/{job.json()['id']}").json()
    assert done["state"] == "completed", done


@pytest.mark.parametrize("service", ["downloader", "gateway"])
def test_a_service_killed_with_sigkill_comes_back_and_the_stack_is_healthy(stack, gateway, service):
    name = stack.container(service)
    restarts = int(stack.podman("inspect", name, "--format", "{{.RestartCount}}"))
    # SIGKILL to the container's process, as the OOM killer or a crash ends it. (`podman kill` would count as
    # the user stopping it, which the restart policy rightly leaves stopped.)
    pid = int(stack.podman("inspect", name, "--format", "{{.State.Pid}}"))
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while int(stack.podman("inspect", name, "--format", "{{.RestartCount}}")) == restarts:
        assert time.monotonic() < deadline, f"{name} was not restarted"
        time.sleep(0.5)
    stack.timings[f"{service} back to healthy after SIGKILL"] = stack.wait_healthy(timeout=180)
    assert gateway.get("/api/health").json()["status"] == "ok"
    assert gateway.get("/api/downloads/history").status_code == 200


def test_two_search_replicas_answer_every_search(stack, gateway):
    stack.compose("up", "-d", "--no-deps", "--no-recreate", "--scale", "search=2", "search")
    stack.wait_healthy(timeout=180)
    assert (
        stack.podman("inspect", stack.container("search", 2), "--format", "{{.State.Status}}").strip()
        == "running"
    )
    answers = [
        gateway.get("/api/search/releases", params={"tmdb_id": SINTEL, "type": "movie"}) for _ in range(12)
    ]
    assert [a.status_code for a in answers] == [200] * 12, [a.text for a in answers if a.status_code != 200]
    assert all(any(r["name"].startswith("Sintel.2010") for r in a.json()["releases"]) for a in answers)


# Run inside the gateway's container: another process on the stack's network tries to read every message.
EAVESDROP = """
import asyncio, json, nats

async def main():
    try:
        nc = await nats.connect("nats://nats:4222", allow_reconnect=False, connect_timeout=5)
        await nc.subscribe(">")
        print("anonymous: subscribed")
    except Exception as exc:
        print(f"anonymous: {exc}")
    with open("/config/nats-credentials.json") as f:
        creds = json.load(f)
    nc = await nats.connect("nats://nats:4222", user=creds["user"], password=creds["password"])
    await nc.subscribe(">")
    print("with the credentials: subscribed")
    await nc.close()

asyncio.run(main())
"""


def test_nats_refuses_anyone_without_the_credentials_init_made(stack):
    said = stack.exec("gateway", "python", "-c", EAVESDROP)
    assert "anonymous: nats: 'Authorization Violation'" in said, said
    assert "with the credentials: subscribed" in said, said
    password = json.loads(stack.exec("gateway", "cat", "/config/nats-credentials.json"))["password"]
    for service in ("gateway", "downloader", "nats"):
        assert password not in stack.exec(
            service, "sh", "-c", "cat /proc/*/cmdline /proc/*/environ 2>/dev/null; true"
        ), service
    for service in ("nats", "gateway", "search"):
        assert password not in stack.compose("logs", service).stdout, service


def test_a_wrong_secret_key_stops_the_stack_at_its_first_step_with_one_line(stack):
    result = stack.compose("run", "--rm", "-e", "NILUFLIX_SECRET_KEY=changeme", "init", check=False)
    assert result.returncode != 0
    said = [line for line in (result.stdout + result.stderr).splitlines() if "NILUFLIX_SECRET_KEY" in line]
    assert len(said) == 1 and "is not a valid secret key" in said[0] and "Fernet.generate_key()" in said[0], (
        said
    )
