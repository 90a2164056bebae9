"""`/api/auth`: the owner's password and sign-in sessions for browsers on other machines.

Only this machine and NiluFlix's own UI (the trusted client) may call these: the UI asks on behalf of a
browser, and says which one (`client`), so wrong passwords are counted per browser. Clearing a forgotten
password is for this machine alone (`niluflix reset-password`), never the UI: no browser can reach it.
"""

import logging
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.api.models import AuthStatus, NewSession, PasswordForm, PasswordReset, SessionView
from gateway.api.problems import doc
from gateway.auth.accounts import check_password, forget_password, password_is_set, set_first_password
from gateway.auth.guard import check_local, is_local
from gateway.auth.sessions import end_every_session, end_session, find_session, start_session
from gateway.deps import GatewayState, StateDep
from gateway.errors import LocalOnly, NotAuthenticated
from niluflix.client_credential import SESSION_HEADER
from niluflix.errors import Unavailable

log = logging.getLogger(__name__)


async def require_local_or_ui(request: Request, state: StateDep) -> None:
    check_local(request, state.client_key, what="set the password or sign browsers in")


# Another host is a 403; the gateway's database not open yet a 503.
router = APIRouter(
    prefix="/api/auth", tags=["sign-in"], dependencies=[Depends(require_local_or_ui)], responses=doc(403, 503)
)


SessionToken = Annotated[
    str, Header(alias=SESSION_HEADER, description="A token from POST /api/auth/sessions")
]


def _engine(state: GatewayState) -> AsyncEngine:
    if state.engine is None:
        raise Unavailable("the gateway's database is not open yet")
    return state.engine


def _client(form: PasswordForm, request: Request) -> str:
    return form.client or (request.client.host if request.client else "unknown")


def _lifetime(state: GatewayState) -> timedelta:
    return timedelta(days=state.settings.session_days)


@router.get("/status", response_model=AuthStatus)
async def status(state: StateDep) -> AuthStatus:
    return AuthStatus(password_set=await password_is_set(_engine(state)))


@router.post("/password", response_model=NewSession, status_code=201, responses=doc(409))
async def set_password(form: PasswordForm, request: Request, state: StateDep) -> NewSession:
    """Set the owner's first password and sign that browser in; 409 once a password exists."""
    user = await set_first_password(_engine(state), form.password)
    session = await start_session(_engine(state), user, _lifetime(state))
    log.info("owner password set from %s; signed in", _client(form, request))
    return NewSession(user=session.user, expires_at=session.expires_at, token=session.token)


async def require_this_machine(request: Request) -> None:
    if not is_local(request):
        raise LocalOnly(
            "only this machine may clear the owner's password: run `niluflix reset-password` there"
        )


@router.delete("/password", response_model=PasswordReset, dependencies=[Depends(require_this_machine)])
async def reset_password(state: StateDep) -> PasswordReset:
    """Clear a forgotten password and sign every browser out; the next visit from elsewhere sets a new one."""
    ended = await end_every_session(_engine(state))
    was_set = await forget_password(_engine(state))
    log.warning(
        "the owner's password was %s from this machine; %d browser(s) signed out",
        "cleared" if was_set else "reset (none was set)",
        ended,
    )
    return PasswordReset(password_was_set=was_set, sessions_ended=ended)


@router.post("/sessions", response_model=NewSession, status_code=201, responses=doc(401, 409, 429))
async def sign_in(form: PasswordForm, request: Request, state: StateDep) -> NewSession:
    """Check the password: a session token on success, 401 when wrong, 429 while the browser must wait."""
    client = _client(form, request)
    state.sign_in_throttle.check(client)
    user = await check_password(_engine(state), form.password)
    if user is None:
        state.sign_in_throttle.failed(client)
        log.warning("wrong password from %s", client)
        raise NotAuthenticated("wrong password")
    state.sign_in_throttle.succeeded(client)
    session = await start_session(_engine(state), user, _lifetime(state))
    log.info("%s signed in from %s", user, client)
    return NewSession(user=session.user, expires_at=session.expires_at, token=session.token)


@router.get("/session", response_model=SessionView, responses=doc(401))
async def current_session(token: SessionToken, state: StateDep) -> SessionView:
    """Who the session token signs in, and until when; 401 with the reason when it does not."""
    session = await find_session(_engine(state), token)
    return SessionView(user=session.user, expires_at=session.expires_at)


@router.delete("/session", status_code=204, responses=doc(401))
async def sign_out(token: SessionToken, state: StateDep) -> Response:
    await end_session(_engine(state), token)
    log.info("a browser signed out")
    return Response(status_code=204)
