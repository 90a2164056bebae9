"""The access rule: a request from this machine passes, any other needs the API key.

"This machine" is the socket's peer address only. Forwarding headers are never believed, and a request
that carries one came through a proxy, so it is treated as coming from elsewhere even when the proxy
itself is local.
"""

import hmac
import ipaddress

from starlette.requests import HTTPConnection

from gateway.errors import LocalOnly, NotAuthenticated

API_KEY_HEADER = "X-Api-Key"
API_KEY_QUERY = "apikey"
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def is_local(conn: HTTPConnection) -> bool:
    if any(name in conn.headers for name in FORWARDING_HEADERS):
        return False
    return is_loopback(conn.client.host if conn.client else None)


def check_access(conn: HTTPConnection, api_key: str, *, offered: str | None) -> None:
    """Raise `NotAuthenticated` unless the caller is local or offers the right key."""
    if is_local(conn):
        return
    if not offered:
        raise NotAuthenticated(f"requests from other hosts need the API key in the {API_KEY_HEADER} header")
    if not hmac.compare_digest(offered.encode(), api_key.encode()):
        raise NotAuthenticated("invalid API key")


def check_local(conn: HTTPConnection) -> None:
    if not is_local(conn):
        raise LocalOnly("only this machine may read the API key")
