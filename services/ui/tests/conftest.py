"""A gateway on loopback speaking the gateway's HTTP contract, and the dashboard pointed at it.

The server is the UI's peer as its contract describes it (routes, status codes, JSON of the contract models),
holding its data in memory so each test can set the scene and see what the UI sent.
"""

import base64
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import pytest
import segno
import ui
import uvicorn
from catalog.airing import airs_at as catalog_airs_at
from fastapi import Body, FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response
from gateway.api.calendar import Calendar, CalendarEpisode
from gateway.api.follows import FollowState
from gateway.api.models import (
    EpisodeView,
    LibraryShow,
    SeasonView,
    SkippedEpisode,
    TvDownloadRequest,
    TvDownloadResult,
)
from gateway.api.remote import RemoteLinkView as RemoteLink
from gateway.episode_states import aired, airs_on, in_flight, in_library, state_of
from gateway.remote.access import RemoteStatus
from pydantic import BaseModel, ValidationError
from streamlit.testing.v1 import AppTest

from niluflix.contracts.catalog import EpisodeDetails, SeasonSummary, TitleDetails, TitlePage, TitleSummary
from niluflix.contracts.common import MediaType, ServiceHealth
from niluflix.contracts.downloads import Job, JobList, JobState
from niluflix.contracts.follows import Follow, FollowList
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


# Shows: tmdb id, title, year, status, networks, colours, overview, {season: [air dates, None: announced]}.
# Dates are counted from today, so "not aired yet" stays true whenever the tests run.
def _days(*offsets: int | None) -> list[date | None]:
    today = now().date()
    return [today + timedelta(days=d) if d is not None else None for d in offsets]


SHOWS = [
    (
        60001,
        "Pioneer One",
        2010,
        "Ended",
        ["VODO"],
        ("#2d4a6b", "#0a1420"),
        "A capsule falls from the sky over Canada; inside is a man who says he was born on Mars.",
        {1: _days(-5000, -4990, -4980, -4970, -4960, -4950)},
    ),
    (
        60002,
        "Harbor Lights",
        2024,
        "Returning Series",
        ["Northwind", "Tidal+"],
        ("#6b4a2d", "#20140a"),
        "A lighthouse keeper's daughter runs the smallest radio station on the coast, and hears too much.",
        {0: _days(-400), 1: _days(-700, -693, -686, -679), 2: _days(-20, -13, -6, 3, None)},
    ),
    (
        60003,
        "The Quiet Orbit",
        2025,
        "Returning Series",
        ["Northwind"],
        ("#2d6b5a", "#0a201b"),
        "Six strangers wake on a space station that nobody on Earth remembers building.",
        {1: _days(-30, -23, -16)},
    ),
]
EPISODE_NAMES = ["Pilot", "Static", "The Long Night", "Low Tide", "Signal", "Homecoming"]


def sample_shows() -> tuple[dict[int, TitleDetails], dict[tuple[int, int], list[EpisodeDetails]]]:
    shows, episodes = {}, {}
    for tmdb_id, title, year, status, networks, colours, overview, seasons in SHOWS:
        for number, dates in seasons.items():
            episodes[(tmdb_id, number)] = [
                EpisodeDetails(
                    episode_id=tmdb_id * 1000 + number * 100 + i,
                    show_id=tmdb_id,
                    season=number,
                    episode=i,
                    name=EPISODE_NAMES[(i - 1) % len(EPISODE_NAMES)] if number else "Behind the Lights",
                    air_date=air_date,
                    airs_at=catalog_airs_at(air_date),
                    runtime=44,
                )
                for i, air_date in enumerate(dates, start=1)
            ]
        shows[tmdb_id] = TitleDetails(
            tmdb_id=tmdb_id,
            media_type=MediaType.TV,
            title=title,
            year=year,
            overview=overview,
            genres=["Drama", "Mystery"],
            poster_url=svg_art(title, colours, 300, 450),
            backdrop_url=svg_art("", colours, 1280, 720),
            vote_average=round(7.0 + (tmdb_id % 20) / 10, 1),
            popularity=float(tmdb_id % 100),
            status=status,
            networks=networks,
            seasons=[
                SeasonSummary(
                    season=number,
                    name=f"Season {number}" if number else "Specials",
                    episode_count=len(dates),
                    air_date=dates[0],
                )
                for number, dates in sorted(seasons.items())
            ],
        )
    return shows, episodes


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
    # (type, season, episode) of each interactive search
    searched: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    shows: dict[int, TitleDetails] = field(default_factory=lambda: sample_shows()[0])
    episodes: dict[tuple[int, int], list[EpisodeDetails]] = field(default_factory=lambda: sample_shows()[1])
    follows: dict[int, dict[str, Any]] = field(default_factory=dict)  # show id -> {mode, seasons[, profile]}
    # The follow and calendar routes come with a later gateway; False answers 404 as one without them does.
    follow_routes: bool = True
    removed: list[tuple[uuid.UUID, bool]] = field(default_factory=list)  # library item, delete_files
    removed_shows: list[tuple[int, bool]] = field(default_factory=list)  # show id, delete_files
    remote: RemoteStatus = field(default_factory=lambda: RemoteStatus(enabled=False, state="off"))
    # Why the next enable fails (Supabase refused the sign-in, the project is unreachable), as the gateway says it.
    remote_enable_error: tuple[int, str] | None = None

    def add_job(self, tmdb_id: int, state: JobState = JobState.QUEUED, **fields: Any) -> Job:
        tv = fields.get("media_type") is MediaType.TV
        title = (self.shows if tv else self.titles)[tmdb_id]
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

    def add_episode_file(self, show_id: int, season: int, episodes: list[int], size: int) -> LibraryItem:
        show = self.shows[show_id]
        folder = f"/srv/media/TV/{show.title} ({show.year})"
        numbers = "".join(f"E{e:02d}" for e in episodes)
        item = LibraryItem(
            id=uuid.uuid4(),
            media_type=MediaType.TV,
            tmdb_id=show_id,
            title=show.title,
            year=show.year,
            folder=folder,
            path=f"{folder}/Season {season:02d}/{show.title} - S{season:02d}{numbers}.mkv",
            size=size,
            added_at=now(),
            season=season,
            episodes=episodes,
        )
        self.library.append(item)
        return item

    def movies(self) -> list[LibraryItem]:
        return [i for i in self.library if i.media_type is MediaType.MOVIE]

    def wanted(self, show_id: int, season: int) -> bool:
        follow = self.follows.get(show_id)
        return follow is not None and (follow["mode"] == "all" or season in follow["seasons"])

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
        return LibraryList(items=state.movies()).model_dump(mode="json")

    @app.get("/api/movies/{tmdb_id}")
    def details(tmdb_id: int):
        if tmdb_id not in state.titles:
            return error(404, f"TMDB has no movie {tmdb_id}", "not_found")
        return state.titles[tmdb_id].model_dump(mode="json")

    @app.post("/api/movies/{tmdb_id}/download", status_code=202)
    def download(tmdb_id: int, body: Annotated[dict[str, Any] | None, Body()] = None):
        if tmdb_id not in state.titles:
            return error(404, f"TMDB has no movie {tmdb_id}", "not_found")
        title = state.titles[tmdb_id].title
        if any(i.tmdb_id == tmdb_id for i in state.movies()) and not (body or {}).get("replace"):
            return error(
                409, f"{title} is already in the library: ask with replace to download it again", "conflict"
            )
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
        return LibraryList(items=state.movies()).model_dump(mode="json")

    @app.get("/api/library/tv-shows")
    def library_shows() -> list[dict[str, Any]]:
        folders: dict[str, list[LibraryItem]] = defaultdict(list)
        for item in state.library:
            if item.media_type is MediaType.TV:
                folders[item.folder].append(item)
        shows = []
        for folder, items in folders.items():
            seasons: dict[int, set[int]] = defaultdict(set)
            for item in items:
                seasons[item.season or 0].update(item.episodes)
            shows.append(
                LibraryShow(
                    tmdb_id=items[0].tmdb_id,
                    title=items[0].title,
                    year=items[0].year,
                    folder=folder,
                    seasons={n: sorted(e) for n, e in sorted(seasons.items())},
                    episode_files=len(items),
                    size=sum(i.size for i in items),
                )
            )
        return [s.model_dump(mode="json") for s in sorted(shows, key=lambda s: s.title.casefold())]

    @app.delete("/api/library/items/{item_id}", status_code=204)
    def remove_item(item_id: uuid.UUID, delete_files: bool = False):
        item = next((i for i in state.library if i.id == item_id), None)
        if item is None:
            return error(404, f"No library item with id {item_id}", "not_found")
        state.library.remove(item)
        state.removed.append((item_id, delete_files))
        return Response(status_code=204)

    @app.delete("/api/library/tv-shows/{tmdb_id}", status_code=204)
    def remove_show(tmdb_id: Annotated[int, PathParam(gt=0)], delete_files: bool = False):
        files = [i for i in state.library if i.media_type is MediaType.TV and i.tmdb_id == tmdb_id]
        if not files:
            return error(404, f"the library has nothing of TMDB id {tmdb_id}", "not_found")
        state.library = [i for i in state.library if i not in files]
        state.removed_shows.append((tmdb_id, delete_files))
        return Response(status_code=204)

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
    def releases(
        tmdb_id: int,
        type: str = "movie",
        profile: str | None = None,
        season: int | None = None,
        episode: int | None = None,
    ):
        state.searched.append((type, season, episode))
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

    add_tv_routes(app, state, error)
    add_remote_routes(app, state, error)
    return app


def add_tv_routes(app: FastAPI, state: GatewayState, error: Callable[[int, str, str], JSONResponse]) -> None:
    """The gateway's /api/tv, /api/episodes routes (and the follow and calendar ones to come), with its rules
    for which episodes a download takes (gateway.api.tv) and each episode's state (gateway.episode_states)."""

    def shows_page(shows: list[TitleDetails]) -> dict[str, Any]:
        summaries = [
            TitleSummary.model_validate(t.model_dump(include=set(TitleSummary.model_fields))) for t in shows
        ]
        return TitlePage(total_results=len(summaries), results=summaries).model_dump(mode="json")

    def keys_in_library(show_id: int) -> set[tuple[int, int]]:
        return in_library([i for i in state.library if i.tmdb_id == show_id and i.media_type is MediaType.TV])

    def jobs_of(show_id: int) -> dict[tuple[int, int], Job]:
        return in_flight(
            [j for j in state.jobs.values() if j.tmdb_id == show_id and j.media_type is MediaType.TV]
        )

    def why_not(episode: EpisodeDetails, present: set[tuple[int, int]]) -> str | None:
        if (episode.season, episode.episode) in present:
            return "in the library"
        if not aired(episode, now()):
            when = airs_on(episode)
            return f"not aired yet (airs {when.isoformat()})" if when else "not aired yet (no air date)"
        return None

    def no_show(show_id: int) -> JSONResponse:
        return error(404, f"TMDB has no show {show_id}", "not_found")

    def profile_name(name: str | None) -> str | None | JSONResponse:
        """As the gateway spells a named profile (the settings' spelling); an unknown one is refused."""
        if name is None:
            return None
        profile = state.settings.profile(name)
        if profile is None:
            names = ", ".join(p.name for p in state.settings.quality_profiles)
            return error(422, f"no quality profile named '{name}' (profiles: {names})", "invalid_request")
        return profile.name

    @app.get("/api/tv/popular")
    def tv_popular(page: int = 1) -> dict[str, Any]:
        return shows_page(sorted(state.shows.values(), key=lambda t: -(t.popularity or 0)))

    @app.get("/api/tv/trending")
    def tv_trending(page: int = 1, window: str = "week") -> dict[str, Any]:
        return shows_page(list(state.shows.values()))

    @app.get("/api/tv/search/{query:path}")
    def tv_search(query: str) -> dict[str, Any]:
        state.searches.append(query)
        return shows_page([t for t in state.shows.values() if query.casefold() in t.title.casefold()])

    @app.get("/api/tv/followed")
    def followed():
        if not state.follow_routes:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return FollowList(
            follows=[
                Follow(tmdb_id=show_id, title=state.shows[show_id].title, created_at=now(), **follow)
                for show_id, follow in state.follows.items()
            ]
        ).model_dump(mode="json")

    @app.get("/api/tv/{show_id}")
    def tv_details(show_id: int):
        show = state.shows.get(show_id)
        return show.model_dump(mode="json") if show else no_show(show_id)

    @app.get("/api/tv/{show_id}/season/{season}")
    def tv_season(show_id: int, season: int):
        if (show_id, season) not in state.episodes:
            return error(404, f"TMDB has no season {season} of show {show_id}", "not_found")
        present, jobs = keys_in_library(show_id), jobs_of(show_id)
        episodes = [
            EpisodeView(
                **e.model_dump(),
                state=state_of(
                    e, library=present, jobs=jobs, wanted=state.wanted(show_id, season), now=now()
                ),
                job_id=job.id if (job := jobs.get((e.season, e.episode))) else None,
            )
            for e in state.episodes[(show_id, season)]
        ]
        return SeasonView(
            tmdb_id=show_id, season=season, name=f"Season {season}", episodes=episodes
        ).model_dump(mode="json")

    @app.post("/api/tv/{show_id}/download", status_code=202)
    def tv_download(show_id: int, body: TvDownloadRequest | None = None):
        body = body or TvDownloadRequest()
        show = state.shows.get(show_id)
        if show is None:
            return no_show(show_id)
        known = {s.season for s in show.seasons}
        regular = {n for n in known if n > 0}
        asked = (set(body.seasons) | {e.season for e in body.episodes}) or regular
        if unknown := sorted(asked - known):
            return error(404, f"{show.title} has no season {unknown[0]}", "not_found")
        profile = profile_name(body.profile)
        if isinstance(profile, JSONResponse):
            return profile
        chosen = {(e.season, e.episode) for e in body.episodes}
        whole = set(body.seasons) or (regular if not body.episodes else set())
        present = keys_in_library(show_id) if body.missing_only else set()
        result, wanted = TvDownloadResult(), defaultdict(list)
        for n in sorted(asked):
            for episode in state.episodes[(show_id, n)]:
                if n not in whole and (n, episode.episode) not in chosen:
                    continue
                skip = why_not(episode, present)
                if skip:
                    result.skipped.append(SkippedEpisode(season=n, episode=episode.episode, reason=skip))
                else:
                    wanted[n].append(episode.episode)
        for n, numbers in sorted(wanted.items()):
            job = state.add_job(
                show_id,
                media_type=MediaType.TV,
                season=n,
                episodes=numbers,
                profile=profile,
                release_name=body.release.name if body.release else None,
            )
            result.jobs.append(job)
        return result.model_dump(mode="json")

    @app.post("/api/episodes/{episode_id}/download", status_code=202)
    def episode_download(episode_id: int, replace: bool = False, profile: str | None = None):
        found = [e for episodes in state.episodes.values() for e in episodes if e.episode_id == episode_id]
        if not found:
            return error(404, f"TMDB has no episode {episode_id}", "not_found")
        episode = found[0]
        name = profile_name(profile)
        if isinstance(name, JSONResponse):
            return name
        why = why_not(episode, set() if replace else keys_in_library(episode.show_id))
        if why:
            return error(409, f"S{episode.season:02d}E{episode.episode:02d}: {why}", "conflict")
        job = state.add_job(
            episode.show_id,
            media_type=MediaType.TV,
            season=episode.season,
            episodes=[episode.episode],
            profile=name,
        )
        return job.model_dump(mode="json")

    def follow_view(show_id: int) -> dict[str, Any]:
        follow = state.follows.get(show_id)
        if follow is None:
            return FollowState(following=False).model_dump(mode="json")
        return FollowState(following=True, **follow).model_dump(mode="json")

    @app.get("/api/tv/{show_id}/follow")
    def get_follow(show_id: int):
        if not state.follow_routes:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return follow_view(show_id) if show_id in state.shows else no_show(show_id)

    @app.put("/api/tv/{show_id}/follow")
    def put_follow(show_id: int, body: Annotated[dict[str, Any], Body()]):
        if not state.follow_routes:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        if body.get("mode") not in ("all", "future", "seasons"):
            return error(422, "mode: must be all, future or seasons", "invalid_request")
        if body["mode"] == "seasons" and not body.get("seasons"):
            return error(422, "seasons: name at least one season to follow", "invalid_request")
        profile = profile_name(body.get("profile"))
        if isinstance(profile, JSONResponse):
            return profile
        state.follows[show_id] = {"mode": body["mode"], "seasons": list(body.get("seasons") or [])}
        if profile is not None:
            state.follows[show_id]["profile"] = profile
        return follow_view(show_id)

    @app.delete("/api/tv/{show_id}/follow", status_code=204)
    def delete_follow(show_id: int):
        if not state.follow_routes:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        state.follows.pop(show_id, None)
        return Response(status_code=204)

    @app.get("/api/calendar")
    def calendar(days_back: int = 7, days_ahead: int = 14):
        if not state.follow_routes:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        today = now().date()
        first, last = today - timedelta(days=days_back), today + timedelta(days=days_ahead)
        rows = []
        for (show_id, season), episodes in state.episodes.items():
            if show_id not in state.follows:
                continue
            present, jobs = keys_in_library(show_id), jobs_of(show_id)
            for e in episodes:
                if e.air_date is None or not first <= e.air_date <= last:
                    continue
                rows.append(
                    CalendarEpisode(
                        **e.model_dump(),
                        show_title=state.shows[show_id].title,
                        state=state_of(
                            e, library=present, jobs=jobs, wanted=state.wanted(show_id, season), now=now()
                        ),
                    )
                )
        rows.sort(key=lambda r: (r.air_date, r.show_title, r.episode))
        return Calendar(start=first, end=last, episodes=rows).model_dump(mode="json")


class RemoteEnable(BaseModel):
    """`POST /api/remote/enable`'s body."""

    supabase_url: str
    anon_key: str
    email: str
    password: str
    display_name: str | None = None
    remote_ui_url: str | None = None


def add_remote_routes(
    app: FastAPI, state: GatewayState, error: Callable[[int, str, str], JSONResponse]
) -> None:
    """The gateway's /api/remote routes: the home's link to the user's Supabase project and the phone's link."""

    @app.get("/api/remote/status")
    def remote_status() -> dict[str, Any]:
        return state.remote.model_dump(mode="json")

    @app.post("/api/remote/enable")
    def remote_enable(body: RemoteEnable):
        if state.remote_enable_error is not None:
            status, detail = state.remote_enable_error
            return error(status, detail, "upstream" if status >= 500 else "invalid_request")
        state.remote = RemoteStatus(
            enabled=True,
            state="online",
            supabase_url=body.supabase_url,
            email=body.email,
            desktop_app_id="home-0123456789",
            display_name=body.display_name,
            remote_ui_url=body.remote_ui_url,
            last_sync=now(),
            realtime=True,
            mirrored_items=len(state.library),
        )
        return state.remote.model_dump(mode="json")

    @app.post("/api/remote/disable")
    def remote_disable() -> dict[str, Any]:
        state.remote = RemoteStatus(enabled=False, state="off")
        return state.remote.model_dump(mode="json")

    @app.get("/api/remote/link")
    def remote_link():
        remote = state.remote
        if not remote.enabled:
            return error(409, "Remote access is off: turn it on first.", "conflict")
        if not remote.remote_ui_url:
            return error(409, "No remote web UI URL yet: enter where you deployed it.", "conflict")
        url = f"{remote.remote_ui_url}?{urlencode({'supabase_url': remote.supabase_url, 'anon_key': 'anon'})}"
        svg = segno.make(url, error="m").svg_inline(scale=4)
        return RemoteLink(url=url, qr_svg=svg).model_dump(mode="json")


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
