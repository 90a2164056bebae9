"""A gateway on loopback speaking the gateway's HTTP contract, and the dashboard pointed at it.

The server is the UI's peer as its contract describes it (routes, status codes, JSON of the contract models),
holding its data in memory so each test can set the scene and see what the UI sent.
"""

import base64
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import ui
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from streamlit.testing.v1 import AppTest

from niluflix.contracts.catalog import TitleDetails, TitlePage, TitleSummary
from niluflix.contracts.common import ServiceHealth
from niluflix.contracts.downloads import Job, JobList, JobState
from niluflix.contracts.library import LibraryItem, LibraryList, SyncResult
from niluflix.contracts.search import ReleaseList
from niluflix.contracts.settings import IndexerSettings, QualityProfile, SharedSettings
from niluflix.testing.net import free_port

APP = Path(ui.__file__).parent / "dashboard" / "app.py"
MASK = "********"

SAMPLE = [
    # tmdb id, title, year, runtime, genres, colours, overview
    (
        10378,
        "Big Buck Bunny",
        2008,
        10,
        ["Animation", "Comedy"],
        ("#3f7d20", "#0f2a07"),
        "A giant rabbit takes revenge on three bullying rodents in a sunny forest.",
    ),
    (
        45745,
        "Sintel",
        2010,
        15,
        ["Animation", "Fantasy"],
        ("#7a1d1d", "#1b0606"),
        "A lonely young woman searches the world for the baby dragon she once rescued.",
    ),
    (
        133701,
        "Tears of Steel",
        2012,
        12,
        ["Science Fiction"],
        ("#1d4f7a", "#06131f"),
        "Warriors and scientists gather in Amsterdam to save the world from destructive robots.",
    ),
    (
        9761,
        "Elephants Dream",
        2006,
        11,
        ["Animation", "Science Fiction"],
        ("#7a5a1d", "#1f1606"),
        "Two men explore a strange, endless machine and disagree about what is real.",
    ),
    (
        358332,
        "Cosmos Laundromat",
        2015,
        12,
        ["Animation", "Drama"],
        ("#5a1d7a", "#14061f"),
        "A suicidal sheep meets a mysterious salesman who offers him the gift of a lifetime.",
    ),
    (
        594768,
        "Spring",
        2019,
        8,
        ["Animation", "Fantasy"],
        ("#1d7a6b", "#061f1b"),
        "A shepherd girl and her dog face ancient spirits to keep the cycle of life going.",
    ),
    (
        457307,
        "Agent 327: Operation Barbershop",
        2017,
        4,
        ["Animation", "Action"],
        ("#7a6b1d", "#1f1b06"),
        "Agent 327 goes undercover at a barbershop that hides a secret lair.",
    ),
]


def svg_art(title: str, colours: tuple[str, str], width: int, height: int) -> str:
    """The offline sample catalog's kind of poster: an inline SVG as a data URI."""
    top, bottom = colours
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
        f'<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{top}"/>'
        f'<stop offset="1" stop-color="{bottom}"/></linearGradient></defs>'
        f'<rect width="{width}" height="{height}" fill="url(#g)"/>'
        f'<circle cx="{width * 0.7}" cy="{height * 0.3}" r="{min(width, height) * 0.22}" fill="#ffffff22"/>'
        f'<text x="{width / 2}" y="{height * 0.82}" text-anchor="middle" font-family="Arial" font-weight="700" '
        f'font-size="{width / 11}" fill="#fff">{title}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def sample_titles() -> dict[int, TitleDetails]:
    titles = {}
    for tmdb_id, title, year, runtime, genres, colours, overview in SAMPLE:
        titles[tmdb_id] = TitleDetails(
            tmdb_id=tmdb_id,
            title=title,
            year=year,
            runtime=runtime,
            genres=genres,
            overview=overview,
            poster_url=svg_art(title, colours, 300, 450),
            backdrop_url=svg_art("", colours, 1280, 720),
            vote_average=round(6.5 + (tmdb_id % 30) / 10, 1),
            popularity=float(tmdb_id % 100),
        )
    return titles


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class GatewayState:
    titles: dict[int, TitleDetails] = field(default_factory=sample_titles)
    jobs: dict[uuid.UUID, Job] = field(default_factory=dict)
    library: list[LibraryItem] = field(default_factory=list)
    unscanned: list[LibraryItem] = field(default_factory=list)
    vanished: list[LibraryItem] = field(default_factory=list)
    # Set up as a user's would be: an indexer to search (the "no indexer yet" state is its own test).
    settings: SharedSettings = field(
        default_factory=lambda: SharedSettings(
            library_dir="/srv/media/Movies",
            indexers=[IndexerSettings(name="Demo", url="http://127.0.0.1:9117/api")],
        )
    )
    health: dict[str, Any] = field(default_factory=dict)
    api_key: str = "nf_test_key_0123456789"
    calls: list[tuple[str, str, Any]] = field(default_factory=list)
    searches: list[str] = field(default_factory=list)
    down: dict[str, str] = field(default_factory=dict)  # route -> NATS subject nobody answers
    api_keys_seen: list[str | None] = field(default_factory=list)
    client_keys_seen: list[str | None] = field(default_factory=list)
    owner_password: str | None = None
    sessions: dict[str, datetime] = field(default_factory=dict)  # token -> expiry
    releases: ReleaseList = field(default_factory=ReleaseList)  # what an interactive search finds

    def add_job(self, tmdb_id: int, state: JobState = JobState.QUEUED, **fields: Any) -> Job:
        title = self.titles[tmdb_id]
        job = Job(
            id=uuid.uuid4(),
            tmdb_id=tmdb_id,
            title=title.title,
            year=title.year,
            state=state,
            created_at=now() - timedelta(minutes=5),
            updated_at=now() - timedelta(minutes=1),
            **fields,
        )
        self.jobs[job.id] = job
        return job

    def add_library_item(
        self, tmdb_id: int | None, title: str, year: int, size: int, scanned: bool = False
    ) -> LibraryItem:
        folder = f"/srv/media/Movies/{title} ({year})"
        item = LibraryItem(
            id=uuid.uuid4(),
            tmdb_id=tmdb_id,
            title=title,
            year=year,
            folder=folder,
            path=f"{folder}/{title} ({year}).mkv",
            size=size,
            added_at=now(),
        )
        (self.unscanned if scanned else self.library).append(item)
        return item

    def calls_to(self, method: str, path: str) -> list[Any]:
        return [body for m, p, body in self.calls if m == method and p == path]


def masked(settings: SharedSettings) -> dict[str, Any]:
    data = settings.model_dump(mode="json")
    data["tmdb_api_key"] = MASK if settings.tmdb_api_key else None
    data["torrent_client"]["password"] = MASK if settings.torrent_client.password else None
    for shown, indexer in zip(data["indexers"], settings.indexers, strict=True):
        shown["api_key"] = MASK if indexer.api_key else None
    return data


def unmask(patch: dict[str, Any], saved: SharedSettings) -> dict[str, Any]:
    """The saved settings with the patch's top-level fields over them; the mask keeps a saved secret."""
    merged = saved.model_dump() | patch
    if patch.get("tmdb_api_key") == MASK:
        merged["tmdb_api_key"] = saved.tmdb_api_key
    client = merged["torrent_client"]
    if isinstance(client, dict) and client.get("password") == MASK:
        client["password"] = saved.torrent_client.password
    old_keys = {i.name: i.api_key for i in saved.indexers}
    for indexer in merged["indexers"]:
        if isinstance(indexer, dict) and indexer.get("api_key") == MASK:
            indexer["api_key"] = old_keys.get(indexer.get("name"))
    return merged


def build_gateway(state: GatewayState) -> FastAPI:
    app = FastAPI()

    def error(status: int, detail: str, code: str) -> JSONResponse:
        return JSONResponse({"detail": detail, "code": code}, status_code=status)

    def job_or_404(job_id: uuid.UUID) -> Job | JSONResponse:
        job = state.jobs.get(job_id)
        return job if job is not None else error(404, f"No download with id {job_id}", "not_found")

    def change(job: Job, new_state: JobState) -> Job:
        job = job.model_copy(update={"state": new_state, "updated_at": now()})
        state.jobs[job.id] = job
        return job

    @app.middleware("http")
    async def record(request: Request, call_next):
        body = await request.body()
        state.api_keys_seen.append(request.headers.get("x-api-key"))
        state.client_keys_seen.append(request.headers.get("x-niluflix-client"))
        state.calls.append((request.method, request.url.path, body.decode() or None))
        if request.url.path in state.down:
            # What the gateway answers when the service behind a route is not running.
            return error(503, f"no service answers {state.down[request.url.path]}", "unavailable")
        return await call_next(request)

    def title_page(ids: list[TitleDetails]) -> dict[str, Any]:
        summaries = [
            TitleSummary.model_validate(t.model_dump(include=set(TitleSummary.model_fields))) for t in ids
        ]
        return TitlePage(page=1, total_pages=1, total_results=len(summaries), results=summaries).model_dump(
            mode="json"
        )

    @app.get("/api/movies/popular")
    def popular(page: int = 1) -> dict[str, Any]:
        return title_page(sorted(state.titles.values(), key=lambda t: -(t.popularity or 0)))

    @app.get("/api/movies/trending")
    def trending(page: int = 1) -> dict[str, Any]:
        return title_page(list(state.titles.values()))

    @app.get("/api/movies/search/{query:path}")
    def search(query: str) -> dict[str, Any]:
        state.searches.append(query)
        return title_page([t for t in state.titles.values() if query.casefold() in t.title.casefold()])

    @app.get("/api/movies/downloaded")
    def downloaded() -> dict[str, Any]:
        return LibraryList(items=state.library).model_dump(mode="json")

    @app.get("/api/movies/{tmdb_id}")
    def details(tmdb_id: int):
        if tmdb_id not in state.titles:
            return error(404, f"TMDB has no movie {tmdb_id}", "not_found")
        return state.titles[tmdb_id].model_dump(mode="json")

    @app.post("/api/movies/{tmdb_id}/download", status_code=202)
    def download(tmdb_id: int):
        if tmdb_id not in state.titles:
            return error(404, f"TMDB has no movie {tmdb_id}", "not_found")
        return state.add_job(tmdb_id).model_dump(mode="json")

    @app.get("/api/downloads/active")
    def active() -> dict[str, Any]:
        # The gateway merges the newest tick into these; here the jobs already hold their live numbers.
        return JobList(jobs=[j for j in state.jobs.values() if j.state.active]).model_dump(mode="json")

    @app.get("/api/downloads/history")
    def history() -> dict[str, Any]:
        return JobList(jobs=[j for j in state.jobs.values() if not j.state.active]).model_dump(mode="json")

    @app.delete("/api/downloads/{job_id}")
    def cancel(job_id: uuid.UUID):
        job = job_or_404(job_id)
        return (
            job if isinstance(job, JSONResponse) else change(job, JobState.CANCELLED).model_dump(mode="json")
        )

    @app.post("/api/downloads/{job_id}/pause")
    def pause(job_id: uuid.UUID):
        job = job_or_404(job_id)
        return job if isinstance(job, JSONResponse) else change(job, JobState.PAUSED).model_dump(mode="json")

    @app.post("/api/downloads/{job_id}/resume")
    def resume(job_id: uuid.UUID):
        job = job_or_404(job_id)
        return (
            job
            if isinstance(job, JSONResponse)
            else change(job, JobState.DOWNLOADING).model_dump(mode="json")
        )

    @app.get("/api/library/movies")
    def library() -> dict[str, Any]:
        return LibraryList(items=state.library).model_dump(mode="json")

    @app.post("/api/library/sync")
    def sync() -> dict[str, Any]:
        added, state.unscanned = state.unscanned, []
        removed, state.vanished = state.vanished, []
        state.library = [i for i in state.library if i not in removed] + added
        return SyncResult(scanned=len(state.library), added=added, removed=removed).model_dump(mode="json")

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return state.health or {
            "status": "ok",
            "services": [
                ServiceHealth(service=s, ok=True, version="0.1.0").model_dump(mode="json") | {"detail": ""}
                for s in ("catalog", "search", "downloader", "organizer")
            ],
            "nats": {"ok": True, "detail": ""},
            "torrent_client": {
                "kind": "transmission",
                "ok": True,
                "detail": "Transmission answered on 127.0.0.1:9091",
            },
            "indexers": [{"name": "Demo", "ok": True, "detail": "12 ms"}],
        }

    @app.get("/api/settings")
    def get_settings() -> dict[str, Any]:
        return masked(state.settings)

    @app.put("/api/settings")
    async def put_settings(request: Request):
        patch = await request.json()
        try:
            state.settings = SharedSettings.model_validate(unmask(patch, state.settings))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            return JSONResponse({"detail": f"{where}: {first['msg']}"}, status_code=422)
        return masked(state.settings)

    @app.get("/api/search/releases")
    def releases(tmdb_id: int, type: str = "movie", profile: str | None = None):
        chosen = state.settings.profile(profile)
        if chosen is None:
            return error(422, f"no quality profile named '{profile}'", "invalid_request")
        return state.releases.model_copy(update={"profile": chosen.name}).model_dump(mode="json")

    def profile_index(name: str) -> int | None:
        names = [p.name.casefold() for p in state.settings.quality_profiles]
        return names.index(name.casefold()) if name.casefold() in names else None

    def save_profiles(profiles: list[QualityProfile], default: str) -> None:
        state.settings = state.settings.model_copy(
            update={"quality_profiles": profiles, "default_profile": default}
        )

    @app.get("/api/profiles")
    def profiles() -> dict[str, Any]:
        return {
            "default_profile": state.settings.default_profile,
            "profiles": [p.model_dump(mode="json") for p in state.settings.quality_profiles],
        }

    @app.post("/api/profiles", status_code=201)
    def add_profile(profile: QualityProfile, make_default: bool = False):
        if profile_index(profile.name) is not None:
            return error(409, f"a quality profile named '{profile.name}' already exists", "conflict")
        default = profile.name if make_default else state.settings.default_profile
        save_profiles([*state.settings.quality_profiles, profile], default)
        return profile.model_dump(mode="json")

    @app.put("/api/profiles/{name}")
    def change_profile(name: str, profile: QualityProfile, make_default: bool = False):
        index = profile_index(name)
        if index is None:
            return error(404, f"no quality profile named '{name}'", "not_found")
        profiles = list(state.settings.quality_profiles)
        was_default = profiles[index].name == state.settings.default_profile
        profiles[index] = profile
        save_profiles(
            profiles, profile.name if make_default or was_default else state.settings.default_profile
        )
        return profile.model_dump(mode="json")

    @app.delete("/api/profiles/{name}", status_code=204)
    def remove_profile(name: str):
        index = profile_index(name)
        if index is None:
            return error(404, f"no quality profile named '{name}'", "not_found")
        if state.settings.quality_profiles[index].name == state.settings.default_profile:
            return error(409, f"'{name}' is the default profile: make another the default first", "conflict")
        save_profiles(
            [p for i, p in enumerate(state.settings.quality_profiles) if i != index],
            state.settings.default_profile,
        )
        return None

    @app.get("/api/settings/api-key")
    def api_key() -> dict[str, Any]:
        return {"api_key": state.api_key}

    def new_session() -> dict[str, Any]:
        token = uuid.uuid4().hex + uuid.uuid4().hex
        state.sessions[token] = now() + timedelta(days=30)
        return {"user": "owner", "expires_at": state.sessions[token].isoformat(), "token": token}

    @app.get("/api/auth/status")
    def auth_status() -> dict[str, Any]:
        return {"password_set": state.owner_password is not None}

    @app.post("/api/auth/password", status_code=201)
    async def set_password(request: Request):
        password = (await request.json())["password"]
        if state.owner_password is not None:
            return error(409, "the owner's password is already set: sign in with it", "conflict")
        if len(password) < 8:
            return error(422, "the password must have at least 8 characters", "invalid_request")
        state.owner_password = password
        return new_session()

    @app.post("/api/auth/sessions", status_code=201)
    async def sign_in(request: Request):
        if (await request.json())["password"] != state.owner_password:
            return error(401, "wrong password", "unauthorized")
        return new_session()

    @app.get("/api/auth/session")
    def session(request: Request):
        token = request.headers.get("x-niluflix-session", "")
        if token not in state.sessions:
            return error(401, "not signed in: the session is unknown or was signed out", "unauthorized")
        return {"user": "owner", "expires_at": state.sessions[token].isoformat()}

    @app.delete("/api/auth/session", status_code=204)
    def sign_out(request: Request) -> None:
        state.sessions.pop(request.headers.get("x-niluflix-session", ""), None)

    return app


@dataclass
class RunningGateway:
    url: str
    state: GatewayState


@pytest.fixture
def gateway_server() -> Iterator[RunningGateway]:
    state = GatewayState()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(build_gateway(state), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="test-gateway", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the test gateway did not start")
        threading.Event().wait(0.01)
    try:
        yield RunningGateway(url=f"http://127.0.0.1:{port}", state=state)
    finally:
        server.should_exit = True
        thread.join(10)


OWNER_PASSWORD = "owner-password-1"


def sign_in_as_owner(at: AppTest, password: str = OWNER_PASSWORD) -> AppTest:
    """Go through the gate as the owner: AppTest has no browser connection, so it counts as another
    machine. Sets the password on the first visit, signs in afterwards; then the Home page shows."""
    at.run()
    if at.title and at.title[0].value == "Set a password":
        at.text_input[0].input(password)
        at.text_input[1].input(password)
    else:
        at.text_input[0].input(password)
    at.button[0].click().run()
    assert not at.exception
    assert not {t.value for t in at.title} & {"Set a password", "Sign in to NiluFlix"}, [
        e.value for e in at.error
    ]
    return at


@pytest.fixture(name="sign_in")
def sign_in_fixture() -> Callable[..., AppTest]:
    """`sign_in(at)`: runs `at` through the gate as the owner (see `sign_in_as_owner`)."""
    return sign_in_as_owner


@pytest.fixture
def ui_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The UI's data folder (its trusted-client credential goes there), never the user's own."""
    monkeypatch.setenv("NILUFLIX_DATA_DIR", str(tmp_path / "ui-data"))
    return tmp_path / "ui-data"


@pytest.fixture
def dashboard(gateway_server: RunningGateway, monkeypatch: pytest.MonkeyPatch, ui_data_dir: Path) -> AppTest:
    """The dashboard as Streamlit runs it, talking to the test gateway, signed in as the owner."""
    monkeypatch.setenv("NILUFLIX_GATEWAY_URL", gateway_server.url)
    monkeypatch.delenv("NILUFLIX_UI_GATEWAY_URL", raising=False)
    monkeypatch.delenv("NILUFLIX_API_KEY", raising=False)
    at = sign_in_as_owner(AppTest.from_file(APP, default_timeout=15))
    # Each test sees only the calls of its own steps.
    gateway_server.state.calls.clear()
    gateway_server.state.api_keys_seen.clear()
    gateway_server.state.client_keys_seen.clear()
    return at


@pytest.fixture
def dead_gateway_url(monkeypatch: pytest.MonkeyPatch, ui_data_dir: Path) -> str:
    """A loopback URL nothing listens on, as the UI's gateway."""
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("NILUFLIX_GATEWAY_URL", url)
    monkeypatch.delenv("NILUFLIX_UI_GATEWAY_URL", raising=False)
    return url


@pytest.fixture
def offline_dashboard(dead_gateway_url: str) -> AppTest:
    return AppTest.from_file(APP, default_timeout=15)
