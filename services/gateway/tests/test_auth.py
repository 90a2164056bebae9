"""Who may call the API: this machine freely, other hosts with the API key; the key itself."""

import logging
import warnings

import pytest
from fastapi import FastAPI
from gateway.access_log import RedactApiKey
from gateway.main import create_app
from gateway.settings import GatewaySettings
from gateway.tables import ApiKeyRow
from pydantic import SecretStr
from sqlalchemy import select

from niluflix import client_credential
from niluflix.db import make_async_engine, make_sessionmaker

from .conftest import client_from

with warnings.catch_warnings():
    # Starlette would rather its test client ran on "httpx2"; httpx is what the project has, and works.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient, WebSocketDenialResponse

REMOTE = ("203.0.113.7", 5000)
WS = "ws://localhost/ws"  # Starlette's test client would send Host: testserver, a name the gateway refuses


async def test_other_hosts_need_the_key(app: FastAPI) -> None:
    key = app.state.gateway.api_key
    async with client_from(app, REMOTE) as remote:
        r = await remote.get("/api/settings")
        assert r.status_code == 401
        assert r.json()["code"] == "unauthorized" and "X-Api-Key" in r.json()["detail"]

        r = await remote.get("/api/settings", headers={"X-Api-Key": key + "x"})
        assert r.status_code == 401 and r.json()["detail"] == "invalid API key"

        r = await remote.get("/api/settings", params={"apikey": key})
        assert r.status_code == 401, "the query parameter is for the WebSocket only"

        r = await remote.get("/api/settings", headers={"X-Api-Key": key})
        assert r.status_code == 200 and "library_dir" in r.json()
        r = await remote.get("/api/health/live", headers={"X-Api-Key": key})
        assert r.status_code == 200


async def test_this_machine_needs_no_key_unless_forwarded(app: FastAPI) -> None:
    for peer in (("127.0.0.1", 5000), ("::1", 5000)):
        async with client_from(app, peer) as local:
            assert (await local.get("/api/settings")).status_code == 200

    # A local proxy forwarding another host's request must not make it local, nor can a header claim it.
    async with client_from(app, ("127.0.0.1", 5000), **{"X-Forwarded-For": "203.0.113.7"}) as proxied:
        assert (await proxied.get("/api/settings")).status_code == 401
    async with client_from(app, REMOTE, **{"X-Forwarded-For": "127.0.0.1"}) as spoofed:
        assert (await spoofed.get("/api/settings")).status_code == 401


async def test_the_key_is_shown_to_this_machine_only(app: FastAPI) -> None:
    key = app.state.gateway.api_key
    async with client_from(app, ("127.0.0.1", 5000)) as local:
        r = await local.get("/api/settings/api-key")
        assert r.status_code == 200
        assert r.json() == {"api_key": key, "from_environment": False}
    async with client_from(app, REMOTE, **{"X-Api-Key": key}) as remote:
        r = await remote.get("/api/settings/api-key")
        assert r.status_code == 403 and r.json()["code"] == "forbidden"


async def test_the_generated_key_is_kept_encrypted_and_survives_a_restart(settings: GatewaySettings) -> None:
    first = create_app(settings)
    async with first.router.lifespan_context(first):
        key = first.state.gateway.api_key
    assert len(key) >= 32

    engine = make_async_engine(settings.database_url, schema=settings.database_schema)
    try:
        async with make_sessionmaker(engine)() as session:
            rows = (await session.execute(select(ApiKeyRow))).scalars().all()
    finally:
        await engine.dispose()
    assert len(rows) == 1 and key not in rows[0].encrypted_key

    again = create_app(settings)
    async with again.router.lifespan_context(again):
        assert again.state.gateway.api_key == key


async def test_a_key_from_the_environment_wins(
    settings: GatewaySettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NILUFLIX_API_KEY", "k-from-env-0123456789")
    from_env = GatewaySettings(**settings.model_dump(exclude={"api_key"}))
    app = create_app(from_env)
    async with app.router.lifespan_context(app):
        async with client_from(app, REMOTE, **{"X-Api-Key": "k-from-env-0123456789"}) as remote:
            assert (await remote.get("/api/settings")).status_code == 200
        async with client_from(app, ("127.0.0.1", 1)) as local:
            assert (await local.get("/api/settings/api-key")).json()["from_environment"] is True


def test_websocket_from_another_host_needs_the_key(settings: GatewaySettings) -> None:
    settings = settings.model_copy(update={"api_key": SecretStr("ws-key-0123456789")})
    with TestClient(create_app(settings), client=REMOTE) as remote:
        with pytest.raises(WebSocketDenialResponse) as denied, remote.websocket_connect(WS):
            pass
        assert denied.value.status_code == 401
        assert "X-Api-Key" in denied.value.json()["detail"]

        with pytest.raises(WebSocketDenialResponse) as denied, remote.websocket_connect(f"{WS}?apikey=wrong"):
            pass
        assert denied.value.json()["detail"] == "invalid API key"

        with remote.websocket_connect(f"{WS}?apikey=ws-key-0123456789") as ws:
            ws.close()
        with remote.websocket_connect(WS, headers={"X-Api-Key": "ws-key-0123456789"}) as ws:
            ws.close()

        # NiluFlix's own UI, from its container, with the credential of the shared data folder.
        ui_key = client_credential.load_or_create(settings.data_dir)
        with remote.websocket_connect(WS, headers={client_credential.HEADER: ui_key}) as ws:
            ws.close()
        wrong = {client_credential.HEADER: "wrong"}
        with pytest.raises(WebSocketDenialResponse) as denied, remote.websocket_connect(WS, headers=wrong):
            pass
        assert denied.value.json()["detail"].startswith("invalid X-NiluFlix-Client credential")


def test_the_websocket_key_never_reaches_the_log() -> None:
    record = logging.LogRecord(
        "uvicorn.error",
        logging.INFO,
        __file__,
        1,
        '%s - "WebSocket %s" [accepted]',
        ("203.0.113.7:5000", "/ws?apikey=s3cret&x=1"),
        None,
    )
    RedactApiKey().filter(record)
    assert "s3cret" not in record.getMessage() and "apikey=***&x=1" in record.getMessage()
