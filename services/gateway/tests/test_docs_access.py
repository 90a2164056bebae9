"""The API docs FastAPI serves itself need the API key from other hosts, like every route."""

import re

from fastapi import FastAPI

from .conftest import client_from

REMOTE = ("203.0.113.7", 5000)
DOCS = ("/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json", "/static-offline-docs/swagger-ui.css")


async def test_the_docs_need_the_key_from_other_hosts(app: FastAPI) -> None:
    key = app.state.gateway.api_key
    async with client_from(app, REMOTE) as remote:
        for path in DOCS:
            r = await remote.get(path)
            assert r.status_code == 401, path
            assert "X-Api-Key" in r.json()["detail"], path
            assert "openapi" not in r.text and "swagger" not in r.text.lower(), path
    async with client_from(app, REMOTE, **{"X-Api-Key": key}) as with_key:
        page = await with_key.get("/docs")
        assert page.status_code == 200
        assets = [u for u in re.findall(r"""['"](/static-offline-docs/[^'"]+)['"]""", page.text)]
        assert assets
        for path in (*DOCS, *assets):
            assert (await with_key.get(path)).status_code == 200, path


async def test_this_machine_reads_the_docs_freely(app: FastAPI) -> None:
    async with client_from(app, ("127.0.0.1", 5000)) as local:
        for path in DOCS:
            assert (await local.get(path)).status_code == 200, path
    async with client_from(app, ("127.0.0.1", 5000), **{"X-Forwarded-For": "203.0.113.7"}) as proxied:
        assert (await proxied.get("/openapi.json")).status_code == 401
