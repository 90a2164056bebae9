"""What a new user meets on the movie side: a queued download named and explained, and a second, explicit yes
before anything that overrules NiluFlix or cannot be undone."""

import json
import uuid

from streamlit.testing.v1 import AppTest

from niluflix.contracts.downloads import Job, JobState

from .test_pages import open_page, shown
from .test_releases_ui import FOUND


def test_a_queued_download_shows_its_title_and_what_it_waits_for(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    # Queued before the catalog answered: the job has no title yet.
    job = state.add_job(
        45745,
        JobState.QUEUED,
        release_name="Sintel.2010.1080p",
        waiting_for="waiting for a free download slot",
    )
    state.jobs[job.id] = job.model_copy(update={"title": "", "year": None})
    unknown = Job(
        id=uuid.uuid4(),
        tmdb_id=9000001,
        state=JobState.QUEUED,
        created_at=job.created_at,
        updated_at=job.updated_at,
    )
    state.jobs[unknown.id] = unknown

    at = open_page(dashboard, "downloads")

    text = shown(at)
    assert "**Sintel** " in text and "TMDB 45745" not in text
    assert "Queued: waiting for a free download slot" in text
    # Only a title the catalog does not know either is shown by its number.
    assert "TMDB 9000001" in text and "Queued: NiluFlix is looking for the best release" in text


def test_a_movie_in_the_library_asks_before_downloading_it_again(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    state.add_library_item(45745, "Sintel", 2010, 700_000_000)
    at = open_page(dashboard, "movie", id="45745")
    assert "In your library" in shown(at)

    at.button(key="download-again").click().run()
    assert "Sintel is already in your library. Download it again and replace the file?" in shown(at)
    at.button(key="no-download-again").click().run()
    assert state.calls_to("POST", "/api/movies/45745/download") == []

    at.button(key="download-again").click().run()
    at.button(key="yes-download-again").click().run()

    assert [json.loads(b) for b in state.calls_to("POST", "/api/movies/45745/download")] == [
        {"priority": 0, "replace": True}
    ]
    assert "Queued: NiluFlix is looking for the best release" in shown(at)


def test_a_movie_filed_meanwhile_is_refused_then_asked_about(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    at = open_page(dashboard, "movie", id="45745")
    state.add_library_item(45745, "Sintel", 2010, 700_000_000)  # another browser's download arrived

    at.button(key="download").click().run()

    assert [json.loads(b) for b in state.calls_to("POST", "/api/movies/45745/download")] == [{"priority": 0}]
    assert "Sintel is already in your library. Download it again and replace the file?" in shown(at)
    at.button(key="yes-download-again").click().run()
    assert json.loads(state.calls_to("POST", "/api/movies/45745/download")[-1]) == {
        "priority": 0,
        "replace": True,
    }


def test_the_featured_movie_in_the_library_asks_before_downloading_again(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    state.add_library_item(10378, "Big Buck Bunny", 2008, 400_000_000)  # first of trending: the featured one
    at = dashboard.run()
    assert "in your library" in shown(at)

    at.button(key="hero-download").click().run()
    assert state.calls_to("POST", "/api/movies/10378/download") == []
    at.button(key="yes-hero-download").click().run()
    assert json.loads(state.calls_to("POST", "/api/movies/10378/download")[0]) == {
        "priority": 0,
        "replace": True,
    }


def test_picking_a_rejected_release_asks_first(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    state.releases = FOUND
    at = open_page(dashboard, "movie", id="45745")
    at.toggle(key="choose-release").set_value(True).run()
    at.button(key="search-releases").click().run()

    at.selectbox(key="release-choice").set_value(2).run()
    at.button(key="download-release").click().run()

    assert "NiluFlix rejected this release: CAM. Download it anyway?" in shown(at)
    assert state.calls_to("POST", "/api/movies/45745/download") == []
    at.button(key="no-download-release").click().run()
    assert state.calls_to("POST", "/api/movies/45745/download") == []

    at.button(key="download-release").click().run()
    at.button(key="yes-download-release").click().run()
    [body] = state.calls_to("POST", "/api/movies/45745/download")
    assert json.loads(body)["release"]["name"] == "Sintel.2010.HDCAM.x264-CAM"
