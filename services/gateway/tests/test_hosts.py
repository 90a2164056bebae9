"""DNS rebinding: the gateway answers only to this machine's names, IP addresses and the configured ones."""

import socket

import httpx
import pytest
import websockets
from gateway.settings import GatewaySettings

from .conftest import RunningGateway, serve_gateway


async def test_a_foreign_host_name_cannot_read_the_api_key(client: httpx.AsyncClient) -> None:
    # A page on evil.example made its name resolve to 127.0.0.1: the browser is on this machine.
    r = await client.get("/api/settings/api-key", headers={"Host": "evil.example:7979"})
    assert r.status_code == 421
    assert r.json()["code"] == "misdirected_request"
    assert "evil.example" in r.json()["detail"] and "NILUFLIX_GATEWAY_ALLOWED_HOSTS" in r.json()["detail"]
    assert "api_key" not in r.text
    # Nor can it change anything, nor pass with a name that only ends like ours.
    r = await client.put("/api/settings", json={}, headers={"Host": "localhost.evil.example"})
    assert r.status_code == 421


async def test_a_foreign_host_name_cannot_open_the_websocket(
    gateway: RunningGateway, settings: GatewaySettings
) -> None:
    # The URL's name is the Host header; the connection still goes to 127.0.0.1, as a rebound name's would.
    rebound = f"ws://evil.example:{settings.port}/ws"
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(rebound, host="127.0.0.1", port=settings.port):
            pass
    assert refused.value.response.status_code == 421
    async with websockets.connect(gateway.ws_url):  # Host: 127.0.0.1:<port>
        pass


async def test_this_machine_by_name_or_any_address_passes(client: httpx.AsyncClient) -> None:
    # A rebinding page always sends its own name, so an IP address in Host is never one.
    for host in ("localhost", "LOCALHOST:7979", "127.0.0.1:7979", "[::1]:7979", "niluflix.localhost"):
        r = await client.get("/api/settings/api-key", headers={"Host": host})
        assert r.status_code == 200 and r.json()["api_key"], host
    assert (await client.get("/api/health/live", headers={"Host": "192.168.1.20:7979"})).status_code == 200


async def test_the_machine_s_own_host_name_passes(client: httpx.AsyncClient) -> None:
    # What a LAN user types (`http://nas:7979`), and its mDNS form (`http://nas.local:7979`).
    short = socket.gethostname().split(".", 1)[0]
    for host in (f"{socket.gethostname()}:7979", f"{short}.local:7979"):
        assert (await client.get("/api/health/live", headers={"Host": host})).status_code == 200, host


async def test_configured_names_pass_and_star_turns_the_check_off(settings: GatewaySettings) -> None:
    configured = settings.model_copy(update={"allowed_hosts": ["nas.example.com:7979", "*.home.example"]})
    async with serve_gateway(configured) as gateway, httpx.AsyncClient(base_url=gateway.url) as http:
        for host in ("nas.example.com", "NAS.example.com.:7979", "media.home.example"):
            assert (await http.get("/api/health/live", headers={"Host": host})).status_code == 200, host
        for host in ("evil.example", "home.example.evil", "example.com"):
            assert (await http.get("/api/health/live", headers={"Host": host})).status_code == 421, host

    behind_a_proxy = settings.model_copy(update={"allowed_hosts": ["*"]})
    async with serve_gateway(behind_a_proxy) as gateway, httpx.AsyncClient(base_url=gateway.url) as http:
        assert (await http.get("/api/health/live", headers={"Host": "evil.example"})).status_code == 200


def test_the_setting_is_a_comma_list(monkeypatch: pytest.MonkeyPatch, settings: GatewaySettings) -> None:
    # Compose writes `gateway,${NILUFLIX_GATEWAY_ALLOWED_HOSTS:-}`: the UI container reaches it as gateway.
    monkeypatch.setenv("NILUFLIX_GATEWAY_ALLOWED_HOSTS", "gateway, nas.example.com,")
    monkeypatch.setenv("NILUFLIX_GATEWAY_TRUSTED_PROXIES", "172.18.0.0/16,10.0.0.5")
    read = GatewaySettings(data_dir=settings.data_dir)
    assert read.allowed_hosts == ["gateway", "nas.example.com"]
    assert [str(n) for n in read.trusted_networks] == ["172.18.0.0/16", "10.0.0.5/32"]

    monkeypatch.setenv("NILUFLIX_GATEWAY_TRUSTED_PROXIES", "proxy.example")
    with pytest.raises(ValueError, match="'proxy.example' is not an IP address or a CIDR network"):
        GatewaySettings(data_dir=settings.data_dir)


async def test_the_compose_service_name_passes_when_configured(settings: GatewaySettings) -> None:
    compose = settings.model_copy(update={"allowed_hosts": ["gateway"]})
    async with serve_gateway(compose) as gateway, httpx.AsyncClient(base_url=gateway.url) as http:
        r = await http.get("/api/health/live", headers={"Host": "gateway:7979"})
        assert r.status_code == 200
