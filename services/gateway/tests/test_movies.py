"""Movies and library endpoints against stand-in catalog, downloader and organizer responders."""

import re
from datetime import UTC, datetime
from uuid import uuid4

import httpx

from niluflix.contracts import catalog, downloads, library
from niluflix.contracts.catalog import (
    GetTitle,
    ListTitles,
    SearchTitles,
    TitleDetails,
    TitlePage,
    TitleSummary,
)
from niluflix.contracts.downloads import CreateDownload, Job, JobState
from niluflix.contracts.library import LibraryItem, LibraryList, ListLibrary, SyncLibrary, SyncResult
from niluflix.errors import Conflict, InvalidRequest, NotFound, Unavailable, UpstreamError
from niluflix.messaging import rpc_queue

SINTEL = TitleSummary(tmdb_id=45745, title="Sintel", year=2010)


def job_for(command: CreateDownload) -> Job:
    now = datetime.now(UTC)
    return Job(
        id=uuid4(),
        tmdb_id=command.tmdb_id,
        title="Sintel",
        year=2010,
        state=JobState.QUEUED,
        priority=command.priority,
        release_name=command.release.name if command.release else None,
        created_at=now,
        updated_at=now,
    )


async def test_lists_and_search_come_from_the_catalog(peers, client: httpx.AsyncClient) -> None:
    @peers.router.subscriber(catalog.POPULAR, queue=rpc_queue("catalog"))
    async def popular(req: ListTitles) -> TitlePage:
        return TitlePage(page=req.page, total_pages=9, total_results=180, results=[SINTEL])

    @peers.router.subscriber(catalog.TRENDING, queue=rpc_queue("catalog"))
    async def trending(req: ListTitles) -> TitlePage:
        return TitlePage(page=req.page, results=[SINTEL.model_copy(update={"title": "Trending"})])

    @peers.router.subscriber(catalog.SEARCH, queue=rpc_queue("catalog"))
    async def search(req: SearchTitles) -> TitlePage:
        return TitlePage(results=[SINTEL.model_copy(update={"title": f"match for {req.query}"})])

    await peers.start()

    r = await client.get("/api/movies/popular", params={"page": 3})
    assert r.status_code == 200
    assert r.json()["page"] == 3 and r.json()["total_pages"] == 9
    assert r.json()["results"][0]["title"] == "Sintel"

    r = await client.get("/api/movies/trending")
    assert r.json()["page"] == 1 and r.json()["results"][0]["title"] == "Trending"

    r = await client.get("/api/movies/search/AC%2FDC live 2010")
    assert r.status_code == 200
    assert r.json()["results"][0]["title"] == "match for AC/DC live 2010"


async def test_details_and_remote_errors_map_to_http(peers, client: httpx.AsyncClient) -> None:
    failures = {
        2: NotFound("no movie with TMDB id 2"),
        3: Conflict("already downloading"),
        4: Unavailable("TMDB key not set"),
        5: UpstreamError("TMDB answered 500"),
        6: InvalidRequest("bad media type"),
        7: RuntimeError("boom"),
    }

    @peers.router.subscriber(catalog.DETAILS, queue=rpc_queue("catalog"))
    async def details(req: GetTitle) -> TitleDetails:
        if req.tmdb_id in failures:
            raise failures[req.tmdb_id]
        return TitleDetails(tmdb_id=req.tmdb_id, title="Sintel", year=2010, imdb_id="tt1727587", runtime=15)

    await peers.start()

    r = await client.get("/api/movies/45745")
    assert r.status_code == 200
    assert r.json()["imdb_id"] == "tt1727587" and r.json()["runtime"] == 15

    expected = {
        2: (404, "not_found"),
        3: (409, "conflict"),
        4: (503, "unavailable"),
        5: (502, "upstream_error"),
        6: (422, "invalid_request"),
        7: (500, "internal"),
    }
    for tmdb_id, (status, code) in expected.items():
        r = await client.get(f"/api/movies/{tmdb_id}")
        assert (r.status_code, r.json()["code"]) == (status, code), tmdb_id
    assert (await client.get("/api/movies/2")).json()["detail"] == "no movie with TMDB id 2"
    assert "boom" in (await client.get("/api/movies/7")).json()["detail"]


async def test_a_service_nobody_runs_is_503(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/movies/trending")
    assert r.status_code == 503
    assert r.json() == {"detail": "no service answers catalog.v1.trending", "code": "unavailable"}


async def test_a_reply_off_contract_is_502(peers, client: httpx.AsyncClient) -> None:
    @peers.router.subscriber(catalog.POPULAR, queue=rpc_queue("catalog"))
    async def popular(req: ListTitles) -> dict:
        return {"results": [{"title": "no id"}]}

    await peers.start()
    r = await client.get("/api/movies/popular")
    assert r.status_code == 502
    assert "catalog.v1.popular" in r.json()["detail"]


async def test_bad_input_gets_a_reason(client: httpx.AsyncClient) -> None:
    cases = {
        "/api/movies/0": "tmdb_id",
        "/api/movies/abc": "tmdb_id",
        "/api/movies/popular?page=0": "page",
        "/api/movies/trending?page=x": "page",
        "/api/movies/search": "must not be empty",
        "/api/movies/search/": "must not be empty",
        "/api/movies/search/%20%20": "must not be empty",
        "/api/movies/search/" + "x" * 201: "query",
        "/api/downloads/not-a-uuid": "job_id",
    }
    for path, reason in cases.items():
        r = await client.get(path)
        assert r.status_code == 422, path
        assert r.json()["code"] == "invalid_request"
        assert reason in r.json()["detail"], (path, r.json())

    r = await client.post("/api/movies/45745/download", json={"priority": 500})
    assert r.status_code == 422 and "priority" in r.json()["detail"]
    r = await client.get("/api/nothing/here")
    assert r.status_code == 404 and r.json()["detail"] == "Not Found"


async def test_download_button_creates_a_job(peers, client: httpx.AsyncClient) -> None:
    seen: list[CreateDownload] = []

    @peers.router.subscriber(downloads.CREATE, queue=rpc_queue("downloader"))
    async def create(req: CreateDownload) -> Job:
        seen.append(req)
        return job_for(req)

    await peers.start()

    r = await client.post("/api/movies/45745/download")
    assert r.status_code == 202
    assert r.json()["state"] == "queued" and r.json()["tmdb_id"] == 45745

    release = {
        "name": "Sintel.2010.1080p.BluRay.x264-GRP",
        "indexer": "Demo",
        "magnet_uri": "magnet:?xt=urn:btih:" + "a" * 40,
    }
    r = await client.post("/api/movies/45745/download", json={"priority": 7, "release": release})
    assert r.status_code == 202
    assert r.json()["release_name"] == "Sintel.2010.1080p.BluRay.x264-GRP"
    assert [s.priority for s in seen] == [0, 7]
    assert seen[1].release is not None and seen[1].release.indexer == "Demo"


async def test_download_with_a_quality_profile(clean_nats, peers, client: httpx.AsyncClient) -> None:
    # clean_nats first: the gateway starts on the default settings, whose profiles are Standard, 4K, Small.
    seen: list[CreateDownload] = []

    @peers.router.subscriber(downloads.CREATE, queue=rpc_queue("downloader"))
    async def create(req: CreateDownload) -> Job:
        seen.append(req)
        return job_for(req).model_copy(update={"profile": req.profile})

    await peers.start()

    r = await client.post("/api/movies/45745/download", json={"profile": "4k"})
    assert r.status_code == 202 and r.json()["profile"] == "4K"
    r = await client.post("/api/movies/45745/download", json={"profile": "Ultra"})
    assert r.status_code == 422
    assert r.json() == {
        "detail": "no quality profile named 'Ultra' (profiles: Standard, 4K, Small)",
        "code": "invalid_request",
    }
    assert [s.profile for s in seen] == ["4K"]


async def test_library_lists_and_syncs(peers, client: httpx.AsyncClient) -> None:
    item = LibraryItem(
        id=uuid4(),
        tmdb_id=45745,
        title="Sintel",
        year=2010,
        folder="/data/media/Movies/Sintel (2010)",
        path="/data/media/Movies/Sintel (2010)/Sintel (2010).mkv",
        size=123,
        added_at=datetime.now(UTC),
    )
    asked: list[ListLibrary] = []

    @peers.router.subscriber(library.LIST, queue=rpc_queue("organizer"))
    async def list_library(req: ListLibrary) -> LibraryList:
        asked.append(req)
        return LibraryList(items=[item])

    @peers.router.subscriber(library.SYNC, queue=rpc_queue("organizer"))
    async def sync(req: SyncLibrary) -> SyncResult:
        return SyncResult(scanned=4, added=[item])

    await peers.start()

    for path in ("/api/library/movies", "/api/movies/downloaded"):
        r = await client.get(path)
        assert r.status_code == 200
        assert r.json()["items"][0]["path"].endswith("Sintel (2010).mkv")
    assert {a.media_type for a in asked} == {"movie"}

    r = await client.post("/api/library/sync")
    assert r.status_code == 200 and r.json()["scanned"] == 4 and len(r.json()["added"]) == 1


async def test_openapi_docs_are_served(client: httpx.AsyncClient) -> None:
    r = await client.get("/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/movies/{tmdb_id}/download" in paths and "/api/settings" in paths


async def test_api_docs_work_offline(client: httpx.AsyncClient) -> None:
    """/docs names only the gateway's own URLs (no CDN), and each of them answers."""
    page = await client.get("/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", page.text)
    assert any(u.endswith(".js") for u in urls) and any(u.endswith(".css") for u in urls), urls
    for url in urls:
        assert url.startswith("/"), f"/docs loads {url} from elsewhere"
        r = await client.get(url)
        assert r.status_code == 200, url
        assert r.content, url
