"""The remote web UI's pages as Streamlit runs them (`NILUFLIX_UI_MODE=remote`), against a loopback Supabase
project with the real schema and row-level security: the sign-in, which home, commands asked first and
what they wait for, search without a TMDB key."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest
from supabase import Client, create_client

from .conftest import APP
from .test_pages import shown

EMAIL, PASSWORD = "carol@example.com", "carol-password-1"
JOB = "7d7d0c8e-0000-4000-8000-000000000002"


@pytest.fixture
def remote(supabase_project, monkeypatch: pytest.MonkeyPatch, ui_data_dir) -> AppTest:
    monkeypatch.setenv("NILUFLIX_UI_MODE", "remote")
    monkeypatch.setenv("NILUFLIX_UI_SUPABASE_URL", supabase_project.url)
    monkeypatch.setenv("NILUFLIX_UI_SUPABASE_ANON_KEY", supabase_project.anon_key)
    monkeypatch.delenv("NILUFLIX_UI_TMDB_API_KEY", raising=False)
    supabase_project.create_user(EMAIL, PASSWORD)
    return AppTest.from_file(APP, default_timeout=20)


def as_user(project) -> Client:
    client = create_client(project.url, project.anon_key)
    client.auth.sign_in_with_password({"email": EMAIL, "password": PASSWORD})
    return client


def add_home(client: Client, home: str, name: str, ago: timedelta) -> None:
    client.table("remote_sessions").insert(
        {"desktop_app_id": home, "display_name": name, "last_sync": (datetime.now(UTC) - ago).isoformat()}
    ).execute()


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.run()
    at.text_input[0].input(EMAIL)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_a_wrong_password_is_refused_with_the_reason(remote: AppTest) -> None:
    at = sign_in(remote, "not-the-password")
    assert not at.exception
    assert "Wrong email or password." in [e.value for e in at.error]
    assert [t.value for t in at.title] == ["Sign in to NiluFlix"]

    at = sign_in(at)
    # Signed in; this user's project has no home yet, and says what to do.
    assert "No NiluFlix home has connected to this project yet" in shown(at)
    assert "This browser is signed in as **carol@example.com**" in shown(at)

    at.button(key="nf-sign-out").click().run()
    assert [t.value for t in at.title] == ["Sign in to NiluFlix"]


def test_the_home_heard_from_last_is_shown_and_another_can_be_picked(
    remote: AppTest, supabase_project
) -> None:
    user = as_user(supabase_project)
    add_home(user, "home-laptop-01", "Laptop", timedelta(days=3))
    add_home(user, "home-nas-0001", "NAS", timedelta(seconds=30))
    at = sign_in(remote)
    assert ":green-badge[:material/cloud_done: Online] **NAS**" in [m.value for m in at.markdown]

    at.switch_page("remote/account.py").run()
    at.radio(key="home-choice").set_value("home-laptop-01").run()
    assert ":gray-badge[:material/cloud_off: Offline, last seen 3 days ago] **Laptop**" in [
        m.value for m in at.markdown
    ]


def test_cancel_asks_first_and_then_waits_for_the_home(remote: AppTest, supabase_project) -> None:
    user = as_user(supabase_project)
    add_home(user, "home-nas-0001", "NAS", timedelta(hours=5))
    row = {"desktop_app_id": "home-nas-0001", "media_type": "movie", "tmdb_id": 45745, "title": "Sintel"}
    detail = {"downloads": [{"job_id": JOB, "label": "Sintel", "state": "queued", "progress": 0}]}
    user.table("shared_library").insert(row | {"download_status": "queued", "detail": detail}).execute()
    at = sign_in(remote).switch_page("remote/downloads.py").run()
    key = f"cancel-movie-45745-{JOB}"

    at.button(key=key).click().run()
    assert "Cancel the download of Sintel?" in shown(at)
    at.button(key=f"no-{key}").click().run()
    assert supabase_project.sql("SELECT * FROM public.remote_downloads") == []

    at.button(key=key).click().run()
    at.button(key=f"yes-{key}").click().run()

    [command] = supabase_project.sql("SELECT * FROM public.remote_downloads")
    assert (command["action"], command["status"], command["payload"]) == (
        "cancel",
        "pending",
        {"job_id": JOB},
    )
    assert "Cancel Sintel: queued. NAS is offline; it will do it when it comes online." in [
        t.proto.body for t in at.toast
    ]
    text = shown(at)
    assert "Cancel Sintel" in text and "Waiting for your home to come online" in text


def test_without_a_tmdb_key_search_says_so(remote: AppTest, supabase_project) -> None:
    add_home(as_user(supabase_project), "home-nas-0001", "NAS", timedelta(seconds=10))
    at = sign_in(remote).switch_page("remote/search.py").run()
    assert not at.exception
    assert "Searching needs a TMDB API key" in shown(at)
    assert not at.text_input


def test_an_expired_access_token_is_renewed_without_signing_in_again(
    remote: AppTest, supabase_project
) -> None:
    add_home(as_user(supabase_project), "home-nas-0001", "NAS", timedelta(seconds=10))
    supabase_project.set_token_lifetime(2)
    at = sign_in(remote)
    time.sleep(3)  # the access token this browser got has expired

    at.switch_page("remote/downloads.py").run()

    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Nothing is downloading" in shown(at)
    assert [t.value for t in at.title] == ["Downloads"]
