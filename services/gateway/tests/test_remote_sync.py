"""Remote access against a loopback Supabase project (PostgREST, GoTrue and Realtime on the real PostgreSQL,
row-level security deciding): pairing, the sealed refresh token, the mirror, commands, an expired token and a
revoked login. The gateway is real (uvicorn); the library and the downloader are NATS stand-ins here (the
end-to-end test in tests/e2e/test_remote.py runs the real ones)."""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from uuid import UUID, uuid4

import httpx
import pytest
from gateway.settings import GatewaySettings
from sqlalchemy import text
from supabase import Client, create_client

from niluflix.contracts import downloads, library
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import (
    CreateDownload,
    Job,
    JobList,
    JobProgress,
    JobRef,
    JobState,
    ListDownloads,
    ProgressTick,
)
from niluflix.contracts.library import LibraryItem, LibraryList, ListLibrary
from niluflix.db import make_async_engine
from niluflix.messaging import rpc_queue

from .conftest import serve_gateway

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # supabase-py's own internals

EMAIL, PASSWORD = "owner@example.com", "a long enough password 1"
SINTEL, TEARS, SHOW = 45745, 133701, 1399


class Home:
    """The library and the downloader as NATS stand-ins: what the mirror reads, what commands create."""

    def __init__(self, peers) -> None:
        self.items: list[LibraryItem] = []
        self.jobs: dict[UUID, Job] = {}
        self.creates: list[CreateDownload] = []

        @peers.router.subscriber(library.LIST, queue=rpc_queue("organizer"))
        async def list_library(req: ListLibrary) -> LibraryList:
            return LibraryList(items=[i for i in self.items if req.media_type in (None, i.media_type)])

        @peers.router.subscriber(downloads.LIST, queue=rpc_queue("downloader"))
        async def list_jobs(req: ListDownloads) -> JobList:
            return JobList(
                jobs=[j for j in self.jobs.values() if req.states is None or j.state in req.states]
            )

        @peers.router.subscriber(downloads.CREATE, queue=rpc_queue("downloader"))
        async def create(req: CreateDownload) -> Job:
            self.creates.append(req)
            for job in self.jobs.values():
                if req.request_id is not None and job.id == req.request_id:
                    return job
            job = make_job(req.tmdb_id, "Sintel", 2010, JobState.QUEUED, job_id=req.request_id or uuid4())
            self.jobs[job.id] = job
            return job

        @peers.router.subscriber(downloads.PAUSE, queue=rpc_queue("downloader"))
        async def pause(req: JobRef) -> Job:
            self.jobs[req.job_id] = self.jobs[req.job_id].model_copy(update={"state": JobState.PAUSED})
            return self.jobs[req.job_id]


def make_job(tmdb_id: int, title: str, year: int, state: JobState, **fields) -> Job:
    now = datetime.now(UTC)
    return Job(
        id=fields.pop("job_id", uuid4()),
        tmdb_id=tmdb_id,
        title=title,
        year=year,
        state=state,
        created_at=now,
        updated_at=now,
        **fields,
    )


def movie_file(tmdb_id: int, title: str, year: int) -> LibraryItem:
    return LibraryItem(
        id=uuid4(),
        tmdb_id=tmdb_id,
        title=title,
        year=year,
        folder=f"/media/Movies/{title} ({year})",
        path=f"/media/Movies/{title} ({year})/{title}.mkv",
        size=1000,
        added_at=datetime.now(UTC),
    )


def episode_file(season: int, episode: int) -> LibraryItem:
    return LibraryItem(
        id=uuid4(),
        media_type=MediaType.TV,
        tmdb_id=SHOW,
        title="Game of Thrones",
        year=2011,
        folder="/media/TV/Game of Thrones (2011)",
        path=f"/media/TV/Game of Thrones (2011)/Season {season}/S{season:02d}E{episode:02d}.mkv",
        size=1000,
        added_at=datetime.now(UTC),
        season=season,
        episodes=[episode],
    )


@pytest.fixture
def fast(settings: GatewaySettings) -> GatewaySettings:
    """Intervals short enough for a test to see several rounds."""
    return settings.model_copy(
        update={
            "remote_poll_seconds": 0.5,
            "remote_poll_subscribed_seconds": 2.0,
            "remote_heartbeat_seconds": 1.0,
            "remote_resync_seconds": 60.0,  # changes must go out on the events
            "remote_progress_seconds": 0.5,
        }
    )


@pytest.fixture
async def home(peers) -> Home:
    h = Home(peers)
    await peers.start()
    return h


@pytest.fixture
async def gateway_client(fast: GatewaySettings, home: Home) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_gateway(fast) as running, httpx.AsyncClient(base_url=running.url, timeout=30) as http:
        yield http


def enable_body(project, **fields) -> dict:
    return {
        "supabase_url": project.url,
        "anon_key": project.anon_key,
        "email": EMAIL,
        "password": PASSWORD,
        "display_name": "Living room NAS",
        "remote_ui_url": "https://remote.example.org/app",
    } | fields


def phone(project) -> Client:
    """The remote web UI's side: the user's own login, the anon key, row-level security."""
    client = create_client(project.url, project.anon_key)
    client.auth.sign_in_with_password({"email": EMAIL, "password": PASSWORD})
    return client


async def eventually(what: str, check: Callable[[], object], timeout: float = 20.0) -> object:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if asyncio.iscoroutine(found):
            found = await found
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def stored_link(settings: GatewaySettings) -> dict:
    engine = make_async_engine(settings.database_url, schema=settings.database_schema)
    try:
        async with engine.connect() as conn:
            return dict((await conn.execute(text("SELECT * FROM remote_link"))).mappings().one())
    finally:
        await engine.dispose()


def live_refresh_tokens(project) -> list[str]:
    return [r["token"] for r in project.sql("SELECT token FROM auth.refresh_tokens WHERE NOT revoked")]


async def test_pairing_keeps_only_the_sealed_refresh_token_and_disable_forgets_it(
    supabase_project, gateway_client: httpx.AsyncClient, fast: GatewaySettings
) -> None:
    project = supabase_project
    user_id = project.create_user(EMAIL, PASSWORD)

    r = await gateway_client.post("/api/remote/enable", json=enable_body(project))
    assert r.status_code == 200, r.text
    status = r.json()
    assert status["enabled"] is True
    assert status["state"] == "online"
    assert (status["email"], status["supabase_url"]) == (EMAIL, project.url)
    assert status["display_name"] == "Living room NAS"
    assert status["last_error"] is None

    sessions = project.sql("SELECT * FROM remote_sessions")
    assert [(s["user_id"], s["desktop_app_id"], s["is_online"]) for s in sessions] == [
        (UUID(user_id), status["desktop_app_id"], True)
    ]
    assert sessions[0]["display_name"] == "Living room NAS"

    # Sealed: the token Supabase holds as live is not in the row, nor the password anywhere.
    row = await stored_link(fast)
    tokens = live_refresh_tokens(project)
    assert tokens and row["sealed_refresh_token"]
    raw = repr(row)
    assert not any(t in raw for t in tokens)
    assert PASSWORD not in raw
    if fast.database_url.startswith("sqlite"):
        db_bytes = b"".join(p.read_bytes() for p in fast.data_dir.rglob("*") if p.is_file())
        db_bytes += b"".join(
            p.read_bytes()
            for p in __import__("pathlib").Path(fast.database_url.split("///", 1)[1]).parent.glob("*")
            if p.is_file()
        )
        assert PASSWORD.encode() not in db_bytes
        assert not any(t.encode() in db_bytes for t in tokens)

    link = (await gateway_client.get("/api/remote/link")).json()
    assert link["url"].startswith("https://remote.example.org/app?supabase_url=")
    assert project.anon_key in link["url"]
    assert link["qr_svg"].lstrip().startswith("<svg")

    off = (await gateway_client.post("/api/remote/disable")).json()
    assert (off["enabled"], off["state"]) == (False, "off")
    assert off["desktop_app_id"] == status["desktop_app_id"]  # the same install when turned on again
    assert project.sql("SELECT is_online FROM remote_sessions") == [{"is_online": False}]
    assert (await stored_link(fast))["sealed_refresh_token"] is None
    assert live_refresh_tokens(project) == []  # signed out at Supabase too
    assert (await gateway_client.get("/api/remote/link")).status_code == 409


async def test_a_wrong_password_is_refused_with_supabases_reason(
    supabase_project, gateway_client: httpx.AsyncClient
) -> None:
    supabase_project.create_user(EMAIL, PASSWORD)

    r = await gateway_client.post(
        "/api/remote/enable", json=enable_body(supabase_project, password="wrong one")
    )

    assert r.status_code == 422
    assert "Supabase refused the sign-in" in r.json()["detail"]
    assert "Invalid login credentials" in r.json()["detail"]
    assert (await gateway_client.get("/api/remote/status")).json()["enabled"] is False


async def test_the_library_and_a_downloads_progress_appear_on_the_phone(
    supabase_project, gateway_client: httpx.AsyncClient, home: Home, peers
) -> None:
    project = supabase_project
    project.create_user(EMAIL, PASSWORD)
    home.items = [movie_file(SINTEL, "Sintel", 2010), episode_file(1, 1), episode_file(1, 2)]
    tears = make_job(TEARS, "Tears of Steel", 2012, JobState.DOWNLOADING, progress=0.25)
    home.jobs = {tears.id: tears}
    await gateway_client.post("/api/remote/enable", json=enable_body(project))
    the_phone = await asyncio.to_thread(phone, project)

    def rows() -> dict:
        found = the_phone.table("shared_library").select("*").execute().data
        return {(r["media_type"], r["tmdb_id"]): r for r in found}

    await eventually("three titles mirrored", lambda: len(rows()) == 3)
    seen = rows()
    assert seen[("movie", SINTEL)]["download_status"] == "completed"
    assert seen[("tv", SHOW)]["detail"]["episodes_in_library"] == 2
    assert seen[("movie", TEARS)]["download_status"] == "downloading"
    assert seen[("movie", TEARS)]["progress"] == 25
    assert seen[("movie", TEARS)]["detail"]["downloads"][0]["job_id"] == str(tears.id)

    # Progress ticks: the row follows, in one upsert per change set.
    project.reset_requests()
    tick = ProgressTick(
        at=datetime.now(UTC), jobs=[JobProgress(job_id=tears.id, state=JobState.DOWNLOADING, progress=0.8)]
    )
    await peers.broker.publish(tick, downloads.PROGRESS)
    await eventually("the progress mirrored", lambda: rows()[("movie", TEARS)]["progress"] == 80)
    upserts = sum(
        n for (method, path), n in project.requests.items() if method == "POST" and "shared_library" in path
    )
    assert upserts == 1

    # A title gone from the library and from the downloads goes from the phone.
    home.items = [i for i in home.items if i.tmdb_id != SINTEL]
    await peers.broker.publish(
        library.LibraryItemRemoved(item=movie_file(SINTEL, "Sintel", 2010)), library.REMOVED
    )
    await eventually("Sintel gone", lambda: ("movie", SINTEL) not in rows())
    assert (await gateway_client.get("/api/remote/status")).json()["mirrored_items"] == 2


async def test_a_command_from_the_phone_runs_once_and_says_what_came_of_it(
    supabase_project, gateway_client: httpx.AsyncClient, home: Home
) -> None:
    project = supabase_project
    project.create_user(EMAIL, PASSWORD)
    status = (await gateway_client.post("/api/remote/enable", json=enable_body(project))).json()
    the_phone = await asyncio.to_thread(phone, project)

    command = await asyncio.to_thread(
        lambda: (
            the_phone.table("remote_downloads")
            .insert(
                {
                    "desktop_app_id": status["desktop_app_id"],
                    "action": "download",
                    "media_type": "movie",
                    "tmdb_id": SINTEL,
                    "payload": {"title": "Sintel", "year": 2010},
                }
            )
            .execute()
            .data[0]
        )
    )

    def outcome() -> dict | None:
        row = the_phone.table("remote_downloads").select("*").eq("id", command["id"]).execute().data[0]
        return row if row["status"] in ("completed", "failed") else None

    done = await eventually("the command carried out", outcome)
    assert done["status"] == "completed", done
    assert done["result_message"] == "queued: Sintel (2010)"
    assert [c.request_id for c in home.creates] == [UUID(command["id"])]
    await asyncio.sleep(1.5)  # more polls: nothing runs twice
    assert len(home.creates) == 1

    def insert(action: str, job_id: UUID) -> dict:
        return (
            the_phone.table("remote_downloads")
            .insert(
                {
                    "desktop_app_id": status["desktop_app_id"],
                    "action": action,
                    "payload": {"job_id": str(job_id)},
                }
            )
            .execute()
            .data[0]
        )

    job_id = next(iter(home.jobs))
    command = await asyncio.to_thread(insert, "pause", job_id)
    done = await eventually("the pause carried out", outcome)
    assert (done["status"], done["result_message"]) == ("completed", "paused: Sintel (2010)")
    assert home.jobs[job_id].state is JobState.PAUSED

    # No downloader answers resume here: the command waits as pending, it is neither lost nor failed.
    command = await asyncio.to_thread(insert, "resume", job_id)
    seen = set()
    for _ in range(30):
        await asyncio.sleep(0.1)
        row = the_phone.table("remote_downloads").select("status").eq("id", command["id"]).execute().data[0]
        seen.add(row["status"])
    assert "pending" in seen
    assert not seen & {"completed", "failed"}
    status = (await gateway_client.get("/api/remote/status")).json()
    assert status["commands_run"] == 2


async def test_an_expired_token_is_refreshed_and_the_new_one_saved(
    supabase_project, gateway_client: httpx.AsyncClient, fast: GatewaySettings
) -> None:
    project = supabase_project
    project.create_user(EMAIL, PASSWORD)
    project.set_token_lifetime(2)
    await gateway_client.post("/api/remote/enable", json=enable_body(project))
    first = (await stored_link(fast))["sealed_refresh_token"]
    first_sync = (await gateway_client.get("/api/remote/status")).json()["last_sync"]

    await asyncio.sleep(4)  # two lifetimes

    status = (await gateway_client.get("/api/remote/status")).json()
    assert status["state"] == "online", status
    assert status["last_sync"] > first_sync
    assert (await stored_link(fast))["sealed_refresh_token"] != first  # rotated, and the new one saved


async def test_a_revoked_login_is_reported_clearly(
    supabase_project, gateway_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    project = supabase_project
    user_id = project.create_user(EMAIL, PASSWORD)
    project.set_token_lifetime(2)
    await gateway_client.post("/api/remote/enable", json=enable_body(project))
    tokens = live_refresh_tokens(project)

    project.revoke(user_id)

    async def error_shown() -> dict | None:
        status = (await gateway_client.get("/api/remote/status")).json()
        return status if status["state"] == "error" else None

    status = await eventually("the status to say sign in again", error_shown)
    assert status["last_error"] == "Supabase refused the saved login: sign in again"
    assert status["enabled"] is True
    lines = [r.getMessage() for r in caplog.records if "refused the saved login" in r.getMessage()]
    assert len(lines) == 1
    assert not any(t in lines[0] for t in tokens)


async def test_realtime_wakes_the_poll_at_once(
    supabase_project, settings: GatewaySettings, home: Home
) -> None:
    """Polling every 30 s here: a command done within a few seconds was found through realtime."""
    project = supabase_project
    project.create_user(EMAIL, PASSWORD)
    slow = settings.model_copy(update={"remote_poll_seconds": 30.0, "remote_poll_subscribed_seconds": 60.0})
    async with serve_gateway(slow) as running, httpx.AsyncClient(base_url=running.url, timeout=30) as http:
        status = (await http.post("/api/remote/enable", json=enable_body(project))).json()

        async def subscribed() -> bool:
            return (await http.get("/api/remote/status")).json()["realtime"]

        await eventually("the realtime channel subscribed", subscribed)
        await asyncio.sleep(0.5)  # the poll right after subscribing has run
        the_phone = await asyncio.to_thread(phone, project)
        command = await asyncio.to_thread(
            lambda: (
                the_phone.table("remote_downloads")
                .insert(
                    {
                        "desktop_app_id": status["desktop_app_id"],
                        "action": "download",
                        "media_type": "movie",
                        "tmdb_id": SINTEL,
                        "payload": {"title": "Sintel", "year": 2010},
                    }
                )
                .execute()
                .data[0]
            )
        )
        started = time.monotonic()

        def done() -> bool:
            row = (
                the_phone.table("remote_downloads").select("status").eq("id", command["id"]).execute().data[0]
            )
            return row["status"] == "completed"

        await eventually("the command done", done, timeout=10)
        assert time.monotonic() - started < 5


async def test_a_jwt_the_server_finds_expired_is_refreshed_and_the_request_sent_again(
    supabase_project,
) -> None:
    """This machine's clock behind the server's: the JWT looks valid here, PostgREST answers PGRST303; the
    request is sent again once after a refresh, and the new refresh token is saved."""
    import json

    from gateway.remote.session import RemoteSession

    project = supabase_project
    project.create_user(EMAIL, PASSWORD)
    project.set_token_lifetime(1)
    saved: list[str | None] = []

    async def save(token: str | None) -> None:
        saved.append(token)

    session = await RemoteSession.sign_in(project.url, project.anon_key, EMAIL, PASSWORD, save)
    try:
        storage = session._storage
        key, value = next(iter(storage._items.items()))
        storage._items[key] = json.dumps(json.loads(value) | {"expires_at": int(time.time()) + 3600})
        await asyncio.sleep(1.5)
        # (the refreshed token lives long enough for the retry on a loaded machine)
        project.set_token_lifetime(300)
        project.reset_requests()

        rows = await session.run(lambda c: c.table("remote_sessions").select("*").execute())

        assert rows.data == []
        assert project.requests[("GET", "/rest/v1/remote_sessions")] == 2  # refused as expired, then again
        assert project.requests[("POST", "/auth/v1/token")] == 1
        assert len(saved) == 2 and saved[0] != saved[1]
    finally:
        await session.close()
