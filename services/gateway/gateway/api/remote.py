"""Remote access: turn it on with the user's own Supabase project and login, see its state, pair a phone."""

import io

import segno
from fastapi import APIRouter
from pydantic import BaseModel

from gateway.api.problems import doc
from gateway.deps import StateDep
from gateway.remote.access import EnableRemote, RemoteAccess, RemoteStatus
from niluflix.errors import Unavailable

router = APIRouter(prefix="/api/remote", tags=["remote"])


class RemoteLinkView(BaseModel):
    url: str
    qr_svg: str


def _remote(state: StateDep) -> RemoteAccess:
    if state.remote is None:
        raise Unavailable("remote access is not loaded yet")
    return state.remote


@router.get("/status", response_model=RemoteStatus, responses=doc(503))
async def status(state: StateDep) -> RemoteStatus:
    return _remote(state).status()


@router.post("/enable", response_model=RemoteStatus, responses=doc(409, 502, 503))
async def enable(state: StateDep, body: EnableRemote) -> RemoteStatus:
    """Sign in to the user's Supabase project. Only the refresh token is kept (sealed), never the password;
    a service-role or secret key is refused: it would bypass row-level security."""
    return await _remote(state).enable(body)


@router.post("/disable", response_model=RemoteStatus, responses=doc(502, 503))
async def disable(state: StateDep) -> RemoteStatus:
    """Sign out and forget the login; the home shows offline. Mirrored rows may stay in the project."""
    return await _remote(state).disable()


@router.get("/link", response_model=RemoteLinkView, responses=doc(409, 503))
async def link(state: StateDep) -> RemoteLinkView:
    """The remote web UI's address with the project's URL and public anon key, and its QR code: the phone
    opens it and signs in with the user's own login."""
    url = _remote(state).link_url()
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=4, xmldecl=False, svgns=True)
    return RemoteLinkView(url=url, qr_svg=svg.getvalue().decode())
