"""Signing in to the user's Supabase project with email and password, for the remote web UI.

The gate keeps a browser's session as an opaque token (in the Streamlit session and a cookie, as for the
home's own sign-in); the token names a supabase-py client kept here, in this server's memory, signed in as that
user, whose access token supabase-py refreshes. The password is never kept, and only the project's publishable
(anon) key is used: what the client can read and write is what row-level security lets that user.
"""

import logging
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from supabase import Client, ClientOptions, create_client
from supabase_auth.errors import AuthApiError, AuthError, AuthRetryableError

from niluflix.errors import InvalidRequest
from ui.gateway_client import UserSession
from ui.remote.errors import ProjectRejected, ProjectUnreachable
from ui.remote.project import Project

log = logging.getLogger(__name__)

SESSION_DAYS = 7
"""How long a browser stays signed in without signing in again (while this server keeps running)."""
MAX_SESSIONS = 500
REQUEST_TIMEOUT = 10


@dataclass
class _Signed:
    project: Project
    client: Client
    email: str
    expires_at: datetime


_sessions: OrderedDict[str, _Signed] = OrderedDict()
_lock = threading.Lock()


def client_of(token: str) -> Client | None:
    """The signed-in supabase-py client of a gate session token; None once it has ended."""
    with _lock:
        found = _sessions.get(token)
    return found.client if found is not None and found.expires_at > datetime.now(UTC) else None


def new_client(project: Project) -> Client:
    options = ClientOptions(
        auto_refresh_token=True,
        persist_session=False,
        # A page waits for its answer: say that the project is slow instead of retrying for 7 s.
        postgrest_client_retry=False,
        postgrest_client_timeout=REQUEST_TIMEOUT,
    )
    return create_client(project.url, project.anon_key, options)


class SupabaseSignIn:
    asks_for_email = True
    forgotten_password = (
        "Forgot the password? Reset it in your Supabase project (Authentication → Users), or sign in with "
        "another user of the project."
    )
    sign_in_intro = (
        "Sign in with the email and password of your NiluFlix remote access (your Supabase project)."
    )

    def __init__(self, project: Project) -> None:
        self._project = project

    def needs_password_setup(self) -> bool:
        return False  # users are made in the Supabase project, not here

    def set_password(self, password: str, *, client: str | None) -> UserSession:
        raise InvalidRequest("Users are made in your Supabase project (Authentication → Users), not here.")

    def sign_in(self, password: str, *, client: str | None, email: str | None = None) -> UserSession:
        email = (email or "").strip()
        if not email or not password:
            raise InvalidRequest("Type your email and your password.")
        supabase = new_client(self._project)
        try:
            supabase.auth.sign_in_with_password({"email": email, "password": password})
        except AuthRetryableError as exc:
            raise ProjectUnreachable(self._project.url) from exc
        except AuthApiError as exc:
            log.info("sign-in refused for a browser at %s: %s", client or "this machine", exc.message)
            if exc.status == 400 or exc.code == "invalid_credentials":
                raise ProjectRejected("Wrong email or password.", exc.code) from exc
            raise ProjectRejected(
                f"Your Supabase project refused the sign-in: {exc.message}", exc.code
            ) from exc
        except AuthError as exc:
            raise ProjectRejected(f"Your Supabase project refused the sign-in: {exc.message}") from exc
        except httpx.TransportError as exc:
            raise ProjectUnreachable(self._project.url) from exc
        token = secrets.token_urlsafe(32)
        expires_at = datetime.now(UTC) + timedelta(days=SESSION_DAYS)
        with _lock:
            _sessions[token] = _Signed(self._project, supabase, email, expires_at)
            while len(_sessions) > MAX_SESSIONS:
                _, oldest = _sessions.popitem(last=False)
                _close(oldest)
        log.info("a browser at %s signed in to %s", client or "this machine", self._project.url)
        return UserSession(user=email, expires_at=expires_at, token=token)

    def current_user(self, token: str) -> UserSession | None:
        with _lock:
            found = _sessions.get(token)
        if found is None or found.project != self._project:
            return None
        if found.expires_at <= datetime.now(UTC):
            self.sign_out(token)
            return None
        return UserSession(user=found.email, expires_at=found.expires_at)

    def sign_out(self, token: str) -> None:
        with _lock:
            found = _sessions.pop(token, None)
        if found is not None:
            _close(found)


def _close(signed: _Signed) -> None:
    try:
        signed.client.auth.sign_out()
    except (AuthError, httpx.TransportError) as exc:
        # The session ends here either way; the project forgets its refresh token when it expires.
        log.warning("could not sign out of %s: %s", signed.project.url, exc)
