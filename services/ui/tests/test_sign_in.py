"""The sign-in gate as Streamlit runs it. AppTest has no browser connection, so, as for a browser on
another machine, the gate asks first; a browser on this machine is shown in test_sign_in_browser.py."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from niluflix import client_credential

from .conftest import APP

SIGN_IN = "Sign in to NiluFlix"
SET_PASSWORD = "Set a password"


@pytest.fixture
def visitor(gateway_server, monkeypatch: pytest.MonkeyPatch, ui_data_dir: Path) -> AppTest:
    """A fresh browser session on the dashboard, not signed in."""
    monkeypatch.setenv("NILUFLIX_GATEWAY_URL", gateway_server.url)
    monkeypatch.delenv("NILUFLIX_UI_GATEWAY_URL", raising=False)
    monkeypatch.delenv("NILUFLIX_API_KEY", raising=False)
    return AppTest.from_file(APP, default_timeout=15)


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def submit(at: AppTest, *values: str) -> AppTest:
    for field, value in zip(at.text_input, values, strict=True):
        field.input(value)
    return at.button[0].click().run()


def test_the_first_visit_sets_the_password_then_shows_the_pages(visitor: AppTest, gateway_server) -> None:
    at = visitor.run()
    assert titles(at) == [SET_PASSWORD]
    assert [f.label for f in at.text_input] == ["New password", "Repeat the password"]
    assert [b.label for b in at.button] == ["Set password"]
    assert not gateway_server.state.calls_to("GET", "/api/movies/trending"), "no page before the gate"

    submit(at, "owner-password-1", "owner-password-2")
    assert errors(at) == ["The two passwords differ: type the same one twice."]
    assert gateway_server.state.owner_password is None

    submit(at, "short", "short")
    assert errors(at) == ["the password must have at least 8 characters"]
    assert titles(at) == [SET_PASSWORD]

    submit(at, "owner-password-1", "owner-password-1")
    assert not at.exception and not errors(at)
    assert gateway_server.state.owner_password == "owner-password-1"
    assert SET_PASSWORD not in titles(at)
    assert "Big Buck Bunny" in [b.label for b in at.button], "the Home page with its posters"


def test_later_visits_sign_in_and_can_sign_out(visitor: AppTest, gateway_server) -> None:
    gateway_server.state.owner_password = "owner-password-1"
    at = visitor.run()
    assert titles(at) == [SIGN_IN]
    assert [f.label for f in at.text_input] == ["Password"]
    assert any("`niluflix reset-password` clears it" in c.value for c in at.caption)

    submit(at, "not-the-password")
    assert errors(at) == ["wrong password"]
    assert titles(at) == [SIGN_IN] and not gateway_server.state.sessions

    submit(at, "owner-password-1")
    assert not errors(at) and "Big Buck Bunny" in [b.label for b in at.button]
    (token,) = gateway_server.state.sessions

    at.switch_page("views/settings.py").run()
    assert any("signed in as **owner**" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Sign out").click().run()
    assert titles(at) == [SIGN_IN]
    assert token not in gateway_server.state.sessions, "the gateway ended the session"


def test_a_session_ended_elsewhere_asks_again(visitor: AppTest, gateway_server) -> None:
    gateway_server.state.owner_password = "owner-password-1"
    at = submit(visitor.run(), "owner-password-1")
    assert titles(at) != [SIGN_IN]

    gateway_server.state.sessions.clear()  # expired, or signed out in another tab
    at.session_state["_signin_checked_at"] = 0.0  # the 30 s between checks have passed
    assert titles(at.run()) == [SIGN_IN]


def test_the_ui_sends_its_credential_and_never_shows_it(
    visitor: AppTest, gateway_server, ui_data_dir
) -> None:
    gateway_server.state.owner_password = "owner-password-1"
    at = submit(visitor.run(), "owner-password-1")
    at.switch_page("views/settings.py").run()
    at.toggle(key="show-api-key").set_value(True).run()

    key = client_credential.credential_path(ui_data_dir).read_text().strip()
    assert set(gateway_server.state.client_keys_seen) == {key}
    everything = "\n".join(
        str(e.value) for kind in ("markdown", "caption", "code", "text") for e in at.get(kind)
    )
    assert gateway_server.state.api_key in everything  # the owner, signed in, may see the API key
    assert key not in everything


def test_with_the_gateway_down_the_gate_says_so(offline_dashboard: AppTest, dead_gateway_url: str) -> None:
    at = offline_dashboard.run()
    assert errors(at) == [f"NiluFlix gateway is not reachable at {dead_gateway_url}. Is NiluFlix running?"]
    assert not at.text_input
