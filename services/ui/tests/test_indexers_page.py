"""The settings page's indexer tools against the real gateway and search service: test connection, providers.

Everything runs on loopback: a NATS server of the test's own, the gateway (SQLite), the search service, a
Torznab server and a YTS server; the dashboard runs as Streamlit runs it.
"""

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from faststream import TestApp
from gateway.main import create_app as create_gateway
from gateway.main import server_config
from gateway.settings import GatewaySettings
from search.main import create_app as create_search
from search.settings import SearchSettings
from streamlit.testing.v1 import AppTest

from niluflix.demo.torznab import TorznabItem, TorznabServer
from niluflix.testing.nats_server import embedded_nats
from niluflix.testing.net import free_port
from niluflix.testing.providers import YtsMovie, YtsServer, YtsTorrent

APP = Path(__file__).parents[1] / "ui" / "dashboard" / "app.py"
KEY = "torznab-key-0815"
ENV = (
    "NILUFLIX_API_KEY",
    "NILUFLIX_TMDB_API_KEY",
    "NILUFLIX_LIBRARY_DIR",
    "NILUFLIX_TORRENT_CLIENT",
    "NILUFLIX_INDEXERS",
    "NILUFLIX_PROVIDERS",
    "NILUFLIX_SECRET_KEY",
    "DATABASE_URL",
    "NILUFLIX_GATEWAY_DATABASE_URL",
    "NILUFLIX_UI_GATEWAY_URL",
)


@pytest.fixture
def niluflix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The gateway and the search service on one loop in a thread; yields the gateway's URL."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    with embedded_nats(store_dir=tmp_path / "nats") as nats_url:
        settings = GatewaySettings(
            nats_url=nats_url,
            data_dir=tmp_path / "data",
            database_url=f"sqlite:///{tmp_path / 'gateway.db'}",
            host="127.0.0.1",
            port=free_port(),
            request_timeout=10,
            health_timeout=2,
        )
        ready = threading.Event()
        failed: list[BaseException] = []
        loops: list[asyncio.AbstractEventLoop] = []
        stop = asyncio.Event()

        async def run() -> None:
            loops.append(asyncio.get_running_loop())
            server = uvicorn.Server(server_config(create_gateway(settings), settings))
            server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
            serving = asyncio.create_task(server.serve())
            while not server.started:
                if serving.done():
                    serving.result()
                await asyncio.sleep(0.02)
            search = SearchSettings(nats_url=nats_url, data_dir=settings.data_dir, indexer_timeout=2)
            try:
                async with TestApp(create_search(search)):
                    ready.set()
                    await stop.wait()
            finally:
                server.should_exit = True
                await serving

        def main() -> None:
            try:
                asyncio.run(run())  # which also ends nats-py's leftover tasks before closing the loop
            except BaseException as exc:  # noqa: BLE001 - handed to the test
                failed.append(exc)
                ready.set()

        thread = threading.Thread(target=main, name="niluflix", daemon=True)
        thread.start()
        ready.wait(30)
        if failed:
            raise failed[0]
        try:
            yield f"http://127.0.0.1:{settings.port}"
        finally:
            loops[0].call_soon_threadsafe(stop.set)
            thread.join(30)


@pytest.fixture
def settings_page(niluflix: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sign_in) -> AppTest:
    monkeypatch.setenv("NILUFLIX_GATEWAY_URL", niluflix)
    monkeypatch.setenv(
        "NILUFLIX_DATA_DIR", str(tmp_path / "data")
    )  # the gateway's: one folder, as in Compose
    at = sign_in(AppTest.from_file(APP, default_timeout=30))
    return at.switch_page("views/settings.py")


def messages(at: AppTest, kind: str) -> list[str]:
    return [str(e.value).replace("\\", "") for e in at.get(kind)]


def test_test_connection_says_in_words_whether_an_indexer_works(
    niluflix: str, settings_page: AppTest
) -> None:
    item = TorznabItem(
        "Sintel.2010.1080p.BluRay.x264-DEMO", size=2_000_000_000, magnet_uri="magnet:?xt=urn:btih:" + "b" * 40
    )
    with TorznabServer([item], api_key=KEY) as torznab:
        for name, key in (("Demo", KEY), ("Locked", "wrong")):
            r = httpx.post(
                f"{niluflix}/api/indexers", json={"name": name, "url": torznab.url, "api_key": key}
            )
            assert r.status_code == 201
        at = settings_page.run()
        assert not at.exception

        at.selectbox(key="indexer-to-test").select("Demo").run()
        at.button(key="test-indexer").click().run()
        assert "Demo: Works: movie search by IMDb id; 1 release in a sample search" in messages(at, "success")

        at.selectbox(key="indexer-to-test").select("Locked").run()
        at.button(key="test-indexer").click().run()
        assert (
            "Locked: Failed while reading its capabilities: Invalid API Key (Torznab error 100)"
            in messages(at, "error")
        )
    assert KEY not in "\n".join(messages(at, "markdown") + messages(at, "success") + messages(at, "error"))


def test_a_provider_switched_on_in_the_page_is_saved_and_reaches_search(
    niluflix: str, settings_page: AppTest
) -> None:
    with YtsServer([YtsMovie("Sintel", 2010, "tt1727587", torrents=[YtsTorrent("1080p")])]) as yts:
        at = settings_page.run()
        assert "Add a Torznab indexer above, save, then test it here." in messages(at, "caption")

        at.toggle(key="provider-yts-enabled").set_value(True)
        at.text_input(key="provider-yts-url").input(yts.base_url)
        at.button(key="FormSubmitter:providers-Save providers").click().run()

        assert not at.exception
        assert "Providers saved" in messages(at, "success")
        saved = httpx.get(f"{niluflix}/api/settings").json()["providers"]
        assert saved["yts"] == {"enabled": True, "base_url": yts.base_url}
        assert saved["tpb"]["enabled"] is False

        # The search service follows the settings on its own; its health lists YTS once it has.
        for _ in range(100):
            indexers = httpx.get(f"{niluflix}/api/health").json()["indexers"]
            if any(i["name"] == "YTS" for i in indexers):
                break
            threading.Event().wait(0.05)
        assert {"name": "YTS", "ok": True, "detail": "ready: movie search by IMDb id"} in indexers


def test_a_provider_is_tested_at_the_address_typed_before_it_is_saved(
    niluflix: str, settings_page: AppTest
) -> None:
    with YtsServer([YtsMovie("Sintel", 2010, "tt1727587", torrents=[YtsTorrent("1080p")])]) as yts:
        at = settings_page.run()
        at.text_input(key="provider-yts-url").input(yts.base_url)
        at.button(key="provider-yts-test").click().run()

        assert not at.exception
        [answer] = messages(at, "success")
        assert answer.startswith("YTS: Works: ") and "1 release in a sample search" in answer
        # Tested, not saved: the saved address is still YTS's own.
        saved = httpx.get(f"{niluflix}/api/settings").json()["providers"]["yts"]
        assert saved == {"enabled": False, "base_url": "https://yts.mx/api/v2"}

        # A mirror that is not YTS's API says so, in words.
        at.text_input(key="provider-yts-url").input(f"{niluflix}/docs")
        at.button(key="provider-yts-test").click().run()
        [problem] = messages(at, "error")
        assert problem.startswith("YTS: Failed: ") and "check the base URL" in problem


def test_a_fresh_install_says_add_an_indexer_until_one_is_added(
    niluflix: str, settings_page: AppTest
) -> None:
    health = httpx.get(f"{niluflix}/api/health").json()
    # Healthy, not failing: the other services are not run here, so only the search service is asked.
    assert next(s for s in health["services"] if s["service"] == "search")["ok"], health
    assert {"name": "indexers", "ok": True, "detail": "no indexer yet: add an indexer in Settings"} in health[
        "indexers"
    ]
    settings_page.query_params["section"] = "indexers"  # as the Home page's "Add an indexer" link opens it
    at = settings_page.run()
    assert (
        "Add an indexer under **Indexers** below (its Torznab URL and API key) and press Save, or turn on a "
        "built-in provider under it." in messages(at, "info")
    )

    with TorznabServer([], api_key=KEY) as torznab:
        added = httpx.post(
            f"{niluflix}/api/indexers", json={"name": "Mine", "url": torznab.url, "api_key": KEY}
        )
        assert added.status_code == 201
        at = at.run()
        assert not any("Add an indexer under" in m for m in messages(at, "info"))
        for _ in range(100):  # the search service follows the settings on its own
            indexers = httpx.get(f"{niluflix}/api/health").json()["indexers"]
            if all(i["name"] != "indexers" for i in indexers):
                break
            threading.Event().wait(0.05)
        assert [i["name"] for i in indexers] == ["Mine"], indexers
