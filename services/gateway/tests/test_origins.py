"""Cross-site requests: a page elsewhere may not make the browser change anything here, nor open /ws."""

import httpx
import pytest
import websockets
from fastapi import FastAPI
from gateway.settings import GatewaySettings

from niluflix.contracts import downloads
from niluflix.contracts.downloads import CreateDownload, Job, JobList, JobState, ListDownloads
from niluflix.messaging import rpc_queue

from .conftest import RunningGateway, client_from, serve_gateway

EVIL = "http://evil.example"


@pytest.fixture
async def jobs(peers, make_job) -> list[Job]:
    """A downloader that queues what it is asked to and lists it back."""
    queued: list[Job] = []

    @peers.router.subscriber(downloads.CREATE, queue=rpc_queue("downloader"))
    async def create(req: CreateDownload) -> Job:
        queued.append(make_job(JobState.QUEUED))
        return queued[-1]

    @peers.router.subscriber(downloads.LIST, queue=rpc_queue("downloader"))
    async def list_jobs(req: ListDownloads) -> JobList:
        return JobList(jobs=queued)

    await peers.start()
    return queued


async def active(client: httpx.AsyncClient) -> list:
    r = await client.get("/api/downloads/active")
    assert r.status_code == 200
    return r.json()["jobs"]


async def test_a_cross_site_post_queues_nothing(client: httpx.AsyncClient, jobs: list[Job]) -> None:
    r = await client.post("/api/movies/45745/download", headers={"Origin": EVIL})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert "http://evil.example" in r.json()["detail"]
    assert "NILUFLIX_GATEWAY_ALLOWED_ORIGINS" in r.json()["detail"]
    # A browser that sends no Origin still sends the page it came from; a sandboxed page sends "null".
    for headers in (
        {"Referer": EVIL + "/free-movies.html"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        r = await client.post("/api/movies/45745/download", headers=headers)
        assert r.status_code == 403, headers
    for method in ("PUT", "PATCH", "DELETE"):
        r = await client.request(method, "/api/settings", headers={"Origin": EVIL}, json={})
        assert r.status_code == 403, method
    assert await active(client) == []

    # Reading is no change: the browser keeps the answer from the page (no CORS headers are sent).
    r = await client.get("/api/health/live", headers={"Origin": EVIL})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


async def test_scripts_and_this_machine_s_pages_still_post(
    client: httpx.AsyncClient, jobs: list[Job], settings: GatewaySettings
) -> None:
    # No Origin at all: curl, scripts, and the UI calling from its server.
    assert (await client.post("/api/movies/45745/download")).status_code == 202
    # The gateway's own pages (/docs), and pages on this machine at any port.
    own = f"http://127.0.0.1:{settings.port}"
    for origin in (own, "http://localhost:8501", "http://[::1]:8501", "http://niluflix.localhost:8501"):
        r = await client.post("/api/movies/45745/download", headers={"Origin": origin})
        assert r.status_code == 202, origin
    r = await client.post(
        "/api/movies/45745/download", headers={"Referer": own + "/docs", "Sec-Fetch-Site": "same-origin"}
    )
    assert r.status_code == 202
    assert len(await active(client)) == 6


async def test_another_lan_machine_s_page_is_refused(app: FastAPI) -> None:
    # An IP address is a fine Host, but a page on some other LAN machine is not our origin.
    key = app.state.gateway.api_key
    async with client_from(app, ("192.168.1.30", 5000), **{"X-Api-Key": key}) as lan:
        r = await lan.put(
            "/api/settings", json={}, headers={"Host": "192.168.1.20:7979", "Origin": "http://192.168.1.66"}
        )
        assert r.status_code == 403


async def test_a_configured_origin_may_post(settings: GatewaySettings, jobs: list[Job]) -> None:
    configured = settings.model_copy(update={"allowed_origins": ["https://dash.example.com"]})
    async with serve_gateway(configured) as gateway, httpx.AsyncClient(base_url=gateway.url) as http:
        r = await http.post("/api/movies/45745/download", headers={"Origin": "https://dash.example.com"})
        assert r.status_code == 202
        r = await http.post("/api/movies/45745/download", headers={"Origin": "http://dash.example.com"})
        assert r.status_code == 403, "another scheme is another origin"


async def test_the_websocket_refuses_a_foreign_origin(gateway: RunningGateway) -> None:
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(gateway.ws_url, origin=EVIL):
            pass
    assert refused.value.response.status_code == 403
    assert b"evil.example" in refused.value.response.body
    async with websockets.connect(gateway.ws_url, origin="http://localhost:8501"):
        pass
    async with websockets.connect(gateway.ws_url):  # no Origin: not a browser
        pass
