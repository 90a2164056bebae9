"""The access rule: this machine and NiluFlix's own UI pass, any other caller needs the API key.

"This machine" is the socket's peer address only (`niluflix.locality`): forwarding headers are never
believed, and a request that carries one came through a proxy, so it counts as coming from elsewhere even
when the proxy itself is local. The UI proves itself with the trusted-client credential
(`niluflix.client_credential`), so it passes from its own container too.
"""

import hmac

from starlette.requests import HTTPConnection

from gateway.errors import LocalOnly, NotAuthenticated
from niluflix import locality
from niluflix.client_credential import FILE_NAME as CLIENT_KEY_FILE
from niluflix.client_credential import HEADER as CLIENT_HEADER

API_KEY_HEADER = "X-Api-Key"
API_KEY_QUERY = "apikey"


def is_local(conn: HTTPConnection) -> bool:
    return locality.is_local(conn.client.host if conn.client else None, conn.headers.keys())


def is_trusted_client(conn: HTTPConnection, client_key: str) -> bool:
    """Whether the caller is NiluFlix's UI; a wrong credential is refused, not merely ignored."""
    offered = conn.headers.get(CLIENT_HEADER)
    if offered is None:
        return False
    if not client_key or not hmac.compare_digest(offered.encode(), client_key.encode()):
        raise NotAuthenticated(
            f"invalid {CLIENT_HEADER} credential: the UI and the gateway must share one data folder "
            f"(NILUFLIX_DATA_DIR, where {CLIENT_KEY_FILE} is)"
        )
    return True


def check_access(conn: HTTPConnection, api_key: str, *, offered: str | None, client_key: str = "") -> None:
    """Raise `NotAuthenticated` unless the caller is local, the UI, or offers the right API key."""
    # Locality first: a caller on this machine could leave a stale credential out and pass anyway.
    if is_local(conn) or is_trusted_client(conn, client_key):
        return
    if not offered:
        raise NotAuthenticated(f"requests from other hosts need the API key in the {API_KEY_HEADER} header")
    if not hmac.compare_digest(offered.encode(), api_key.encode()):
        raise NotAuthenticated("invalid API key")


def check_local(conn: HTTPConnection, client_key: str, *, what: str) -> None:
    """Raise `LocalOnly` unless the caller is this machine or the UI: `what` says what they asked for."""
    if not (is_local(conn) or is_trusted_client(conn, client_key)):
        raise LocalOnly(f"only this machine or the NiluFlix UI may {what}")
