"""`python -m ui` as its own process, used in a real headless browser against the test gateway."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from niluflix.contracts.downloads import JobState
from niluflix.testing.net import free_port

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def running_ui(host: str, gateway_url: str, data_dir: Path, log_path: Path) -> Iterator[str]:
    """`python -m ui` listening on `host`, using the gateway at `gateway_url`; yields the UI's URL."""
    port = free_port()
    env = os.environ | {
        "NILUFLIX_GATEWAY_URL": gateway_url,
        "NILUFLIX_UI_HOST": host,
        "NILUFLIX_UI_PORT": str(port),
        "NILUFLIX_DATA_DIR": str(data_dir),
        "NILUFLIX_LOG_LEVEL": "warning",
    }
    env.pop("NILUFLIX_UI_GATEWAY_URL", None)
    env.pop("NILUFLIX_API_KEY", None)
    log = log_path.open("wb")
    process = subprocess.Popen([sys.executable, "-m", "ui"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=1).text == "ok":
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the UI did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def ui_url(gateway_server, tmp_path: Path) -> Iterator[str]:
    with running_ui("127.0.0.1", gateway_server.url, tmp_path / "ui-data", tmp_path / "ui.log") as url:
        yield url


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the current run (its 'running' widget is gone)."""
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=20_000)


def test_the_dashboard_in_a_browser(ui_url: str, gateway_server, tmp_path: Path) -> None:
    gateway_server.state.add_job(
        133701,
        JobState.DOWNLOADING,
        release_name="Tears.of.Steel.2012.1080p.BluRay.x264-OPEN",
        progress=0.425,
        size=1_200_000_000,
        downloaded=510_000_000,
        speed_bps=3_400_000,
        eta_seconds=203,
        peers=14,
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(ui_url)
            expect(page.get_by_text("Trending now")).to_be_visible(timeout=30_000)
            # A browser on this machine is never asked to sign in.
            expect(page.get_by_text("Sign in to NiluFlix")).to_have_count(0)
            expect(page.get_by_text("Set a password")).to_have_count(0)
            settle(page)
            shelf = page.locator('[class*="st-key-shelf-trending"]')
            for title in ("Big Buck Bunny", "Sintel", "Tears of Steel", "Elephants Dream"):
                expect(shelf.get_by_role("button", name=title, exact=True)).to_be_visible()
            posters = shelf.locator("img.nf-poster")
            expect(posters).to_have_count(7)
            # An inline SVG poster really drew (a broken image has no natural width).
            assert posters.first.evaluate("img => img.complete && img.naturalWidth > 0")
            page.screenshot(path=tmp_path / "home.png")

            shelf.get_by_role("button", name="Sintel", exact=True).click()
            expect(page.get_by_text("searches the world for the baby dragon")).to_be_visible(timeout=20_000)
            settle(page)
            page.get_by_role("button", name="Download").click()
            expect(page.get_by_text("Queued: NiluFlix is looking for the best release")).to_be_visible(
                timeout=20_000
            )
            assert len(gateway_server.state.calls_to("POST", "/api/movies/45745/download")) == 1
            page.screenshot(path=tmp_path / "movie.png")

            page.get_by_role("link", name="Downloads").click()
            expect(page.locator('[data-testid="stProgress"]').first).to_be_visible(timeout=20_000)
            expect(page.get_by_text("42.5% · 510.0 MB of 1.2 GB")).to_be_visible()
            expect(page.get_by_text("Tears.of.Steel.2012.1080p.BluRay.x264-OPEN")).to_be_visible()
            settle(page)
            page.screenshot(path=tmp_path / "downloads.png")
        finally:
            browser.close()
    assert (tmp_path / "home.png").stat().st_size > 10_000


def test_no_indexer_yet_leads_to_the_settings_indexers(ui_url: str, gateway_server, tmp_path: Path) -> None:
    state = gateway_server.state
    state.settings = state.settings.model_copy(update={"indexers": []})
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(ui_url)
            expect(page.get_by_text("NiluFlix has nowhere to look for downloads")).to_be_visible(
                timeout=30_000
            )
            settle(page)
            expect(page.get_by_role("button", name="Download")).to_have_count(0)
            page.screenshot(path=tmp_path / "home-no-indexer.png")

            page.get_by_role("link", name="Add an indexer in Settings").click()
            expect(page.get_by_text("(its Torznab URL and API key) and press Save")).to_be_visible(
                timeout=20_000
            )
            assert page.url.endswith("/settings?section=indexers"), page.url
            settle(page)
            page.screenshot(path=tmp_path / "settings-add-indexer.png")
        finally:
            browser.close()


def test_a_show_page_in_a_browser(ui_url: str, gateway_server, tmp_path: Path) -> None:
    state = gateway_server.state
    state.add_episode_file(60002, 2, [1], 1_000_000_000)
    state.add_episode_file(60003, 1, [1, 2], 2_000_000_000)
    state.add_library_item(45745, "Sintel", 2010, 700_000_000)
    state.add_job(133701, JobState.DOWNLOADING, progress=0.3)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(ui_url)
            expect(page.get_by_text("Trending shows")).to_be_visible(timeout=30_000)
            settle(page)
            page.get_by_text("Popular shows").scroll_into_view_if_needed()
            shows = page.locator('[class*="st-key-shelf-tv-trending"]')
            expect(shows.get_by_role("button", name="Harbor Lights", exact=True)).to_be_visible()
            expect(shows.locator(".nf-badge")).to_have_text(["In library", "In library"])
            trending = page.locator('[class*="st-key-shelf-trending"]')
            expect(trending.locator(".nf-badge")).to_have_text(["In library", "Downloading"])
            page.screenshot(path=tmp_path / "home-shows.png")

            # The poster itself opens the show, not only the title under it.
            page.locator('[class*="st-key-poster-tv-trending-60002"] button').click()
            expect(page.get_by_text("smallest radio station on the coast")).to_be_visible(timeout=20_000)
            expect(page.get_by_text("Returning Series")).to_be_visible()
            settle(page)
            page.screenshot(path=tmp_path / "show-season-1.png")
            page.locator('[class*="st-key-season-60002"]').get_by_text("Season 2", exact=True).click()
            row = page.locator('[class*="st-key-episode-2-"]')
            expect(row).to_have_count(5, timeout=20_000)
            settle(page)

            def state_of(number: int):
                return page.locator(f'[class*="st-key-episode-2-{number}"]')

            expect(state_of(1).get_by_text("In library")).to_be_visible()
            expect(state_of(2).get_by_text("Missing")).to_be_visible()
            expect(state_of(3).get_by_text("Missing")).to_be_visible()
            expect(state_of(4).get_by_text("Not aired yet")).to_be_visible()

            page.get_by_role("button", name="Download Season 2").click()

            expect(page.get_by_text("Downloading 2 episodes: S02E02–E03")).to_be_visible(timeout=20_000)
            expect(page.get_by_text("in the library: S02E01")).to_be_visible()
            expect(state_of(2).get_by_text("Downloading")).to_be_visible(timeout=20_000)
            expect(state_of(3).get_by_text("Downloading")).to_be_visible()
            expect(state_of(4).get_by_text("Not aired yet")).to_be_visible()
            expect(state_of(2).get_by_role("button", name="Download")).to_have_count(0)
            assert len(state.calls_to("POST", "/api/tv/60002/download")) == 1

            # The download starts: its progress shows on the episodes' rows as the page polls.
            [job] = [j for j in state.jobs.values() if j.tmdb_id == 60002]
            state.jobs[job.id] = job.model_copy(
                update={
                    "state": JobState.DOWNLOADING,
                    "progress": 0.25,
                    "size": 2_000_000_000,
                    "downloaded": 500_000_000,
                }
            )
            expect(state_of(2).get_by_text("25.0% · 500.0 MB of 2.0 GB")).to_be_visible(timeout=20_000)
            settle(page)
            page.screenshot(path=tmp_path / "show.png", full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "show.png").stat().st_size > 10_000
