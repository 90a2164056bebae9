"""A user presses Download on a movie and finds the file in the library: with each torrent client."""

import filecmp
import json
import os
from pathlib import Path

import httpx
import pytest

from niluflix.testing.torrent_daemons import qbittorrent_daemon, transmission_daemon

from .conftest import SINTEL, get_job, library_items, wait_for


def download_and_check(stack, world, ws_events, tmp_path: Path) -> dict:
    events = ws_events(stack)
    resp = httpx.post(f"{stack.gateway_url}/api/movies/{SINTEL.id}/download", json={}, timeout=30)
    assert resp.status_code == 202, resp.text
    job = resp.json()
    assert job["state"] == "queued" and job["tmdb_id"] == SINTEL.id

    done = wait_for(
        "the job to complete", lambda: (j := get_job(stack, job["id"]))["state"] == "completed" and j
    )
    assert done["release_name"] == world.best.name, "should pick the seeded 1080p of the right year"
    assert done["progress"] == 1.0

    item = wait_for(
        "the movie in the library",
        lambda: next((i for i in library_items(stack) if i["job_id"] == job["id"]), None),
    )
    expected = tmp_path / "library" / "Movies" / "Sintel (2010)" / "Sintel (2010).mkv"
    assert Path(item["path"]) == expected
    assert item["title"] == "Sintel" and item["year"] == 2010 and item["tmdb_id"] == SINTEL.id
    assert filecmp.cmp(expected, world.best.video.source, shallow=False)
    # The completion carried the title's facts from catalog: the IMDb id reaches the library.
    assert json.loads((expected.parent / "metadata.json").read_text())["imdb_id"] == SINTEL.imdb_id
    assert [p.name for p in expected.parent.iterdir() if p.suffix == ".mkv"] == [expected.name]

    wait_for("the lifecycle events on the WebSocket", lambda: "completed" in events.names_for(job["id"]), 20)
    names = events.names_for(job["id"])
    assert names.index("queued") < names.index("started") < names.index("completed")
    downloaded = httpx.get(f"{stack.gateway_url}/api/movies/downloaded", timeout=10).json()["items"]
    assert [i["tmdb_id"] for i in downloaded] == [SINTEL.id]
    return item


@pytest.mark.e2e
def test_movie_flow_with_the_embedded_engine(stack_factory, world, ws_events, tmp_path):
    stack = stack_factory({"kind": "embedded"})
    item = download_and_check(stack, world, ws_events, tmp_path)
    # Same filesystem: the library file is a hardlink of the download, so the torrent keeps seeding.
    assert os.stat(item["path"]).st_nlink == 2


@pytest.mark.e2e
def test_movie_flow_with_transmission_on_postgresql(stack_factory, world, ws_events, tmp_path, e2e_postgres):
    with transmission_daemon(tmp_path / "transmission") as daemon:
        stack = stack_factory(
            {
                "kind": "transmission",
                "url": daemon.url,
                "username": daemon.username,
                "password": daemon.password,
            },
            database_url=e2e_postgres,
        )
        download_and_check(stack, world, ws_events, tmp_path)


@pytest.mark.e2e
def test_movie_flow_with_qbittorrent(stack_factory, world, ws_events, tmp_path):
    with qbittorrent_daemon(tmp_path / "qbittorrent") as daemon:
        stack = stack_factory(
            {
                "kind": "qbittorrent",
                "url": daemon.url,
                "username": daemon.username,
                "password": daemon.password,
            }
        )
        download_and_check(stack, world, ws_events, tmp_path)
