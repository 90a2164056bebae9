"""The Remote page: turning remote access on (what the form sends, why it failed), the phone's link and its QR
code, and turning it off after a second yes."""

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import expect, sync_playwright
from streamlit.testing.v1 import AppTest
from ui.gateway_client import RemoteStatus

from .test_browser import CHROMIUM_ARGS, running_ui, settle
from .test_pages import open_page, shown

FORM = {
    "remote-url": "https://abcd.supabase.co",
    "remote-key": "sb_publishable_abc123",
    "remote-email": "me@example.com",
    "remote-password": "correct horse",
    "remote-name": "Living-room NAS",
    "remote-ui-url": "https://niluflix-remote.example.app",
}


def fill(at: AppTest, values: dict[str, str]) -> AppTest:
    for key, value in values.items():
        at.text_input(key=key).input(value)
    return at.button(key="FormSubmitter:remote-enable-Turn on remote access").click().run()


def test_the_enable_form_sends_what_was_typed(dashboard: AppTest, gateway_server) -> None:
    at = open_page(dashboard, "remote")
    assert "Remote access: Off" in shown(at)

    at = fill(at, FORM)

    assert not at.exception
    [body] = [json.loads(b) for b in gateway_server.state.calls_to("POST", "/api/remote/enable")]
    assert body == {
        "supabase_url": "https://abcd.supabase.co",
        "anon_key": "sb_publishable_abc123",
        "email": "me@example.com",
        "password": "correct horse",
        "display_name": "Living-room NAS",
        "remote_ui_url": "https://niluflix-remote.example.app",
    }
    text = shown(at)
    assert "Remote access: Online" in text
    assert "Signed in as me@example.com" in text and "**Living-room NAS**" in text


def test_a_refused_enable_shows_the_gateway_reason(dashboard: AppTest, gateway_server) -> None:
    gateway_server.state.remote_enable_error = (
        502,
        "Supabase refused the sign-in: Invalid login credentials",
    )
    at = open_page(dashboard, "remote")

    at = fill(at, FORM)

    assert not at.exception
    assert len(gateway_server.state.calls_to("POST", "/api/remote/enable")) == 1
    errors = [e.value for e in at.error]
    assert (
        "Remote access was not turned on: Supabase refused the sign-in: Invalid login credentials" in errors
    )
    assert "Remote access: Off" in shown(at)


def test_a_form_without_a_password_is_not_sent(dashboard: AppTest, gateway_server) -> None:
    at = open_page(dashboard, "remote")
    at = fill(at, {k: v for k, v in FORM.items() if k != "remote-password"})
    assert "Fill in the password." in [e.value for e in at.error]
    assert gateway_server.state.calls_to("POST", "/api/remote/enable") == []


def test_the_phone_link_shows_its_qr_code(dashboard: AppTest, gateway_server) -> None:
    at = fill(open_page(dashboard, "remote"), FORM)

    link = "https://niluflix-remote.example.app?supabase_url=https%3A%2F%2Fabcd.supabase.co&anon_key=anon"
    assert link in [c.value for c in at.code]
    [qr] = [m.value for m in at.markdown if "nf-qr" in m.value]
    svg = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", qr).group(1)).decode()
    # Drawn as an image (nothing in it runs), with the namespace an SVG image needs.
    assert qr.startswith("<img") and svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'class="qrline"' in svg


def test_no_remote_ui_url_says_why_there_is_no_link(dashboard: AppTest, gateway_server) -> None:
    at = fill(open_page(dashboard, "remote"), {k: v for k, v in FORM.items() if k != "remote-ui-url"})
    assert "No remote web UI URL yet: enter where you deployed it." in [i.value for i in at.info]
    assert not [m for m in at.markdown if "nf-qr" in m.value]


def test_turning_it_off_asks_first(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    state.remote = RemoteStatus(
        enabled=True, state="online", supabase_url="https://abcd.supabase.co", email="me@example.com"
    )
    at = open_page(dashboard, "remote")
    at.button(key="remote-disable").click().run()
    assert "Turn off remote access?" in shown(at)
    at.button(key="no-remote-disable").click().run()
    assert state.calls_to("POST", "/api/remote/disable") == []

    at.button(key="remote-disable").click().run()
    at.button(key="yes-remote-disable").click().run()

    assert len(state.calls_to("POST", "/api/remote/disable")) == 1
    assert "Remote access: Off" in shown(at)


def test_the_qr_code_draws_in_a_browser(gateway_server, tmp_path: Path) -> None:
    gateway_server.state.remote = RemoteStatus(
        enabled=True,
        state="online",
        supabase_url="https://abcd.supabase.co",
        email="me@example.com",
        display_name="Living-room NAS",
        remote_ui_url="https://niluflix-remote.example.app",
        last_sync=datetime.now(UTC) - timedelta(seconds=40),
        realtime=True,
        mirrored_items=12,
    )
    with (
        running_ui("127.0.0.1", gateway_server.url, tmp_path / "ui-data", tmp_path / "ui.log") as url,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(f"{url}/remote")
            expect(page.get_by_text("Remote access: Online")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("12 titles mirrored")).to_be_visible()
            qr = page.locator("img.nf-qr")
            expect(qr).to_be_visible(timeout=20_000)
            settle(page)
            # The SVG really drew as a picture (a broken image has no natural width).
            assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
            page.screenshot(path=tmp_path / "remote-page.png", full_page=True)
        finally:
            browser.close()
