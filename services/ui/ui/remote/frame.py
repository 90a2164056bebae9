"""The frame around every page of the remote web UI: which project, the sign-in, which home and whether it is
online; then the pages (`ui/dashboard/remote/`)."""

from datetime import UTC, datetime
from pathlib import Path

import humanize
import streamlit as st

from ui import signin
from ui.components.text import literal
from ui.remote import connection, project
from ui.remote.errors import RemoteError
from ui.remote.store import Home
from ui.remote.supabase_store import SupabaseStore
from ui.settings import UiSettings
from ui.signin.supabase_backend import SupabaseSignIn, client_of

CHOSEN = "_remote_chosen_home"
# Absolute: the pages are found whichever script Streamlit was started with (the Cloud's streamlit_app.py).
PAGES = Path(__file__).resolve().parent.parent / "dashboard" / "remote"
LIBRARY_PAGE = PAGES / "library.py"


def last_seen(home: Home, now: datetime | None = None) -> str:
    """ "Online" or "Offline, last seen 2 hours ago", by the heartbeat's age alone."""
    now = now or datetime.now(UTC)
    if home.online(now):
        return "Online"
    if home.last_sync is None:
        return "Offline, never seen yet"
    return f"Offline, last seen {humanize.naturaltime(now - home.last_sync)}"


def _no_project(reason: str | None = None) -> None:
    st.title("NiluFlix remote")
    if reason:
        st.error(reason, icon=":material/error:")
    st.info(
        "Open this page through the link on your home's **Remote** page (or scan its QR code): the link says "
        "which Supabase project to use.",
        icon=":material/link:",
    )
    st.stop()


def _pick_home(homes: list[Home]) -> Home:
    ids = [h.desktop_app_id for h in homes]
    chosen = st.session_state.get(CHOSEN)
    if chosen not in ids:
        # The one heard from last is the likeliest to be the one meant.
        chosen = max(homes, key=lambda h: h.last_sync or datetime.min.replace(tzinfo=UTC)).desktop_app_id
        st.session_state[CHOSEN] = chosen
    return homes[ids.index(chosen)]


def status_line(home: Home) -> None:
    seen = last_seen(home)
    online = home.online()
    icon = ":material/cloud_done:" if online else ":material/cloud_off:"
    colour = "green" if online else "gray"
    with st.container(key="home-status"):
        st.markdown(f":{colour}-badge[{icon} {seen}] **{literal(home.name)}**")


def pages() -> list:
    """Sign in (or stop at the form), read the homes, draw the status line and the menu; the pages (for
    `st.navigation(..., position="hidden")`)."""
    settings = UiSettings()
    try:
        found = project.current(settings)
    except ValueError as exc:
        _no_project(f"This Supabase project cannot be used: {exc}")
    if found is None:
        _no_project()
    backend = SupabaseSignIn(found)
    session = signin.gate(backend, trust_this_machine=False)
    client = client_of(session.token.get_secret_value()) if session and session.token else None
    if client is None:
        # The gate trusted its recent check, but this server no longer holds the session (signed out in
        # another tab, or expired): end it here too, and the next run asks to sign in.
        signin.sign_out(backend)
        st.rerun()
    store = SupabaseStore(client, found.url)
    st.session_state[connection.STORE] = store
    st.session_state["_remote_backend"] = backend
    try:
        homes = store.homes()
    except RemoteError as exc:
        st.error(exc.message, icon=":material/error:")
        st.stop()
    if not homes:
        st.title("No home yet")
        st.info(
            "No NiluFlix home has connected to this project yet. On your home's **Remote** page, turn on remote "
            "access with this same email; its library shows here a minute later.",
            icon=":material/home:",
        )
        signin.account_section(backend)
        st.stop()
    st.session_state[connection.HOMES] = homes
    home = _pick_home(homes)
    st.session_state[connection.HOME] = home
    status_line(home)
    pages = [
        st.Page(LIBRARY_PAGE, title="Library", icon=":material/video_library:", default=True),
        st.Page(PAGES / "search.py", title="Search", icon=":material/search:"),
        st.Page(PAGES / "downloads.py", title="Downloads", icon=":material/download:"),
        st.Page(PAGES / "account.py", title="Account", icon=":material/person:"),
    ]
    # Streamlit folds its own menu into a hidden sidebar on a phone: these stay in sight, thumb-sized.
    with st.container(horizontal=True, key="remote-nav", gap="small"):
        for page in pages:
            st.page_link(page, label=page.title, icon=page.icon)
    return pages
