"""Signing in from another machine, for real: the gateway and the UI as their own processes sharing one
data folder (as Compose gives them `/config`), both listening on this machine's network address, and a
headless browser opening the UI through that address, so every connection comes from a non-loopback
peer, as from another machine of the home network."""

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from niluflix import client_credential
from niluflix.testing.forwarding_proxy import ForwardingProxy
from niluflix.testing.nats_server import embedded_nats
from niluflix.testing.net import free_port, lan_address, wait_for_port

from .test_browser import CHROMIUM_ARGS, running_ui, settle

PASSWORD = "sofa-password-42"


@dataclass
class Stack:
    address: str
    gateway_url: str
    data_dir: Path
    logs: list[Path]

    def client_key(self) -> str:
        return client_credential.credential_path(self.data_dir).read_text().strip()

    def api_key(self) -> str:
        """Read as the UI does: with the trusted-client credential."""
        headers = {client_credential.HEADER: self.client_key()}
        r = httpx.get(f"{self.gateway_url}/api/settings/api-key", headers=headers, timeout=10)
        r.raise_for_status()
        return r.json()["api_key"]


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    address = lan_address()
    data_dir = tmp_path / "config"
    port = free_port()
    log_path = tmp_path / "gateway.log"
    with embedded_nats(store_dir=tmp_path / "nats") as nats_url, log_path.open("wb") as log:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NILUFLIX_") and k != "DATABASE_URL"}
        env |= {
            "NILUFLIX_NATS_URL": nats_url,
            "NILUFLIX_DATA_DIR": str(data_dir),
            "NILUFLIX_HOST": address,
            "NILUFLIX_PORT": str(port),
            "NILUFLIX_CHECK_LIBRARY_DIR": "false",
        }
        gateway = subprocess.Popen([sys.executable, "-m", "gateway"], env=env, stdout=log, stderr=log)
        try:
            wait_for_port(address, port, 60)
            # The premise: the gateway sees callers of this address as another machine.
            r = httpx.get(f"http://{address}:{port}/api/settings", timeout=10)
            assert r.status_code == 401 and "need the API key" in r.json()["detail"]
            yield Stack(address, f"http://{address}:{port}", data_dir, [log_path])
        finally:
            gateway.terminate()
            gateway.wait(20)


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def pages_shown(page: Page) -> None:
    expect(page.get_by_role("link", name="Settings", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Sign in to NiluFlix")).to_have_count(0)
    expect(page.get_by_role("heading", name="Set a password")).to_have_count(0)


def test_another_machine_sets_the_password_then_signs_in(
    stack: Stack, browser: Browser, tmp_path: Path
) -> None:
    ui_log = tmp_path / "ui-remote.log"
    with running_ui(stack.address, stack.gateway_url, stack.data_dir, ui_log) as ui:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()

        # First visit: no password yet, so the owner sets one; no page shows before.
        page.goto(ui)
        expect(page.get_by_role("heading", name="Set a password")).to_be_visible(timeout=30_000)
        expect(page.get_by_role("link", name="Settings", exact=True)).to_have_count(0)
        page.get_by_label("New password").fill(PASSWORD)
        page.get_by_label("Repeat the password").fill(PASSWORD + "x")
        page.get_by_role("button", name="Set password").click()
        expect(page.get_by_text("The two passwords differ")).to_be_visible(timeout=20_000)
        settle(page)
        page.screenshot(path=tmp_path / "set-password.png")
        page.get_by_label("New password").fill(PASSWORD)
        page.get_by_label("Repeat the password").fill(PASSWORD)
        page.get_by_role("button", name="Set password").click()
        pages_shown(page)
        settle(page)

        # A reload keeps this browser signed in: the session cookie.
        (cookie,) = [c for c in context.cookies() if c["name"] == "niluflix_session"]
        assert cookie["sameSite"] == "Strict" and cookie["expires"] > 0
        page.reload()
        pages_shown(page)
        settle(page)

        # The pages work through the gateway as a trusted client: the API key, which only this machine
        # or the UI may read, is shown to the signed-in owner.
        page.get_by_role("link", name="Settings", exact=True).click()
        expect(page.get_by_text("Remote access")).to_be_visible(timeout=20_000)
        settle(page)
        page.get_by_text("Show the API key").click()
        expect(page.get_by_text(stack.api_key())).to_be_visible(timeout=20_000)
        page.screenshot(path=tmp_path / "settings.png", full_page=True)
        assert stack.client_key() not in page.content()

        # Signing out ends the session; a reload does not bring it back.
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Sign in to NiluFlix")).to_be_visible(timeout=20_000)
        settle(page)
        page.reload()
        expect(page.get_by_role("heading", name="Sign in to NiluFlix")).to_be_visible(timeout=30_000)
        settle(page)

        page.get_by_label("Password", exact=True).fill("not-my-password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("wrong password")).to_be_visible(timeout=20_000)
        settle(page)
        page.screenshot(path=tmp_path / "sign-in.png")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        pages_shown(page)

        # Another browser (a new profile) is asked too: the password is set, so it signs in.
        other = browser.new_page()
        other.goto(ui)
        expect(other.get_by_role("heading", name="Sign in to NiluFlix")).to_be_visible(timeout=30_000)

    key = stack.client_key()
    for log in [ui_log, *stack.logs]:
        assert key not in log.read_text(), f"the credential leaked into {log.name}"
    assert PASSWORD not in "".join(log.read_text() for log in [ui_log, *stack.logs])


def test_a_browser_on_this_machine_is_never_asked(stack: Stack, browser: Browser, tmp_path: Path) -> None:
    # The UI on loopback, the gateway still on the network address: the UI reaches it as a trusted client.
    with running_ui("127.0.0.1", stack.gateway_url, stack.data_dir, tmp_path / "ui-local.log") as ui:
        page = browser.new_page()
        page.goto(ui)
        pages_shown(page)
        settle(page)
        page.get_by_role("link", name="Settings", exact=True).click()
        expect(page.get_by_text("Remote access")).to_be_visible(timeout=20_000)
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
        expect(page.get_by_text("requests from other hosts need the API key")).to_have_count(0)

        # A request passed on by a proxy on this machine is someone else's: the gate asks (no password
        # is set in this stack yet, so it asks for one).
        with ForwardingProxy(int(ui.rsplit(":", 1)[1])) as proxy:
            proxied = browser.new_page()
            proxied.goto(proxy.url)
            expect(proxied.get_by_role("heading", name="Set a password")).to_be_visible(timeout=30_000)
