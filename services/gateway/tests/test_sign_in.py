"""Signing browsers in from other machines: the owner's password and sessions, on both databases."""

import asyncio
import sqlite3
import stat
from contextlib import closing
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from gateway.main import create_app
from gateway.settings import GatewaySettings
from gateway.tables import SessionRow, UserRow
from sqlalchemy import select
from sqlalchemy.engine import make_url

from niluflix import client_credential
from niluflix.db import make_async_engine, make_sessionmaker

from .conftest import client_from

REMOTE = ("203.0.113.7", 5000)
LOCAL = ("127.0.0.1", 5000)
UI_CONTAINER = ("172.18.0.5", 41000)  # the UI in its own container: not loopback


def as_ui(app: FastAPI, settings: GatewaySettings) -> httpx.AsyncClient:
    """What the UI's container sends: the credential read from the shared data folder."""
    key = client_credential.load_or_create(settings.data_dir)
    return client_from(app, UI_CONTAINER, **{client_credential.HEADER: key})


async def rows(settings: GatewaySettings, table) -> list:
    engine = make_async_engine(settings.database_url, schema=settings.database_schema)
    try:
        async with make_sessionmaker(engine)() as session:
            return list((await session.execute(select(table))).scalars())
    finally:
        await engine.dispose()


async def test_the_ui_passes_from_its_container_with_the_credential(
    app: FastAPI, settings: GatewaySettings, caplog: pytest.LogCaptureFixture
) -> None:
    path = client_credential.credential_path(settings.data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_text().strip()
    assert len(key) >= 40 and app.state.gateway.client_key == key

    async with as_ui(app, settings) as ui:
        for route in ("/api/settings", "/api/settings/api-key", "/api/health/live", "/api/auth/status"):
            r = await ui.get(route)
            assert r.status_code == 200, (route, r.text)
            assert key not in r.text
    async with client_from(app, UI_CONTAINER) as without:
        r = await without.get("/api/settings")
        assert r.status_code == 401 and "X-Api-Key" in r.json()["detail"]
    async with client_from(app, UI_CONTAINER, **{"X-NiluFlix-Client": key[:-1] + "x"}) as wrong:
        r = await wrong.get("/api/settings")
        assert r.status_code == 401
        assert r.json()["detail"].startswith("invalid X-NiluFlix-Client credential")
    # This machine passes whatever it sends: it would pass without the header too.
    async with client_from(app, LOCAL, **{"X-NiluFlix-Client": "stale"}) as stale:
        assert (await stale.get("/api/settings")).status_code == 200
    assert key not in caplog.text


async def test_the_credential_survives_a_restart_and_two_starters_agree(settings: GatewaySettings) -> None:
    made = await asyncio.gather(
        *(asyncio.to_thread(client_credential.load_or_create, settings.data_dir) for _ in range(8))
    )
    assert len(set(made)) == 1
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        assert app.state.gateway.client_key == made[0]


async def test_only_this_machine_and_the_ui_may_use_sign_in(app: FastAPI) -> None:
    key = app.state.gateway.api_key
    async with client_from(app, REMOTE, **{"X-Api-Key": key}) as remote:
        r = await remote.post("/api/auth/password", json={"password": "correct horse"})
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
        assert "only this machine or the NiluFlix UI" in r.json()["detail"]
        assert (await remote.get("/api/auth/status")).status_code == 403
    async with client_from(app, LOCAL) as local:
        assert (await local.get("/api/auth/status")).json() == {"password_set": False}


async def test_first_password_then_sign_in_then_sign_out(app: FastAPI, settings: GatewaySettings) -> None:
    async with as_ui(app, settings) as ui:
        r = await ui.post("/api/auth/sessions", json={"password": "whatever1"})
        assert r.status_code == 409 and r.json()["detail"] == "no password is set yet: set one first"

        r = await ui.post("/api/auth/password", json={"password": "short"})
        assert r.status_code == 422 and "at least 8 characters" in r.json()["detail"]
        assert "short" not in r.text

        r = await ui.post("/api/auth/password", json={"password": "correct horse", "client": "203.0.113.7"})
        assert r.status_code == 201
        first = r.json()
        assert first["user"] == "owner" and len(first["token"]) >= 40
        assert (await ui.get("/api/auth/status")).json() == {"password_set": True}

        r = await ui.post("/api/auth/password", json={"password": "taking it over"})
        assert r.status_code == 409 and "already set" in r.json()["detail"]

        r = await ui.post("/api/auth/sessions", json={"password": "wrong horse!", "client": "203.0.113.7"})
        assert r.status_code == 401 and r.json() == {"detail": "wrong password", "code": "unauthorized"}

        r = await ui.post("/api/auth/sessions", json={"password": "correct horse", "client": "203.0.113.7"})
        assert r.status_code == 201
        token = r.json()["token"]
        assert token != first["token"]

        r = await ui.get("/api/auth/session", headers={"X-NiluFlix-Session": token})
        assert r.status_code == 200 and r.json()["user"] == "owner"
        lasts = datetime.fromisoformat(r.json()["expires_at"]) - datetime.now(UTC)
        assert timedelta(days=29, hours=23) < lasts <= timedelta(days=30)

        assert (
            await ui.delete("/api/auth/session", headers={"X-NiluFlix-Session": token})
        ).status_code == 204
        r = await ui.get("/api/auth/session", headers={"X-NiluFlix-Session": token})
        assert r.status_code == 401 and "signed out" in r.json()["detail"]
        # The first session is untouched by signing the other one out.
        r = await ui.get("/api/auth/session", headers={"X-NiluFlix-Session": first["token"]})
        assert r.status_code == 200

    (user,) = await rows(settings, UserRow)
    assert user.password_hash.startswith("$argon2id$") and "correct horse" not in user.password_hash
    sessions = await rows(settings, SessionRow)
    assert [s.token_hash for s in sessions] != [first["token"]] and len(sessions) == 1
    assert first["token"] not in sessions[0].token_hash


async def test_a_session_expires(settings: GatewaySettings) -> None:
    app = create_app(settings.model_copy(update={"session_days": 1 / 86400}))  # one second
    async with app.router.lifespan_context(app), client_from(app, LOCAL) as local:
        r = await local.post("/api/auth/password", json={"password": "correct horse"})
        token = r.json()["token"]
        assert (
            await local.get("/api/auth/session", headers={"X-NiluFlix-Session": token})
        ).status_code == 200
        await asyncio.sleep(1.1)
        r = await local.get("/api/auth/session", headers={"X-NiluFlix-Session": token})
        assert r.status_code == 401 and r.json()["detail"] == "the session has expired: sign in again"


async def test_wrong_passwords_slow_a_browser_down(app: FastAPI, settings: GatewaySettings) -> None:
    async with as_ui(app, settings) as ui:
        await ui.post("/api/auth/password", json={"password": "correct horse"})
        guess = {"password": "guess guess", "client": "203.0.113.66"}
        for _ in range(4):  # three are free; the fourth makes this browser wait a second
            assert (await ui.post("/api/auth/sessions", json=guess)).status_code == 401

        r = await ui.post("/api/auth/sessions", json=guess | {"password": "correct horse"})
        assert r.status_code == 429 and r.json()["code"] == "too_many_requests"
        assert r.json()["detail"] == "too many wrong passwords: try again in 1 s"
        assert r.headers["Retry-After"] == "1"

        # Another browser is not held up by this one's guesses.
        other = {"password": "correct horse", "client": "198.51.100.2"}
        assert (await ui.post("/api/auth/sessions", json=other)).status_code == 201

        await asyncio.sleep(1.05)
        assert (await ui.post("/api/auth/sessions", json=guess)).status_code == 401
        r = await ui.post("/api/auth/sessions", json=guess | {"password": "correct horse"})
        assert r.status_code == 429 and r.json()["detail"] == "too many wrong passwords: try again in 2 s"


def delete_users_as_a_shell_would(settings: GatewaySettings) -> None:
    """README's password reset, `DELETE FROM users;`, as sqlite3 or psql run it (sqlite3: foreign keys off)."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        with closing(sqlite3.connect(url.database)) as db, db:
            db.execute("DELETE FROM users")
    else:
        with psycopg.connect(settings.database_url) as db:
            db.execute(f'DELETE FROM "{settings.database_schema}".users')


async def test_a_password_reset_ends_every_session(app: FastAPI, settings: GatewaySettings) -> None:
    async with client_from(app, LOCAL) as local:
        token = (await local.post("/api/auth/password", json={"password": "correct horse"})).json()["token"]
        delete_users_as_a_shell_would(settings)

        r = await local.get("/api/auth/session", headers={"X-NiluFlix-Session": token})
        assert r.status_code == 401
        assert (await local.get("/api/auth/status")).json() == {"password_set": False}
        r = await local.post("/api/auth/password", json={"password": "a new horse"})
        assert r.status_code == 201
