"""The remote web UI for real: `python -m ui` in remote mode as its own process, a loopback Supabase project
(PostgreSQL with the project's migrations and row-level security behind a PostgREST/GoTrue-speaking server),
a loopback TMDB, and a headless browser the size of a phone opening the link the home's Remote page gives."""

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from supabase import Client, create_client

from niluflix.testing.net import free_port
from niluflix.testing.tmdb_server import TmdbEpisode, TmdbMovie, TmdbSeason, TmdbServer, TmdbShow

from .test_browser import CHROMIUM_ARGS, settle

PHONE = {"width": 390, "height": 844}
HOME_ID = "home-alice-0001"
ALICE = ("alice@example.com", "alice-password-1")
BOB = ("bob@example.com", "bob-password-1")


def signed_in(project, email: str, password: str) -> Client:
    client = create_client(project.url, project.anon_key)
    client.auth.sign_in_with_password({"email": email, "password": password})
    return client


@contextmanager
def remote_ui(tmdb: TmdbServer, log_path: Path) -> Iterator[str]:
    """`python -m ui` in remote mode with no project configured (it comes from the link); yields its URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NILUFLIX_")}
    env |= {
        "NILUFLIX_UI_MODE": "remote",
        "NILUFLIX_UI_HOST": "127.0.0.1",
        "NILUFLIX_UI_PORT": str(port),
        "NILUFLIX_UI_TMDB_API_KEY": tmdb.api_key,
        "NILUFLIX_UI_TMDB_BASE_URL": tmdb.base_url,
        "NILUFLIX_DATA_DIR": str(log_path.parent / "ui-data"),
        "NILUFLIX_LOG_LEVEL": "warning",
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ui"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/_stcore/health", timeout=1).text == "ok":
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the remote UI did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def tmdb() -> Iterator[TmdbServer]:
    with TmdbServer(
        [TmdbMovie(id=10378, title="Big Buck Bunny", release_date="2008-05-30", popularity=8.0)],
        shows=[
            TmdbShow(
                id=60002,
                name="Harbor Lights",
                first_air_date="2024-01-05",
                popularity=5.0,
                seasons=[TmdbSeason(n, [TmdbEpisode(1, air_date="2024-01-05")]) for n in (1, 2)],
            )
        ],
    ) as server:
        yield server


LIBRARY_ROW = {"year": None, "poster_path": None, "progress": None, "detail": {}}


def mirror_a_home(client: Client, last_sync: datetime) -> None:
    """What a home instance writes, written here as its user would (row-level security applies). A batch
    names every column in every row, as PostgREST fills a missing one with NULL."""
    client.table("remote_sessions").insert(
        {"desktop_app_id": HOME_ID, "display_name": "Living-room NAS", "last_sync": last_sync.isoformat()}
    ).execute()
    client.table("shared_library").insert(
        [
            LIBRARY_ROW | row
            for row in [
                {
                    "desktop_app_id": HOME_ID,
                    "media_type": "movie",
                    "tmdb_id": 45745,
                    "title": "Sintel",
                    "year": 2010,
                    "poster_path": "/sintel.jpg",
                    "download_status": "completed",
                },
                {
                    "desktop_app_id": HOME_ID,
                    "media_type": "movie",
                    "tmdb_id": 133701,
                    "title": "Tears of Steel",
                    "year": 2012,
                    "download_status": "downloading",
                    "progress": 42.5,
                    "detail": {
                        "downloads": [
                            {
                                "job_id": "5b0c4c8e-0000-4000-8000-000000000001",
                                "label": "Tears of Steel",
                                "state": "downloading",
                                "progress": 42.5,
                                "waiting_for": None,
                            }
                        ]
                    },
                },
                {
                    "desktop_app_id": HOME_ID,
                    "media_type": "tv",
                    "tmdb_id": 60003,
                    "title": "The Quiet Orbit",
                    "year": 2025,
                    "download_status": "completed",
                    "detail": {"episodes_in_library": 3},
                },
            ]
        ]
    ).execute()


def rerun_done(page: Page) -> None:
    """Wait for the run a widget's change starts to begin, then to end (a click meanwhile could be lost)."""
    try:
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="attached", timeout=3_000)
    except PlaywrightTimeout:
        pass  # it was over before we looked
    settle(page)


def open_link(page: Page, ui_url: str, project) -> None:
    page.goto(f"{ui_url}/?{urlencode({'supabase_url': project.url, 'anon_key': project.anon_key})}")


def sign_in(page: Page, email: str, password: str) -> None:
    expect(page.get_by_text("Sign in to NiluFlix")).to_be_visible(timeout=30_000)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_the_remote_web_ui_on_a_phone(
    supabase_project, tmdb: TmdbServer, browser: Browser, tmp_path: Path
) -> None:
    project = supabase_project
    alice_id = project.create_user(*ALICE)
    project.create_user(*BOB)
    alice = signed_in(project, *ALICE)
    mirror_a_home(alice, last_sync=datetime.now(UTC) - timedelta(hours=2))

    with remote_ui(tmdb, tmp_path / "remote-ui.log") as ui_url:
        page = browser.new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        open_link(page, ui_url, project)
        expect(page.get_by_text("Sign in to NiluFlix")).to_be_visible(timeout=30_000)
        settle(page)
        page.screenshot(path=tmp_path / "remote-sign-in.png")
        sign_in(page, *ALICE)

        # The mirrored library, and the home offline by its stale heartbeat.
        expect(page.get_by_text("Offline, last seen 2 hours ago")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Living-room NAS")).to_be_visible()
        library = page.locator('[class*="st-key-title-movie-"]')
        expect(library.locator(".nf-rtitle")).to_have_text(["Sintel", "Tears of Steel"])
        expect(page.locator('[class*="st-key-title-movie-45745"]').get_by_text("In library")).to_be_visible()
        expect(page.get_by_text("Downloading · 42%")).to_be_visible()
        poster = page.locator('[class*="st-key-title-movie-45745"] img.nf-rposter')
        assert poster.get_attribute("src") == "https://image.tmdb.org/t/p/w185/sintel.jpg"
        settle(page)
        page.screenshot(path=tmp_path / "remote-library.png")

        # The home's heartbeat arrives: the next page shows it online.
        alice.table("remote_sessions").update({"last_sync": datetime.now(UTC).isoformat()}).eq(
            "desktop_app_id", HOME_ID
        ).execute()
        page.get_by_role("link", name="Search", exact=True).click()
        expect(page.locator(".st-key-home-status")).to_have_text(
            re.compile(r"^cloud_done\s*Online\s*Living-room NAS$"), timeout=20_000
        )

        # Search TMDB and queue a movie for the home.
        search = page.get_by_placeholder("Search movies and shows")
        search.fill("bunny")
        search.press("Enter")
        result = page.locator('[class*="st-key-result-movie-10378"]')
        expect(result.get_by_text("Big Buck Bunny")).to_be_visible(timeout=20_000)
        settle(page)
        page.screenshot(path=tmp_path / "remote-search.png")
        result.get_by_role("button", name="Download").click()
        expect(page.get_by_text("Download Big Buck Bunny (2008): sent to Living-room NAS.")).to_be_visible(
            timeout=20_000
        )
        [row] = project.sql("SELECT * FROM public.remote_downloads WHERE tmdb_id = 10378")
        assert row["status"] == "pending" and row["action"] == "download" and row["media_type"] == "movie"
        assert str(row["user_id"]) == alice_id and row["desktop_app_id"] == HOME_ID
        assert row["payload"] == {"title": "Big Buck Bunny", "year": 2008}

        # A show, one season of it.
        search.fill("harbor")
        search.press("Enter")
        show = page.locator('[class*="st-key-result-tv-60002"]')
        expect(show.get_by_text("Harbor Lights")).to_be_visible(timeout=20_000)
        show.get_by_role("combobox").click()
        page.get_by_role("option", name="Season 2").click()
        rerun_done(page)
        show.get_by_role("button", name="Download").click()
        expect(page.get_by_text("Download Harbor Lights (2024), season 2: sent")).to_be_visible(
            timeout=20_000
        )
        [row] = project.sql("SELECT * FROM public.remote_downloads WHERE tmdb_id = 60002")
        assert row["media_type"] == "tv" and row["payload"] == {
            "title": "Harbor Lights",
            "year": 2024,
            "seasons": [2],
        }

        # Downloads: pause the one in progress; the commands asked from here, with their outcome.
        page.get_by_role("link", name="Downloads", exact=True).click()
        job = page.locator('[class*="st-key-download-movie-133701"]')
        expect(job.get_by_text("Downloading · 42%")).to_be_visible(timeout=20_000)
        job.get_by_role("button", name="Pause").click()
        expect(page.get_by_text("Pause Tears of Steel: sent to Living-room NAS.")).to_be_visible(
            timeout=20_000
        )
        [row] = project.sql("SELECT * FROM public.remote_downloads WHERE action = 'pause'")
        assert (
            row["payload"] == {"job_id": "5b0c4c8e-0000-4000-8000-000000000001"} and row["tmdb_id"] == 133701
        )
        expect(page.get_by_text("Download Big Buck Bunny (2008)")).to_be_visible()
        expect(page.get_by_text("Sent: waiting for your home to take it").first).to_be_visible()
        settle(page)
        page.screenshot(path=tmp_path / "remote-downloads.png", full_page=True)

        # The home goes quiet: a pending command now waits for it.
        alice.table("remote_sessions").update(
            {"last_sync": (datetime.now(UTC) - timedelta(minutes=10)).isoformat()}
        ).eq("desktop_app_id", HOME_ID).execute()
        page.reload()
        expect(page.get_by_text("Offline, last seen 10 minutes ago")).to_be_visible(timeout=30_000)
        page.get_by_role("link", name="Downloads", exact=True).click()
        expect(page.get_by_text("Waiting for your home to come online").first).to_be_visible(timeout=20_000)

        # Another user of the same project sees none of it.
        other = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        open_link(other, ui_url, project)
        sign_in(other, *BOB)
        expect(other.get_by_text("No NiluFlix home has connected to this project yet")).to_be_visible(
            timeout=30_000
        )
        expect(other.get_by_text("Sintel")).to_have_count(0)
        bob = signed_in(project, *BOB)
        assert bob.table("remote_downloads").select("*").execute().data == []
        assert bob.table("shared_library").select("*").execute().data == []
    assert (tmp_path / "remote-library.png").stat().st_size > 10_000
