"""Crashes at the worst moments lose nothing and duplicate nothing."""

from pathlib import Path

import httpx
import pytest

from niluflix.demo.swarm import MiB

from .conftest import SINTEL, get_job, library_items, wait_for


def movie_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "library" / "Movies" / "Sintel (2010)"
    return sorted(p for p in folder.iterdir() if p.suffix == ".mkv") if folder.exists() else []


@pytest.mark.e2e
def test_downloader_killed_mid_download_finishes_once(stack_factory, world, tmp_path):
    # Slow the seeder so the kill lands while bytes are moving.
    world.swarm.seeder.set_upload_limit(world.best.info_hash, MiB // 2)
    stack = stack_factory({"kind": "embedded"})
    job = httpx.post(f"{stack.gateway_url}/api/movies/{SINTEL.id}/download", json={}, timeout=30).json()
    wait_for(
        "bytes to move",
        lambda: (j := get_job(stack, job["id"]))["state"] == "downloading" and 0.05 < j["progress"] < 0.9,
    )
    stack.processes["downloader"].kill()
    # The user presses Download again while the downloader is down: still one job, never two.
    again = httpx.post(f"{stack.gateway_url}/api/movies/{SINTEL.id}/download", json={}, timeout=30)
    assert again.status_code in (202, 503), again.text
    world.swarm.seeder.set_upload_limit(world.best.info_hash, 0)
    stack.start_service("downloader")

    wait_for(
        "the job to complete after the restart", lambda: get_job(stack, job["id"])["state"] == "completed"
    )
    wait_for("the movie in the library", lambda: any(i["job_id"] == job["id"] for i in library_items(stack)))
    jobs = httpx.get(f"{stack.gateway_url}/api/downloads/history", timeout=10).json()["jobs"]
    jobs += httpx.get(f"{stack.gateway_url}/api/downloads/active", timeout=10).json()["jobs"]
    assert [j["id"] for j in jobs if j["tmdb_id"] == SINTEL.id] == [job["id"]]
    assert len(movie_files(tmp_path)) == 1
    assert len([i for i in library_items(stack) if i["tmdb_id"] == SINTEL.id]) == 1


@pytest.mark.e2e
def test_organizer_killed_between_file_and_row_imports_once(stack_factory, world, tmp_path):
    # A short ack wait: the crashed organizer's unacked completion comes back after it, not after a minute.
    env = {"NILUFLIX_FAILPOINTS": "organizer.after_place", "NILUFLIX_ORGANIZER_ACK_WAIT": "5"}
    stack = stack_factory({"kind": "embedded"}, env=env)
    job = httpx.post(f"{stack.gateway_url}/api/movies/{SINTEL.id}/download", json={}, timeout=30).json()
    organizer = stack.processes["organizer"]
    wait_for("the organizer to die at the failpoint", lambda: not organizer.alive())
    assert len(movie_files(tmp_path)) == 1, "the file was placed before the crash"
    assert not any(i["job_id"] == job["id"] for i in library_items_or_empty(stack))

    stack.start_service("organizer")
    wait_for("the movie in the library", lambda: any(i["job_id"] == job["id"] for i in library_items(stack)))
    assert len(movie_files(tmp_path)) == 1
    assert len([i for i in library_items(stack) if i["tmdb_id"] == SINTEL.id]) == 1


def library_items_or_empty(stack) -> list[dict]:
    resp = httpx.get(f"{stack.gateway_url}/api/library/movies", timeout=10)
    return resp.json().get("items", []) if resp.status_code == 200 else []
