"""Who counts as "this machine": the one rule the gateway and the UI both apply to a connection.

The socket's peer decides, not what a request says about itself:

- Local means the peer is a loopback address and the request carries no forwarding header at all
  (`is_forwarding_header`: `Forwarded`, any `X-Forwarded-*`, `X-Real-IP`, `X-Client-IP`, `CF-Connecting-IP`,
  `True-Client-IP`, `Via`, ...). Such a header means a proxy passed on someone else's request, so the request
  counts as coming from elsewhere even when the proxy itself is local; what the header says is not believed.
- Only a peer the owner named as a trusted proxy (the gateway's `NILUFLIX_GATEWAY_TRUSTED_PROXIES`, none by
  default) is believed about the client: the client is then the right-most hop of `X-Forwarded-For` that is
  not itself a trusted proxy (the hops to its left were written by whoever sent the request, so they may lie);
  when every hop is a trusted proxy, the left-most one, where the request entered. A trusted proxy that names
  no client is not local: nothing says whose request it passed on.

The UI has no trusted proxies: a browser reaching it through a proxy signs in like any other remote one.
"""

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Headers proxies and CDNs use to pass on who the client was, or that they passed a request on at all.
FORWARDING_HEADERS = frozenset(
    {
        "forwarded",
        "x-real-ip",
        "x-client-ip",
        "x-cluster-client-ip",
        "x-original-forwarded-for",
        "cf-connecting-ip",
        "cf-connecting-ipv6",
        "true-client-ip",
        "fastly-client-ip",
        "akamai-client-ip",
        "x-proxyuser-ip",
        "x-appengine-user-ip",
        "client-ip",
        "via",
    }
)
FORWARDING_PREFIXES = ("x-forwarded-",)  # -for, -host, -proto, -port, -server, ...


def is_forwarding_header(name: str) -> bool:
    name = name.lower()
    return name in FORWARDING_HEADERS or name.startswith(FORWARDING_PREFIXES)


def _address(host: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not host:
        return None
    try:
        address = ipaddress.ip_address(host.strip().strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_loopback(host: str | None) -> bool:
    address = _address(host)
    return address is not None and address.is_loopback


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """IPs and CIDRs (`10.0.0.5`, `172.18.0.0/16`, `::1`) as networks; raises ValueError naming a bad one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an IP address or a CIDR network") from exc
    return tuple(networks)


def _in(host: str | None, networks: Sequence[Network]) -> bool:
    address = _address(host)
    return address is not None and any(address in network for network in networks)


@dataclass(frozen=True)
class Client:
    """Who a request comes from, as judged: `address` is what logs and per-client limits use."""

    address: str
    local: bool


def judge(peer: str | None, headers: Mapping[str, str], trusted_proxies: Sequence[Network] = ()) -> Client:
    """The client of a connection from `peer` with these `headers` (names in any case)."""
    pairs = [(name.lower(), value) for name, value in headers.items()]  # Starlette's keeps repeated ones
    if peer is not None and _in(peer, trusted_proxies):
        hops = [
            hop.strip()
            for name, value in pairs
            if name == "x-forwarded-for"
            for hop in value.split(",")
            if hop.strip()
        ]
        for hop in reversed(hops):
            if not _in(hop, trusted_proxies):
                return Client(address=hop, local=is_loopback(hop))
        if hops:  # every hop a trusted proxy: the first one's own client, on its machine or not
            return Client(address=hops[0], local=is_loopback(hops[0]))
        return Client(address=peer, local=False)
    address = peer or "unknown"
    return Client(address=address, local=is_local(peer, (name for name, _ in pairs)))


def is_local(peer: str | None, header_names: Iterable[str]) -> bool:
    """A loopback peer with no forwarding header: the rule without trusted proxies (the UI's)."""
    if any(is_forwarding_header(name) for name in header_names):
        return False
    return is_loopback(peer)
