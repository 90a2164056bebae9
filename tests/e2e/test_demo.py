"""The README's first command on a machine with no TMDB key: the offline demo, end to end."""

from pathlib import Path

import httpx
import pytest

from niluflix.runtime.stack import Stack, StackConfig
from niluflix.testing.net import free_port

from .conftest import get_job, library_items, wait_for


@pytest.mark.e2e
def test_offline_demo_downloads_a_sample_movie_into_the_library(clean_nats, tmp_path, monkeypatch):
    monkeypatch.delenv("NILUFLIX_TMDB_API_KEY", raising=False)
    config = StackConfig(
        data_dir=tmp_path / "data",
        nats_url=clean_nats,
        gateway_port=free_port(),
        demo=True,
        demo_indexer_port=free_port(),
        demo_tracker_port=free_port(),
        services=("catalog", "search", "downloader", "organizer", "gateway"),
        # The default torrent client (auto-configuration) and the default library, inside the test's home.
        env={"NILUFLIX_LIBRARY_DIR": str(tmp_path / "Movies-NiluFlix"), "NILUFLIX_SECRET_KEY": ""},
    )
    with Stack(config) as stack:
        health = stack.wait_ready(timeout=120)
        assert health["torrent_client"]["ok"], health["torrent_client"]
        print(f"[e2e] demo torrent client: {health['torrent_client']}")

        popular = httpx.get(f"{stack.gateway_url}/api/movies/popular", timeout=10).json()["results"]
        sintel = next(m for m in popular if m["title"] == "Sintel")
        assert sintel["poster_url"].startswith("data:image/svg+xml")  # works offline

        job = httpx.post(
            f"{stack.gateway_url}/api/movies/{sintel['tmdb_id']}/download", json={}, timeout=30
        ).json()
        done = wait_for(
            "the demo download", lambda: (j := get_job(stack, job["id"]))["state"] == "completed" and j, 120
        )
        assert done["release_name"] == "Sintel.2010.1080p.BluRay.x264-NILU"
        item = wait_for(
            "Sintel in the library",
            lambda: next((i for i in library_items(stack) if i["job_id"] == job["id"]), None),
        )
        expected = tmp_path / "Movies-NiluFlix" / "Movies" / "Sintel (2010)" / "Sintel (2010).mkv"
        assert Path(item["path"]) == expected and expected.stat().st_size == item["size"] > 0
    assert not any(p.alive() for p in stack.processes.values())
