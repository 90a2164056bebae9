"""A user opens a movie's releases, picks one that is not the automatic choice, and gets that file.

The picked release is offered only as a `.torrent` link through an indexer that wants its API key in the link
(as Jackett's and Prowlarr's links do): the browser never sees the key, the download still works.
"""

import filecmp
from pathlib import Path

import httpx
import pytest

from niluflix.demo.swarm import MiB
from niluflix.demo.torznab import TorznabItem

from .conftest import SINTEL, get_job, library_items, wait_for


@pytest.mark.e2e
def test_a_release_picked_by_hand_lands_in_the_library(stack_factory, world, tmp_path: Path) -> None:
    picked = world.swarm.seed("Sintel.2010.2160p.WEB-DL.DDP5.1.x265-PICK", 3 * MiB)
    world.indexer.add(
        TorznabItem(
            title=picked.name,
            size=picked.size,
            seeders=3,
            peers=3,
            torrent=picked.torrent,
            imdb_id="tt1727587",
        )
    )
    stack = stack_factory({"kind": "embedded"})

    resp = httpx.get(f"{stack.gateway_url}/api/search/releases", params={"tmdb_id": SINTEL.id}, timeout=60)
    assert resp.status_code == 200, resp.text
    assert world.indexer.api_key not in resp.text, "the indexer's key reached the browser"
    found = resp.json()
    assert found["releases"][0]["name"] == world.best.name  # what NiluFlix would pick by itself
    [release] = [r for r in found["releases"] if r["name"] == picked.name]
    assert "apikey=********" in release["torrent_url"] and release["magnet_uri"] is None
    assert release["parsed"]["resolution"] == "2160p" and release["parsed"]["codec"] == "x265"

    resp = httpx.post(
        f"{stack.gateway_url}/api/movies/{SINTEL.id}/download", json={"release": release}, timeout=30
    )
    assert resp.status_code == 202, resp.text
    job = resp.json()
    assert job["release_name"] == picked.name

    done = wait_for(
        "the picked release to download",
        lambda: (j := get_job(stack, job["id"]))["state"] == "completed" and j,
    )
    assert done["release_name"] == picked.name
    item = wait_for(
        "the movie in the library",
        lambda: next((i for i in library_items(stack) if i["job_id"] == job["id"]), None),
    )
    expected = tmp_path / "library" / "Movies" / "Sintel (2010)" / "Sintel (2010).mkv"
    assert Path(item["path"]) == expected
    assert filecmp.cmp(expected, picked.video.source, shallow=False)
