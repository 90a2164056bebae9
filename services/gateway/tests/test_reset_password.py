"""`niluflix reset-password`: the owner forgot the password; this machine clears it and signs every browser
out, through a gateway endpoint no other machine and no browser (through the UI) can reach."""

import asyncio
import os
import sys
from pathlib import Path

import httpx
from gateway.settings import GatewaySettings

from niluflix import client_credential

NILUFLIX = Path(sys.executable).parent / "niluflix"
PASSWORD = {"password": "correct horse battery"}


async def niluflix(gateway_url: str, data_dir: Path, *args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NILUFLIX_")}
    env |= {"NILUFLIX_GATEWAY_URL": gateway_url, "NILUFLIX_DATA_DIR": str(data_dir)}
    proc = await asyncio.create_subprocess_exec(
        str(NILUFLIX), *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode, out.decode()


async def test_reset_password_from_this_machine_only(
    gateway, client: httpx.AsyncClient, settings: GatewaySettings, tmp_path: Path
) -> None:
    first = await client.post("/api/auth/password", json=PASSWORD)
    assert first.status_code == 201
    second = await client.post("/api/auth/sessions", json=PASSWORD)
    assert second.status_code == 201
    tokens = [first.json()["token"], second.json()["token"]]

    # Another machine (here: through a proxy) and the UI on a browser's behalf are both refused.
    ui_key = client_credential.load_or_create(settings.data_dir)
    elsewhere = {"X-Forwarded-For": "203.0.113.7"}
    refused = await client.delete("/api/auth/password", headers=elsewhere)
    assert refused.status_code == 403, refused.text
    as_ui = elsewhere | {client_credential.HEADER: ui_key}
    refused = await client.delete("/api/auth/password", headers=as_ui)
    assert refused.status_code == 403, refused.text
    assert refused.json()["detail"] == (
        "only this machine may clear the owner's password: run `niluflix reset-password` there"
    )
    assert (await client.get("/api/auth/status")).json() == {"password_set": True}

    code, out = await niluflix(gateway.url, tmp_path / "elsewhere", "reset-password", "--yes")
    assert code == 0, out
    assert "The owner's password is cleared (2 browsers signed out)" in out

    for token in tokens:
        gone = await client.get("/api/auth/session", headers={"X-NiluFlix-Session": token})
        assert gone.status_code == 401
    assert (await client.get("/api/auth/status")).json() == {"password_set": False}
    wrong_now = await client.post("/api/auth/sessions", json=PASSWORD)
    assert wrong_now.status_code == 409  # no password: the next visit sets one
    assert (await client.post("/api/auth/password", json={"password": "a new long one"})).status_code == 201

    # Asked for confirmation when run without --yes; "no" changes nothing.
    proc = await asyncio.create_subprocess_exec(
        str(NILUFLIX),
        "reset-password",
        env=os.environ | {"NILUFLIX_GATEWAY_URL": gateway.url, "NILUFLIX_DATA_DIR": str(tmp_path / "x")},
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(b"n\n"), 60)
    assert proc.returncode == 1 and "Aborted" in out.decode()
    assert (await client.get("/api/auth/status")).json() == {"password_set": True}


async def test_reset_password_without_niluflix_running(tmp_path: Path) -> None:
    code, out = await niluflix("http://127.0.0.1:9", tmp_path, "reset-password", "--yes")
    assert code == 1 and "NiluFlix is not running (no API at http://127.0.0.1:9)" in out
