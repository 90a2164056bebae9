"""The access rule: this machine and NiluFlix's own UI pass, any other caller needs the API key.

"This machine" is judged by `niluflix.locality` from the socket's peer address: forwarding headers are
believed only from a configured trusted proxy, and a request that carries one from any other peer came
through a proxy, so it counts as coming from elsewhere even when the proxy itself is local. The gatekeeper
(`auth/gatekeeper.py`) judges each request once and keeps the answer in its scope. The UI proves itself with
the trusted-client credential (`niluflix.client_credential`), so it passes from its own container too.

Wrong API keys are counted per client address (`auth/throttle.py`): a few are free, then the client must
wait, longer after each, and is refused meanwhile even with the right key.
"""

import hmac
import logging

from starlette.requests import HTTPConnection

from gateway.auth.throttle import Throttle
from gateway.errors import LocalOnly, NotAuthenticated
from niluflix import locality
from niluflix.client_credential import FILE_NAME as CLIENT_KEY_FILE
from niluflix.client_credential import HEADER as CLIENT_HEADER

API_KEY_HEADER = "X-Api-Key"
API_KEY_QUERY = "apikey"
CLIENT_SCOPE_KEY = "niluflix.client"

log = logging.getLogger(__name__)


def client_of(conn: HTTPConnection) -> locality.Client:
    """The client as the gatekeeper judged it; without one in front, by the rule with no trusted proxies."""
    client = conn.scope.get(CLIENT_SCOPE_KEY)
    if client is None:
        client = locality.judge(conn.client.host if conn.client else None, conn.headers)
    return client


def is_local(conn: HTTPConnection) -> bool:
    return client_of(conn).local


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


def check_access(
    conn: HTTPConnection,
    api_key: str,
    *,
    offered: str | None,
    client_key: str = "",
    throttle: Throttle | None = None,
) -> None:
    """Raise `NotAuthenticated` unless the caller is local, the UI, or offers the right API key;
    `TooManyAttempts` while `throttle` makes this client wait after wrong keys."""
    # Locality first: a caller on this machine could leave a stale credential out and pass anyway.
    if is_local(conn) or is_trusted_client(conn, client_key):
        return
    if not offered:
        raise NotAuthenticated(f"requests from other hosts need the API key in the {API_KEY_HEADER} header")
    client = client_of(conn).address
    if throttle is not None:
        throttle.check(client)
    if not hmac.compare_digest(offered.encode(), api_key.encode()):
        if throttle is not None:
            throttle.failed(client)
        log.warning("wrong API key from %s", client)
        raise NotAuthenticated("invalid API key")
    if throttle is not None:
        throttle.succeeded(client)


def check_local(conn: HTTPConnection, client_key: str, *, what: str) -> None:
    """Raise `LocalOnly` unless the caller is this machine or the UI: `what` says what they asked for."""
    if not (is_local(conn) or is_trusted_client(conn, client_key)):
        raise LocalOnly(f"only this machine or the NiluFlix UI may {what}")
