"""Who counts as "this machine": the one rule the gateway and the UI both apply to a connection.

Local means the socket's peer is a loopback address and the request carries no forwarding header. Such a
header means a proxy passed on someone else's request, so the request counts as coming from elsewhere even
when the proxy itself is local; what the header says is never believed.
"""

import ipaddress
from collections.abc import Iterable

FORWARDING_HEADERS = frozenset({"forwarded", "x-forwarded-for", "x-real-ip"})


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


def is_local(peer: str | None, header_names: Iterable[str]) -> bool:
    if any(name.lower() in FORWARDING_HEADERS for name in header_names):
        return False
    return is_loopback(peer)
