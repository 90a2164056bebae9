"""Remote access end to end: every service as its own process, a loopback Supabase project, the phone's side
through supabase-py with the user's own login. A command queued while the home is off runs once when it is
back; a gateway killed after the downloader committed the job but before the command's outcome was recorded
finishes the command on restart without a second download."""

import httpx
import pytest
from supabase import Client, create_client

from .conftest import SINTEL, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

EMAIL, PASSWORD = "owner@example.com", "a long enough password 1"
FAST = {
    "NILUFLIX_GATEWAY_REMOTE_POLL_SECONDS": "1",
    "NILUFLIX_GATEWAY_REMOTE_HEARTBEAT_SECONDS": "2",
    "NILUFLIX_GATEWAY_REMOTE_PROGRESS_SECONDS": "1",
}


def enable(stack, project) -> dict:
    r = httpx.post(
        f"{stack.gateway_url}/api/remote/enable",
        json={
            "supabase_url": project.url,
            "anon_key": project.anon_key,
            "email": EMAIL,
            "password": PASSWORD,
        },
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return r.json()


def phone(project) -> Client:
    client = create_client(project.url, project.anon_key)
    client.auth.sign_in_with_password({"email": EMAIL, "password": PASSWORD})
    return client


def queue_download(the_phone: Client, desktop_app_id: str) -> dict:
    return (
        the_phone.table("remote_downloads")
        .insert(
            {
                "desktop_app_id": desktop_app_id,
                "action": "download",
                "media_type": "movie",
                "tmdb_id": SINTEL.id,
                "payload": {"title": "Sintel", "year": 2010},
            }
        )
        .execute()
        .data[0]
    )


def command_row(the_phone: Client, command_id: str) -> dict:
    return the_phone.table("remote_downloads").select("*").eq("id", command_id).execute().data[0]


def sintel_jobs(stack) -> list[dict]:
    jobs = []
    for which in ("active", "history"):
        r = httpx.get(f"{stack.gateway_url}/api/downloads/{which}", timeout=10)
        r.raise_for_status()
        jobs += r.json()["jobs"]
    return [j for j in jobs if j["tmdb_id"] == SINTEL.id]


def test_a_command_queued_while_the_home_is_off_runs_once_when_it_is_back(
    stack_factory, supabase_project
) -> None:
    project = supabase_project
    project.create_user(EMAIL, PASSWORD)
    stack = stack_factory({"kind": "embedded"}, env=FAST)
    status = enable(stack, project)
    the_phone = phone(project)

    stack.processes["gateway"].stop()  # a clean stop: the home says it is offline
    assert project.sql("SELECT is_online FROM remote_sessions") == [{"is_online": False}]
    command = queue_download(the_phone, status["desktop_app_id"])
    assert command_row(the_phone, command["id"])["status"] == "pending"

    stack.start_service("gateway")
    done = wait_for(
        "the command carried out",
        lambda: (row := command_row(the_phone, command["id"]))["status"] in ("completed", "failed") and row,
        timeout=60,
    )
    assert (done["status"], done["result_message"]) == ("completed", "queued: Sintel (2010)")
    assert len(sintel_jobs(stack)) == 1

    # The download's state reaches the phone through the mirror, from the real downloader and organizer.
    wait_for(
        "Sintel in the library on the phone",
        lambda: [
            r
            for r in the_phone.table("shared_library").select("*").eq("tmdb_id", SINTEL.id).execute().data
            if r["download_status"] == "completed" and r["progress"] == 100
        ],
        timeout=120,
    )
    assert len(sintel_jobs(stack)) == 1
    assert project.sql("SELECT is_online FROM remote_sessions") == [{"is_online": True}]


def test_a_gateway_killed_between_running_a_command_and_recording_it_does_not_download_twice(
    stack_factory, supabase_project
) -> None:
    project = supabase_project
    project.create_user(EMAIL, PASSWORD)
    # The gateway kills itself once: after the downloader committed the job, before the outcome is recorded.
    stack = stack_factory(
        {"kind": "embedded"}, env=FAST | {"NILUFLIX_FAILPOINTS": "gateway.remote_after_run"}
    )
    status = enable(stack, project)
    the_phone = phone(project)

    command = queue_download(the_phone, status["desktop_app_id"])
    gateway = stack.processes["gateway"]
    wait_for("the gateway to die at the failpoint", lambda: not gateway.alive(), timeout=60)
    assert command_row(the_phone, command["id"])["status"] == "processing"

    stack.start_service("gateway")
    done = wait_for(
        "the command finished after the restart",
        lambda: (row := command_row(the_phone, command["id"]))["status"] in ("completed", "failed") and row,
        timeout=60,
    )
    assert (done["status"], done["result_message"]) == ("completed", "queued: Sintel (2010)")
    jobs = sintel_jobs(stack)
    assert len(jobs) == 1, jobs  # the downloader answered the command's id with the job it had made
