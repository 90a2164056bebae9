"""Which `Host` names the gateway answers to, and which web origins may change things: the defence against
DNS rebinding and cross-site requests.

DNS rebinding: a page on `http://evil.example` makes its own name resolve to 127.0.0.1, and the browser, on
this machine, then talks to the gateway as "this machine" with `Host: evil.example`. So a Host that is not
one of this machine's names is refused. Allowed without configuring anything:

- `localhost` and any `*.localhost` (browsers resolve those to loopback themselves);
- any IP address literal (`127.0.0.1`, `[::1]`, `192.168.1.20`): a rebinding page always uses its own *name*,
  so an IP literal in Host never comes from one;
- this machine's host name, its FQDN and `<hostname>.local` (mDNS), as it knows them.

`NILUFLIX_GATEWAY_ALLOWED_HOSTS` adds names (`nas.example.com`, `*.example.com`); `*` turns the check off for a
reverse proxy that rewrites Host. In a container the machine's names are the container's, so Compose adds the
service name `gateway` (how the UI reaches it) and a name LAN browsers type must be configured there.

Cross-site requests: a page elsewhere can make the browser POST here, or open `/ws`. Such a browser request
carries `Origin` (or at least `Referer`); it must be the gateway's own origin, this machine's (a loopback
address, one of its names or interface addresses, at any port), or one of `NILUFLIX_GATEWAY_ALLOWED_ORIGINS`.
Unlike Host, an IP literal in Origin is not enough: it would let any page on the LAN in.
"""

import functools
import ipaddress
import logging
import socket
from urllib.parse import urlsplit

import psutil

log = logging.getLogger(__name__)

ANY = "*"


@functools.cache
def machine_names() -> frozenset[str]:
    """This machine's own names; cached, as looking up the FQDN may ask a DNS server once."""
    names = {"localhost"}
    try:
        hostname = socket.gethostname().lower().rstrip(".")
        fqdn = socket.getfqdn().lower().rstrip(".")
    except OSError as exc:
        log.warning("cannot read this machine's host name (%s): only localhost and IPs are its names", exc)
        return frozenset(names)
    short = hostname.split(".", 1)[0]
    names.update(n for n in (hostname, fqdn, short, f"{short}.local") if n)
    return frozenset(names)


@functools.cache
def machine_addresses() -> frozenset[str]:
    """Every address of this machine's network interfaces, loopback included."""
    found = {"127.0.0.1", "::1"}
    try:
        interfaces = psutil.net_if_addrs()
    except OSError as exc:
        log.warning("cannot list this machine's addresses (%s)", exc)
        return frozenset(found)
    for addresses in interfaces.values():
        for address in addresses:
            if address.family in (socket.AF_INET, socket.AF_INET6):
                found.add(str(ipaddress.ip_address(address.address.split("%", 1)[0])))
    return frozenset(found)


def host_name(host: str) -> str:
    """`Example.COM:7979` → `example.com`, `[::1]:7979` → `::1`: the name part of a Host header or netloc."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") > 1:  # a bare IPv6 address, no port
        return host
    return host.split(":", 1)[0].rstrip(".")


def ip_literal(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return None


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of an Origin or Referer value, lower-case; None for `null` or no URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1].lower()}"


class HostRule:
    def __init__(self, allowed_hosts: list[str], allowed_origins: list[str]) -> None:
        entries = [host_name(h) for h in allowed_hosts if h.strip()]  # `nas.local:7979` means nas.local
        self.any_host = ANY in entries
        self.names = {h for h in entries if h != ANY and not h.startswith("*.")}
        self.suffixes = tuple(h[1:] for h in entries if h.startswith("*."))  # ".example.com"
        self.origins = {o for o in (origin_of(url) for url in allowed_origins) if o}

    def known_name(self, name: str) -> bool:
        return (
            name == "localhost"
            or name.endswith((".localhost", *self.suffixes))
            or name in self.names
            or name in machine_names()
        )

    def host_allowed(self, host: str | None) -> bool:
        """Whether a request with this Host header is for us; one without (HTTP/1.0) cannot be rebinding."""
        if self.any_host or not host:
            return True
        name = host_name(host)
        return ip_literal(name) is not None or self.known_name(name)

    def origin_allowed(self, origin: str, host: str | None) -> bool:
        """Whether a page of `origin` may change things through a request sent with this Host header."""
        if origin in self.origins:
            return True
        netloc = origin.split("://", 1)[1]
        if host and netloc == host.strip().lower():
            return True  # the gateway's own pages: /docs
        name = host_name(netloc)
        address = ip_literal(name)
        if address is not None:
            return address.is_loopback or str(address) in machine_addresses()
        return self.known_name(name)

    def certificate_names(self) -> tuple[list[str], list[str]]:
        """Names and addresses a self-signed certificate should cover: this machine's and the configured."""
        names = sorted(machine_names() | self.names | {f"*{s}" for s in self.suffixes})
        return names, sorted(machine_addresses())
