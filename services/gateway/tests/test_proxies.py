"""Proxies: any forwarding header makes a local request remote; only a configured proxy names the client."""

import httpx
import pytest
from fastapi import FastAPI
from gateway.main import create_app
from gateway.settings import GatewaySettings

from niluflix import locality

from .conftest import client_from

LOCAL = ("127.0.0.1", 5000)
PROXY = ("10.0.0.5", 5000)

# What proxies and CDNs add when they pass a request on; each alone makes the request someone else's.
HEADERS = {
    "Forwarded": "for=203.0.113.7",
    "X-Forwarded-For": "203.0.113.7",
    "X-Real-IP": "203.0.113.7",
    "X-Client-IP": "203.0.113.7",
    "CF-Connecting-IP": "203.0.113.7",
    "True-Client-IP": "203.0.113.7",
    "Fastly-Client-IP": "203.0.113.7",
    "X-Cluster-Client-IP": "203.0.113.7",
    "Via": "1.1 proxy",
    "X-Forwarded-Host": "nas.example.com",
    "X-Forwarded-Proto": "https",
}


async def test_each_proxy_header_from_this_machine_needs_the_key(client: httpx.AsyncClient) -> None:
    # Through real uvicorn on 127.0.0.1: a local reverse proxy passing on another host's request.
    for name, value in HEADERS.items():
        r = await client.get("/api/settings", headers={name: value})
        assert r.status_code == 401, name
        assert "X-Api-Key" in r.json()["detail"]
    assert (await client.get("/api/settings")).status_code == 200


def test_the_ui_applies_the_same_rule() -> None:
    # The UI's browser check (ui/signin/browser.py) has header names only, and no trusted proxies.
    for name in HEADERS:
        assert not locality.is_local("127.0.0.1", [name.lower()]), name
    assert locality.is_local("::1", ["host", "user-agent"])
    assert not locality.is_local("192.168.1.5", [])


@pytest.fixture
async def behind_proxy(settings: GatewaySettings):
    app = create_app(settings.model_copy(update={"trusted_proxies": ["10.0.0.0/24", "127.0.0.1"]}))
    async with app.router.lifespan_context(app):
        yield app


async def test_a_trusted_proxy_names_the_client(behind_proxy: FastAPI) -> None:
    # The right-most hop that is no trusted proxy is the client; hops left of it are the client's own words.
    async with client_from(behind_proxy, PROXY, **{"X-Forwarded-For": "127.0.0.1, 203.0.113.7"}) as spoofed:
        r = await spoofed.get("/api/settings")
        assert r.status_code == 401
    chain = {"X-Forwarded-For": "203.0.113.7, 127.0.0.1, 10.0.0.9"}  # 10.0.0.9: a second trusted proxy
    async with client_from(behind_proxy, PROXY, **chain) as remote:
        assert (await remote.get("/api/settings")).status_code == 401
    # The owner on the proxy's own machine, through it: local.
    async with client_from(behind_proxy, LOCAL, **{"X-Forwarded-For": "127.0.0.1"}) as owner:
        assert (await owner.get("/api/settings/api-key")).status_code == 200
    # A trusted proxy that names no client passed someone's request on: not local.
    async with client_from(behind_proxy, LOCAL, **{"X-Real-IP": "127.0.0.1"}) as unnamed:
        assert (await unnamed.get("/api/settings")).status_code == 401


async def test_forwarding_headers_from_an_untrusted_peer_are_not_believed(behind_proxy: FastAPI) -> None:
    async with client_from(
        behind_proxy, ("203.0.113.7", 5000), **{"X-Forwarded-For": "127.0.0.1"}
    ) as spoofed:
        assert (await spoofed.get("/api/settings")).status_code == 401


def test_judging_the_client() -> None:
    trusted = locality.parse_networks(["10.0.0.0/24"])
    judged = locality.judge("10.0.0.5", {"x-forwarded-for": "198.51.100.1, 203.0.113.7"}, trusted)
    assert judged == locality.Client(address="203.0.113.7", local=False)
    judged = locality.judge("10.0.0.5", {"X-Forwarded-For": "10.0.0.6"}, trusted)
    assert judged == locality.Client(address="10.0.0.6", local=False)
    assert locality.judge("10.0.0.5", {}, trusted) == locality.Client(address="10.0.0.5", local=False)
    assert locality.judge("127.0.0.1", {}, trusted) == locality.Client(address="127.0.0.1", local=True)
    assert locality.judge("::ffff:127.0.0.1", {}).local
    assert not locality.judge("127.0.0.1", {"via": "1.1 x"}).local
