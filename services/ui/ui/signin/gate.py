"""The gate before every page: browsers on this machine pass, others sign in (or first set the password).

A signed-in browser keeps its session in the Streamlit session and in a cookie (cookie.py), so a reload
keeps it signed in; the gateway is asked again at most every `RECHECK_SECONDS` whether the session still
holds, so one signed out or expired elsewhere is let go soon after.
"""

import time
from datetime import UTC, datetime

import streamlit as st
from pydantic import SecretStr

from niluflix.errors import ServiceError
from ui.connection import gateway
from ui.gateway_client import UserSession
from ui.signin import cookie
from ui.signin.backend import SignInBackend
from ui.signin.browser import browser_address, browser_is_local
from ui.signin.gateway_backend import GatewaySignIn

RECHECK_SECONDS = 30.0
FORM_WIDTH = 520

# st.session_state keys
_SESSION = "_signin_session"
_CHECKED = "_signin_checked_at"
_COOKIE = "_signin_cookie_change"  # what to do to the cookie in the next run: remember or forget
_ENDED = "_signin_ended_tokens"  # tokens signed out here, which the page's old cookie may still offer


def gate(backend: SignInBackend | None = None, *, trust_this_machine: bool = True) -> UserSession | None:
    """None for a browser on this machine, the session of a signed-in one; for any other browser, draw the
    sign-in form (or, on the first visit, the set-a-password form) and stop the run.

    A dashboard served from elsewhere than NiluFlix's machine (the remote web UI) passes its own backend and
    `trust_this_machine=False`: there, every browser signs in."""
    if trust_this_machine and browser_is_local():
        return None
    backend = backend or GatewaySignIn(gateway())
    _apply_cookie_change()
    try:
        session = _current(backend)
        if session is not None:
            return session
        form = _password_setup_form if backend.needs_password_setup() else _sign_in_form
        with st.container(width=FORM_WIDTH):
            form(backend)
    except ServiceError as exc:
        st.error(exc.message, icon=":material/error:")
    st.stop()


def account_section(backend: SignInBackend | None = None) -> None:
    """Who this browser is signed in as, and a way to sign out; nothing when it did not sign in (a browser
    on this machine)."""
    session: UserSession | None = st.session_state.get(_SESSION)
    if session is None:
        return
    until = session.expires_at.astimezone().strftime("%d %b %Y")
    st.caption(f"This browser is signed in as **{session.user}** until {until}.")
    st.button("Sign out", key="nf-sign-out", icon=":material/logout:", on_click=_sign_out, args=(backend,))


def _current(backend: SignInBackend) -> UserSession | None:
    state = st.session_state
    session: UserSession | None = state.get(_SESSION)
    if session is not None and session.token is not None:
        fresh = time.monotonic() - state.get(_CHECKED, 0.0) < RECHECK_SECONDS
        if fresh and session.expires_at > datetime.now(UTC):
            return session
        token = session.token.get_secret_value()
    else:
        token = cookie.read()
        if token is None or token in state.get(_ENDED, ()):
            return None
    found = backend.current_user(token)
    if found is None:
        _forget(token)
        return None
    session = found.model_copy(update={"token": SecretStr(token)})
    _keep(session)
    return session


def _keep(session: UserSession) -> None:
    st.session_state[_SESSION] = session
    st.session_state[_CHECKED] = time.monotonic()


def _forget(token: str) -> None:
    st.session_state.pop(_SESSION, None)
    st.session_state.setdefault(_ENDED, set()).add(token)
    st.session_state[_COOKIE] = "forget"


def _signed_in_now(session: UserSession) -> None:
    _keep(session)
    st.session_state[_COOKIE] = "remember"
    st.rerun()


def _apply_cookie_change() -> None:
    change = st.session_state.pop(_COOKIE, None)
    session: UserSession | None = st.session_state.get(_SESSION)
    if change == "remember" and session is not None and session.token is not None:
        cookie.remember(session.token.get_secret_value(), session.expires_at)
    elif change == "forget":
        cookie.forget()


def sign_out(backend: SignInBackend | None = None) -> None:
    """End this browser's session here and at the backend (also when the backend has already let it go)."""
    _sign_out(backend)


def _sign_out(backend: SignInBackend | None) -> None:
    session: UserSession | None = st.session_state.get(_SESSION)
    if session is None or session.token is None:
        return
    token = session.token.get_secret_value()
    _forget(token)
    try:
        (backend or GatewaySignIn(gateway())).sign_out(token)
    except ServiceError as exc:
        st.session_state["_signin_error"] = f"Signed out here, but NiluFlix could not end the session: {exc}"


def _heading(title: str, text: str) -> None:
    st.title(title)
    st.write(text)
    if error := st.session_state.pop("_signin_error", None):
        st.warning(error, icon=":material/warning:")


def _password_setup_form(backend: SignInBackend) -> None:
    _heading(
        "Set a password",
        "This browser is on another machine than NiluFlix. Before NiluFlix can be used from anywhere but "
        "its own machine, choose the password that every other machine will be asked for.",
    )
    with st.form("nf-set-password", clear_on_submit=True):
        password = st.text_input("New password", type="password", autocomplete="new-password")
        repeated = st.text_input("Repeat the password", type="password", autocomplete="new-password")
        if not st.form_submit_button("Set password", type="primary"):
            return
    if password != repeated:
        st.error("The two passwords differ: type the same one twice.", icon=":material/error:")
        return
    try:
        session = backend.set_password(password, client=browser_address())
    except ServiceError as exc:
        st.error(exc.message, icon=":material/error:")
        return
    _signed_in_now(session)


def _sign_in_form(backend: SignInBackend) -> None:
    _heading("Sign in to NiluFlix", backend.sign_in_intro)
    with st.form("nf-sign-in", clear_on_submit=True):
        email = st.text_input("Email", autocomplete="username") if backend.asks_for_email else None
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
        st.caption(backend.forgotten_password)
    if not submitted:
        return
    try:
        session = backend.sign_in(password, client=browser_address(), email=email)
    except ServiceError as exc:
        st.error(exc.message, icon=":material/error:")
        return
    _signed_in_now(session)
