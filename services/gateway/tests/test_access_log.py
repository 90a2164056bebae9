"""The gateway's access log: the UI's polling leaves no line, failures and changes do."""

import logging

import httpx
import pytest


def access_lines(caplog: pytest.LogCaptureFixture, level: int = logging.INFO) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "uvicorn.access" and r.levelno >= level]


async def test_polling_is_quiet_and_failures_and_changes_are_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for _ in range(5):
        assert (await client.get("/api/health/live")).status_code == 200
        assert (await client.get("/api/settings")).status_code == 200
    assert access_lines(caplog) == []

    assert (await client.get("/api/no-such-thing")).status_code == 404
    signed_out = await client.delete("/api/auth/session", headers={"X-NiluFlix-Session": "unknown"})
    assert signed_out.status_code == 204
    lines = access_lines(caplog)
    assert len(lines) == 2
    assert '"GET /api/no-such-thing HTTP/1.1" 404' in lines[0]
    assert '"DELETE /api/auth/session HTTP/1.1" 204' in lines[1]


async def test_debug_shows_the_polling_too(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="uvicorn.access")
    assert (await client.get("/api/health/live")).status_code == 200
    debug = [r for r in caplog.records if r.name == "uvicorn.access"]
    assert [r.levelname for r in debug] == ["DEBUG"]
    assert '"GET /api/health/live HTTP/1.1" 200' in debug[0].getMessage()
