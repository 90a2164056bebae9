"""Remote access's routes where no Supabase project is needed: keys that bypass row-level security are
refused, an unreachable project is a 502 with the reason, the link needs remote access on, and the status
of an install that never turned it on."""

import base64
import json
import socket

import httpx
import pytest

from .conftest import client_from

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # supabase-py's own internals


def jwt_with_role(role: str) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'role': role, 'iss': 'supabase'})}.c2lnbmF0dXJl"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def enable_body(**fields: str) -> dict[str, str]:
    return {
        "supabase_url": f"http://127.0.0.1:{closed_port()}",
        "anon_key": jwt_with_role("anon"),
        "email": "owner@example.com",
        "password": "correct horse battery staple",
    } | fields


async def test_a_fresh_install_has_remote_access_off_with_a_stable_instance_id(
    client: httpx.AsyncClient,
) -> None:
    first = (await client.get("/api/remote/status")).json()
    again = (await client.get("/api/remote/status")).json()

    assert first["enabled"] is False
    assert first["state"] == "off"
    assert first["last_error"] is None
    assert first["realtime"] is False
    assert first["mirrored_items"] == 0
    assert len(first["desktop_app_id"]) >= 8
    assert again["desktop_app_id"] == first["desktop_app_id"]


@pytest.mark.parametrize(
    ("key", "said"),
    [
        (jwt_with_role("service_role"), "service_role"),
        ("sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz", "sb_secret_"),
    ],
)
async def test_a_key_that_bypasses_row_level_security_is_refused(
    client: httpx.AsyncClient, key: str, said: str
) -> None:
    r = await client.post("/api/remote/enable", json=enable_body(anon_key=key))

    assert r.status_code == 422
    assert said in r.json()["detail"]
    assert "row-level security" in r.json()["detail"]
    assert (await client.get("/api/remote/status")).json()["enabled"] is False


async def test_an_unreachable_project_is_a_502_saying_so(client: httpx.AsyncClient) -> None:
    body = enable_body()
    r = await client.post("/api/remote/enable", json=body)

    assert r.status_code == 502
    assert body["supabase_url"] in r.json()["detail"]
    assert "did not answer" in r.json()["detail"]
    assert (await client.get("/api/remote/status")).json()["state"] == "off"


async def test_a_url_that_is_not_http_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/remote/enable", json=enable_body(supabase_url="abcd.supabase.co"))

    assert r.status_code == 422
    assert "https://" in r.json()["detail"]


async def test_the_link_needs_remote_access_on(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/remote/link")

    assert r.status_code == 409
    assert "remote access is off" in r.json()["detail"]


async def test_disable_when_off_answers_the_status(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/remote/disable")

    assert r.status_code == 200
    assert r.json()["state"] == "off"


async def test_another_host_needs_the_api_key(app) -> None:
    async with client_from(app, ("203.0.113.9", 5000)) as outsider:
        refused = await outsider.post("/api/remote/enable", json=enable_body())
        status = await outsider.get("/api/remote/status")

    assert refused.status_code == 401
    assert status.status_code == 401
