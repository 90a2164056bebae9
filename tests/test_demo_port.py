"""The offline demo's indexer on a new port: settings saved while it listened on the old one follow it."""

import json
import os
from pathlib import Path

import httpx
import pytest

from niluflix.runtime.stack import Stack, StackConfig
from niluflix.testing.net import free_ports

from .conftest import taken


def indexers(stack: Stack) -> list[dict]:
    return httpx.get(f"{stack.gateway_url}/api/settings", timeout=10).json()["indexers"]


@pytest.mark.timeout(300)
def test_a_saved_demo_indexer_follows_the_demo_to_a_new_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("NILUFLIX_") or name == "NATS_URL":
            monkeypatch.delenv(name)
    library = tmp_path / "library"
    library.mkdir()
    data_dir = tmp_path / "data"
    old_port, nats_port, gateway_port, tracker_port = free_ports(4)
    # The same ports each start, as `niluflix up` asks for; NATS keeps the saved settings in the data dir.
    config = StackConfig(
        data_dir=data_dir,
        nats_port=nats_port,
        gateway_port=gateway_port,
        demo=True,
        demo_indexer_port=old_port,
        demo_tracker_port=tracker_port,
        services=("catalog", "search", "gateway"),
        env={"NILUFLIX_LIBRARY_DIR": str(library), "NILUFLIX_SECRET_KEY": ""},
    )
    old_url = f"http://127.0.0.1:{old_port}/api"

    with Stack(config) as stack:
        stack.wait_ready(timeout=120)
        # Any change in Settings saves the settings whole, the demo indexer's URL with them.
        saved = httpx.put(
            f"{stack.gateway_url}/api/settings", json={"max_concurrent_downloads": 3}, timeout=10
        )
        assert saved.status_code == 200, saved.text
        assert [(i["name"], i["url"]) for i in indexers(stack)] == [("NiluFlix Demo", old_url)]

    with taken(old_port), Stack(config) as stack:
        stack.wait_ready(timeout=120)
        new_url = json.loads((data_dir / "demo" / "ready.json").read_text())["indexer_url"]
        assert new_url != old_url
        # Saved before the services started: they read the new URL at once.
        assert [(i["name"], i["url"]) for i in indexers(stack)] == [("NiluFlix Demo", new_url)]
        assert (
            httpx.get(f"{stack.gateway_url}/api/settings", timeout=10).json()["max_concurrent_downloads"] == 3
        )
        demo_log = (data_dir / "logs" / "demo.log").read_text()
        assert f"the saved indexer(s) NiluFlix Demo now point at {new_url}" in demo_log
        # And the search service finds releases there.
        found = httpx.get(
            f"{stack.gateway_url}/api/search/releases", params={"tmdb_id": 45745, "type": "movie"}, timeout=30
        )
        assert found.status_code == 200, found.text
        names = [r["name"] for r in found.json()["releases"]]
        assert "Sintel.2010.1080p.BluRay.x264-NILU" in names, found.json()
