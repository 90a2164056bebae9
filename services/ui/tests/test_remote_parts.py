"""The remote web UI's parts on their own: which keys it accepts, when a home counts as online, what a command
says, and the TMDB search against a loopback TMDB."""

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from ui.remote.errors import TmdbError
from ui.remote.frame import last_seen
from ui.remote.project import NotAPublicKey, check_key
from ui.remote.rows import describe, outcome
from ui.remote.store import Command, Home
from ui.remote.tmdb import TmdbSearch

from niluflix.testing.tmdb_server import TmdbEpisode, TmdbMovie, TmdbSeason, TmdbServer, TmdbShow


def legacy_key(role: str) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256'})}.{part({'iss': 'supabase', 'role': role})}.c2lnbmF0dXJl"


def test_only_a_publishable_key_is_accepted() -> None:
    assert check_key("sb_publishable_abc") == "sb_publishable_abc"
    assert check_key(legacy_key("anon")) == legacy_key("anon")
    for secret in ("sb_secret_abc", legacy_key("service_role")):
        with pytest.raises(NotAPublicKey, match="bypasses every access rule"):
            check_key(secret)


def test_a_home_is_online_only_while_its_heartbeat_is_fresh() -> None:
    now = datetime.now(UTC)
    assert last_seen(Home(desktop_app_id="home-0001", last_sync=now - timedelta(minutes=2)), now) == "Online"
    stale = Home(desktop_app_id="home-0001", last_sync=now - timedelta(hours=2))
    assert last_seen(stale, now) == "Offline, last seen 2 hours ago"
    assert last_seen(Home(desktop_app_id="home-0001"), now) == "Offline, never seen yet"


def command(**fields) -> Command:
    return Command.model_validate(
        {"id": uuid.uuid4(), "action": "download", "status": "pending", "created_at": datetime.now(UTC)}
        | fields
    )


def test_a_command_says_what_it_asked_and_what_became_of_it() -> None:
    online = Home(desktop_app_id="home-0001", last_sync=datetime.now(UTC))
    offline = Home(desktop_app_id="home-0001", last_sync=datetime.now(UTC) - timedelta(hours=1))
    show = command(
        media_type="tv", tmdb_id=1399, payload={"title": "Harbor Lights", "year": 2024, "seasons": [2]}
    )
    assert describe(show, {}) == "Download Harbor Lights (2024), season 2"
    assert outcome(show, offline) == ("Waiting for your home to come online", "pending")
    assert outcome(show, online)[0] == "Sent: waiting for your home to take it"
    pause = command(action="pause", media_type="movie", tmdb_id=45745, payload={"job_id": "j1"})
    assert describe(pause, {("movie", 45745): "Sintel"}) == "Pause Sintel"
    done = command(status="completed", result_message="queued: Sintel (2010)")
    assert outcome(done, offline) == ("queued: Sintel (2010)", "completed")
    failed = command(status="failed", error_message="no release found")
    assert outcome(failed, online) == ("no release found", "failed")


def test_tmdb_search_finds_movies_and_shows_and_a_show_s_seasons() -> None:
    with TmdbServer(
        [
            TmdbMovie(
                id=45745, title="Sintel", release_date="2010-09-27", popularity=9.0, poster_path="/s.jpg"
            )
        ],
        shows=[
            TmdbShow(
                id=60002,
                name="Sintel Chronicles",
                first_air_date="2024-01-05",
                popularity=3.0,
                seasons=[TmdbSeason(n, [TmdbEpisode(1, air_date="2024-01-05")]) for n in (0, 1, 2)],
            )
        ],
    ) as tmdb:
        search = TmdbSearch(tmdb.base_url, tmdb.api_key)
        found = search.search("sintel")
        assert [(f.media_type, f.tmdb_id, f.title, f.year) for f in found] == [
            ("movie", 45745, "Sintel", 2010),
            ("tv", 60002, "Sintel Chronicles", 2024),
        ]
        assert found[0].poster_path == "/s.jpg"
        assert search.seasons(60002) == [1, 2]

        with pytest.raises(TmdbError, match="TMDB refused the API key"):
            TmdbSearch(tmdb.base_url, "wrong").search("sintel")
