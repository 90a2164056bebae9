"""The dashboard's pages as Streamlit runs them, against a gateway on loopback."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from niluflix.contracts.downloads import JobState
from niluflix.contracts.settings import IndexerSettings, SharedSettings

QUEUED = "Queued: NiluFlix is looking for the best release"


def rendered(markdown: object) -> str:
    """Markdown source as the reader sees it: escaped characters without their backslash."""
    return re.sub(r"\\(.)", r"\1", str(markdown))


def shown(at: AppTest) -> str:
    """Everything a user can read on the page, one element a line."""
    parts = [
        e.value
        for kind in (
            "title",
            "header",
            "subheader",
            "markdown",
            "caption",
            "info",
            "success",
            "warning",
            "error",
            "code",
        )
        for e in at.get(kind)
    ]
    parts += [b.label for b in at.button]
    parts += [p.proto.text for p in at.get("progress")]
    return "\n".join(rendered(p) for p in parts)


def field(at: AppTest, kind: str, label: str):
    return next(widget for widget in at.get(kind) if widget.label == label)


def open_page(at: AppTest, page: str, **query: str) -> AppTest:
    at.run()
    at.query_params.update(query)
    return at.switch_page(f"views/{page}.py").run()


def test_home_shows_rows_of_posters_with_titles_and_years(dashboard: AppTest) -> None:
    at = dashboard.run()

    assert not at.exception
    text = shown(at)
    assert "Trending now" in text and "Popular" in text
    for title, year in (("Big Buck Bunny", 2008), ("Sintel", 2010), ("Tears of Steel", 2012)):
        assert title in [b.label for b in at.button]
        assert str(year) in text
    posters = [m.value for m in at.markdown if 'class="nf-poster"' in m.value]
    # Two shelves of seven movies, the featured movie, two shelves of three shows; inline SVG posters.
    assert len(posters) == 15 + 6
    assert all('src="data:image/svg+xml;base64,' in p for p in posters)


def test_a_poster_button_opens_its_movie_page(dashboard: AppTest, gateway_server) -> None:
    at = dashboard.run()
    at.button(key="open-trending-45745").click().run()

    assert not at.exception
    assert "A lonely young woman searches the world for the baby dragon" in shown(at)
    assert "Animation" in shown(at) and "15 min" in shown(at)
    assert at.query_params["id"] == "45745"


def test_search_shows_the_matching_movies(dashboard: AppTest, gateway_server) -> None:
    at = dashboard.run()
    at.text_input(key="search").input("tears").run()

    assert "Results for “tears”" in shown(at)
    assert [b.label for b in at.button if b.key.startswith("open-search-")] == ["Tears of Steel"]
    assert gateway_server.state.calls_to("GET", "/api/movies/search/tears") == [None]


def test_download_click_sends_the_request_and_shows_the_queued_state(
    dashboard: AppTest, gateway_server
) -> None:
    at = open_page(dashboard, "movie", id="45745")
    assert "Sintel" in shown(at)
    assert QUEUED not in shown(at)

    at.button(key="download").click().run()

    assert not at.exception
    assert gateway_server.state.calls_to("POST", "/api/movies/45745/download") == [
        json.dumps({"priority": 0}, separators=(",", ":"))
    ]
    assert QUEUED in shown(at)
    assert "download" not in [b.key for b in at.button], "a second click would queue the movie twice"


def test_movie_page_shows_the_live_progress_of_its_active_download(
    dashboard: AppTest, gateway_server
) -> None:
    gateway_server.state.add_job(
        45745,
        JobState.DOWNLOADING,
        release_name="Sintel.2010.1080p.BluRay.x264-OPEN",
        progress=0.5,
        size=1_000_000_000,
        downloaded=500_000_000,
        speed_bps=2_000_000,
        eta_seconds=250,
        peers=9,
    )
    at = open_page(dashboard, "movie", id="45745")

    text = shown(at)
    assert "50%" not in text and "50.0% · 500.0 MB of 1.0 GB" in text
    assert "2.0 MB/s" in text and "9 peers" in text
    assert "Sintel.2010.1080p.BluRay.x264-OPEN" in text


def test_movie_page_says_when_the_movie_is_already_in_the_library(dashboard: AppTest, gateway_server) -> None:
    item = gateway_server.state.add_library_item(45745, "Sintel", 2010, 700_000_000)
    at = open_page(dashboard, "movie", id="45745")

    assert "In your library" in shown(at)
    assert item.path in shown(at)
    assert "download" not in [b.key for b in at.button]


def test_download_by_a_quality_profile_picked_beside_the_button(dashboard: AppTest, gateway_server) -> None:
    at = open_page(dashboard, "movie", id="45745")
    picker = at.selectbox(key="download-profile")
    assert (picker.options, picker.value) == (["Standard", "4K", "Small"], "Standard")

    picker.set_value("4K").run()
    at.button(key="download").click().run()

    assert not at.exception
    assert gateway_server.state.calls_to("POST", "/api/movies/45745/download") == [
        json.dumps({"priority": 0, "profile": "4K"}, separators=(",", ":"))
    ]
    assert QUEUED in shown(at)


def test_the_download_button_stays_when_the_library_cannot_be_read(
    dashboard: AppTest, gateway_server
) -> None:
    gateway_server.state.down["/api/movies/downloaded"] = "library.v1.list"
    at = open_page(dashboard, "movie", id="45745")

    assert "Could not check your library: no service answers library.v1.list" in shown(at)
    at.button(key="download").click().run()
    assert QUEUED in shown(at)


def test_a_service_behind_the_gateway_being_down_is_said_in_its_words(
    dashboard: AppTest, gateway_server
) -> None:
    gateway_server.state.down["/api/downloads/active"] = "downloads.v1.list"
    at = open_page(dashboard, "downloads")

    assert not at.exception
    assert [rendered(e.value) for e in at.error] == ["no service answers downloads.v1.list"]


def test_movie_page_without_a_movie_points_home(dashboard: AppTest) -> None:
    at = open_page(dashboard, "movie")
    assert "Pick a movie on the Home page" in shown(at)


def test_movie_page_shows_the_gateway_detail_for_an_unknown_movie(dashboard: AppTest) -> None:
    at = open_page(dashboard, "movie", id="999999")
    assert [rendered(e.value) for e in at.error] == ["TMDB has no movie 999999"]
    assert not at.exception


def test_downloads_page_shows_progress_bars_with_percent_speed_eta_and_peers(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    state.add_job(
        45745,
        JobState.DOWNLOADING,
        release_name="Sintel.2010.1080p.BluRay.x264-OPEN",
        progress=0.425,
        size=1_200_000_000,
        downloaded=510_000_000,
        speed_bps=3_400_000,
        eta_seconds=203,
        peers=14,
    )
    state.add_job(10378, JobState.QUEUED)
    state.add_job(9761, JobState.FAILED, error="No release found on any indexer")
    state.add_job(358332, JobState.COMPLETED, release_name="Cosmos.Laundromat.2015.1080p.WEB", progress=1.0)

    at = open_page(dashboard, "downloads")

    assert not at.exception
    bars = at.get("progress")
    assert [bar.proto.value for bar in bars] == [42]
    text = shown(at)
    assert "42.5% · 510.0 MB of 1.2 GB" in text
    assert "↓ 3.4 MB/s · 3 minutes left · 14 peers" in text
    assert "Sintel.2010.1080p.BluRay.x264-OPEN" in text
    assert QUEUED in text
    assert "History" in text
    assert "Failed: No release found on any indexer" in text
    assert "Cosmos.Laundromat.2015.1080p.WEB" in text


def test_a_paused_download_keeps_its_progress(dashboard: AppTest, gateway_server) -> None:
    gateway_server.state.add_job(45745, JobState.PAUSED, release_name="Sintel.2010", progress=0.2, size=1000)

    at = open_page(dashboard, "downloads")

    assert not at.exception
    assert [bar.proto.value for bar in at.get("progress")] == [20]
    assert "Paused" in shown(at)


def test_pause_resume_and_cancel_reach_the_gateway(dashboard: AppTest, gateway_server) -> None:
    job = gateway_server.state.add_job(
        45745, JobState.DOWNLOADING, release_name="Sintel.2010.1080p", progress=0.3, size=1000, downloaded=300
    )
    at = open_page(dashboard, "downloads")

    at.button(key=f"pause-{job.id}").click().run()
    assert gateway_server.state.calls_to("POST", f"/api/downloads/{job.id}/pause") == [None]
    assert f"resume-{job.id}" in [b.key for b in at.button]

    at.button(key=f"resume-{job.id}").click().run()
    assert gateway_server.state.jobs[job.id].state is JobState.DOWNLOADING

    at.button(key=f"cancel-{job.id}").click().run()
    assert "Cancel the download of Sintel (2010)?" in shown(at)
    assert gateway_server.state.calls_to("DELETE", f"/api/downloads/{job.id}") == [], "cancel asks first"
    at.button(key=f"no-cancel-{job.id}").click().run()
    assert "Cancel the download of Sintel (2010)?" not in shown(at)
    assert gateway_server.state.calls_to("DELETE", f"/api/downloads/{job.id}") == []

    at.button(key=f"cancel-{job.id}").click().run()
    at.button(key=f"yes-cancel-{job.id}").click().run()
    assert gateway_server.state.calls_to("DELETE", f"/api/downloads/{job.id}") == [None]
    assert "Nothing is downloading" in shown(at)
    assert not at.exception


def test_a_refused_action_shows_the_gateway_detail(dashboard: AppTest, gateway_server) -> None:
    job = gateway_server.state.add_job(45745, JobState.DOWNLOADING, progress=0.3)
    at = open_page(dashboard, "downloads")
    del gateway_server.state.jobs[job.id]  # someone else removed it meanwhile

    at.button(key=f"pause-{job.id}").click().run()

    assert [t.proto.body for t in at.toast] == [f"No download with id {job.id}"]
    assert not at.exception


def test_library_lists_movies_and_the_scan_reports_what_it_added(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    state.add_library_item(358332, "Cosmos Laundromat", 2015, 800_000_000)
    state.add_library_item(None, "Home Movie", 2021, 2_100_000_000)
    state.add_library_item(594768, "Spring", 2019, 300_000_000, scanned=True)

    at = open_page(dashboard, "library")
    text = shown(at)
    assert "Cosmos Laundromat (2015)" in text and "Home Movie (2021)" in text
    assert "800.0 MB" in text and "/srv/media/Movies/Home Movie (2021)/Home Movie (2021).mkv" in text
    assert "Spring (2019)" not in text
    posters = [m.value for m in at.markdown if 'class="nf-poster"' in m.value]
    assert 'alt="Cosmos Laundromat"' in posters[0] and "data:image/svg+xml" in posters[0]

    at.button[0].click().run()

    assert [rendered(s.value) for s in at.success] == ["Scanned 3 folders and added 1: Spring (2019)"]
    assert "Spring (2019)" in [b.label for b in at.button]
    assert state.calls_to("POST", "/api/library/sync") == [None]

    state.vanished = [state.library[1]]
    at.button[0].click().run()
    assert [rendered(s.value) for s in at.success] == [
        "Scanned 2 folders and forgot 1 whose file is gone: Home Movie (2021)"
    ]
    assert "/srv/media/Movies/Home Movie (2021)/Home Movie (2021).mkv" not in shown(at)


def test_settings_save_shows_the_gateway_validation_message(dashboard: AppTest, gateway_server) -> None:
    at = open_page(dashboard, "settings")
    field(at, "text_input", "Library folder").input("movies/here")
    at.button(key="FormSubmitter:settings-Save").click().run()

    assert [rendered(e.value) for e in at.error] == [
        "library_dir: Value error, library_dir must be an absolute path, got 'movies/here'"
    ]
    assert [json.loads(b) for b in gateway_server.state.calls_to("PUT", "/api/settings")] == [
        {"library_dir": "movies/here"}
    ]
    assert "Saved" not in [s.value for s in at.success]
    assert gateway_server.state.settings.library_dir == "/srv/media/Movies"


def test_settings_save_sends_only_changes_and_keeps_hidden_secrets(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    state.settings = SharedSettings(
        library_dir="/srv/media/Movies",
        tmdb_api_key="tmdb-secret-value",
        indexers=[IndexerSettings(name="Demo", url="http://127.0.0.1:9117/api", api_key="idx-secret")],
    )
    at = open_page(dashboard, "settings")

    key_input = field(at, "text_input", "TMDB API key")
    assert key_input.value == "" and "Saved (hidden)" in key_input.placeholder
    assert "tmdb-secret-value" not in shown(at) and "idx-secret" not in shown(at)

    field(at, "number_input", "Downloads at the same time").set_value(5)
    at.button(key="FormSubmitter:settings-Save").click().run()

    assert "Saved" in [s.value for s in at.success]
    assert [json.loads(b) for b in state.calls_to("PUT", "/api/settings")] == [
        {"max_concurrent_downloads": 5}
    ]
    assert state.settings.max_concurrent_downloads == 5
    assert state.settings.tmdb_api_key.get_secret_value() == "tmdb-secret-value"
    assert state.settings.indexers[0].api_key.get_secret_value() == "idx-secret"

    field(at, "text_input", "TMDB API key").input("a-new-key")
    at.button(key="FormSubmitter:settings-Save").click().run()
    assert state.settings.tmdb_api_key.get_secret_value() == "a-new-key"
    assert json.loads(state.calls_to("PUT", "/api/settings")[-1]) == {"tmdb_api_key": "a-new-key"}
    # The form starts again from what was saved: the typed key is not kept in the page.
    assert field(at, "text_input", "TMDB API key").value == ""
    assert "Saved" in [s.value for s in at.success]


def test_settings_shows_health_and_the_api_key_on_request(dashboard: AppTest, gateway_server) -> None:
    gateway_server.state.health = {
        "status": "degraded",
        "services": [
            {"service": "catalog", "ok": True, "version": "0.1.0", "detail": ""},
            {
                "service": "search",
                "ok": False,
                "checks": [{"name": "indexer:Demo", "kind": "indexer", "ok": False, "detail": "timed out"}],
            },
            {"service": "organizer", "ok": False, "detail": "did not answer within 2 s"},
        ],
        "nats": {"ok": True, "detail": ""},
        "torrent_client": {
            "kind": "embedded",
            "ok": True,
            "detail": "No Transmission or qBittorrent answered; using the built-in engine",
        },
        "indexers": [{"name": "Demo", "ok": False, "detail": "timed out after 10 s"}],
        "something_new": {"the gateway": "may add fields"},
    }
    at = open_page(dashboard, "settings")

    text = shown(at)
    assert "NiluFlix is degraded" in text
    assert "catalog" in text and "indexer:Demo: timed out" in text
    assert "Built-in (libtorrent)" in text
    assert "No Transmission or qBittorrent answered; using the built-in engine" in text
    assert "timed out after 10 s" in text
    assert "did not answer within 2 s" in text and "NATS" in text
    assert gateway_server.state.api_key not in text

    at.toggle(key="show-api-key").set_value(True).run()
    assert [c.value for c in at.code] == [gateway_server.state.api_key]


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("home", {}),
        ("movie", {"id": "45745"}),
        ("downloads", {}),
        ("library", {}),
        ("settings", {}),
    ],
)
def test_every_page_says_plainly_when_the_gateway_is_down(
    page: str, query: dict[str, str], offline_dashboard: AppTest, dead_gateway_url: str
) -> None:
    at = open_page(offline_dashboard, page, **query)

    assert not at.exception
    assert [rendered(e.value) for e in at.error] == [
        f"NiluFlix gateway is not reachable at {dead_gateway_url}. Is NiluFlix running?"
    ]


def test_the_api_key_is_sent_with_every_request(
    dashboard: AppTest, gateway_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NILUFLIX_API_KEY", "nf_remote_key")
    open_page(dashboard, "downloads")

    assert gateway_server.state.api_keys_seen
    assert set(gateway_server.state.api_keys_seen) == {"nf_remote_key"}
