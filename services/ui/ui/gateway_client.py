"""A small typed client of the gateway's HTTP API, the UI's only way into NiluFlix.

Every method returns a contract model from `niluflix.contracts` (or, for shapes that exist only on the
gateway's HTTP side, a model defined here) and raises a `ui.errors.GatewayError` whose message can be
shown to the user as it is.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, Self, TypeVar
from urllib.parse import quote
from uuid import UUID

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from niluflix import client_credential, gateway_tls
from niluflix.client_credential import SESSION_HEADER
from niluflix.contracts.catalog import TitleDetails, TitlePage
from niluflix.contracts.common import ServiceHealth
from niluflix.contracts.downloads import Job, JobList
from niluflix.contracts.follows import FollowList
from niluflix.contracts.library import LibraryList, SyncResult
from niluflix.contracts.search import IndexerTestResult, Release, ReleaseList
from niluflix.contracts.settings import QualityProfile, SharedSettings
from ui.errors import GatewayProtocolError, GatewayRejected, GatewayTimeout, GatewayUnreachable
from ui.tv_models import (
    Calendar,
    FollowMode,
    FollowState,
    LibraryShow,
    LibraryShows,
    SeasonView,
    TvDownloadResult,
)

M = TypeVar("M", bound=BaseModel)

MASK = "********"
"""What the gateway shows instead of a secret that is set; sending it back keeps the secret."""


class ServiceStatus(ServiceHealth):
    detail: str = Field("", description="Why the service is not ok when it could not say so itself")


class PartStatus(BaseModel):
    """The state of one part NiluFlix needs: NATS, the torrent client, an indexer."""

    model_config = ConfigDict(extra="allow")

    name: str = ""
    kind: str | None = None
    ok: bool | None = None
    detail: str = ""


class GatewayHealth(BaseModel):
    """`GET /api/health`. Lenient: the gateway may add fields, and a part may be missing when it is down."""

    model_config = ConfigDict(extra="allow")

    status: str = "unknown"
    services: list[ServiceStatus] = []
    nats: PartStatus | None = None
    torrent_client: PartStatus | None = None
    indexers: list[PartStatus] = []


class ProfileList(BaseModel):
    """`GET /api/profiles`."""

    default_profile: str
    profiles: list[QualityProfile]


class ApiKey(BaseModel):
    api_key: SecretStr


class AuthStatus(BaseModel):
    """`GET /api/auth/status`."""

    password_set: bool


class UserSession(BaseModel):
    """A browser's sign-in, as the gateway keeps it; `token` only when it was just made."""

    user: str
    expires_at: datetime
    token: SecretStr | None = None


RemoteState = Literal["off", "connecting", "online", "error"]


class RemoteStatus(BaseModel):
    """`GET /api/remote/status`: the home's link to the user's Supabase project (remote access)."""

    enabled: bool
    state: RemoteState
    supabase_url: str | None = None
    email: str | None = None
    desktop_app_id: str | None = None
    display_name: str | None = None
    remote_ui_url: str | None = None
    last_sync: datetime | None = None
    last_error: str | None = None
    realtime: bool = False
    mirrored_items: int = 0


class RemoteLink(BaseModel):
    """`GET /api/remote/link`: the remote web UI's address for a phone, and its QR code as SVG."""

    url: str
    qr_svg: str


# A test asks an indexer or a provider within the search service's own timeout (10 s unless changed): the UI
# waits longer, so one that never answers shows as its own message, not as a slow gateway.
TEST_TIMEOUT = 60.0


def error_detail(body: Any, fallback: str) -> str:
    """The gateway's `detail` as one readable line, whether it is a sentence or FastAPI's list of field errors."""
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str) and detail.strip():
        return detail
    if isinstance(detail, list) and detail:
        parts = []
        for item in detail:
            if not isinstance(item, dict):
                parts.append(str(item))
                continue
            where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path"))
            message = str(item.get("msg", "invalid value"))
            parts.append(f"{where}: {message}" if where else message)
        return "; ".join(parts)
    if detail:
        return str(detail)
    return fallback


class GatewayClient:
    def __init__(
        self,
        base_url: str,
        api_key: SecretStr | None = None,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        client_key: SecretStr | None = None,
        verify: str | bool = True,
    ) -> None:
        """`verify`: a CA file for an https gateway with its own certificate (UiSettings.gateway_verify)."""
        self.base_url = base_url.rstrip("/")
        self._timeout = timeout
        headers = {"Accept": "application/json", "User-Agent": "niluflix-ui"}
        if api_key is not None:
            headers["X-Api-Key"] = api_key.get_secret_value()
        if client_key is not None:
            # NiluFlix's own UI: the gateway treats it as this machine (niluflix.client_credential).
            headers[client_credential.HEADER] = client_key.get_secret_value()
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=timeout,
            transport=transport,
            verify=gateway_tls.ssl_context(verify),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Catalog

    def popular(self, page: int = 1) -> TitlePage:
        return self._call("GET", "/api/movies/popular", TitlePage, params={"page": page})

    def trending(self, page: int = 1) -> TitlePage:
        return self._call("GET", "/api/movies/trending", TitlePage, params={"page": page})

    def search(self, query: str) -> TitlePage:
        return self._call("GET", f"/api/movies/search/{quote(query.strip(), safe='')}", TitlePage)

    def movie(self, tmdb_id: int) -> TitleDetails:
        return self._call("GET", f"/api/movies/{int(tmdb_id)}", TitleDetails)

    def downloaded(self) -> LibraryList:
        return self._call("GET", "/api/movies/downloaded", LibraryList)

    def download(
        self,
        tmdb_id: int,
        priority: int = 0,
        release: Release | None = None,
        profile: str | None = None,
        replace: bool = False,
    ) -> Job:
        """`replace`: download a movie again although it is in the library (the gateway answers 409 else)."""
        body: dict[str, Any] = {"priority": priority}
        if release is not None:
            body["release"] = release.model_dump(mode="json")
        if profile is not None:
            body["profile"] = profile
        if replace:
            body["replace"] = True
        return self._call("POST", f"/api/movies/{int(tmdb_id)}/download", Job, json=body)

    # Shows

    def popular_tv(self, page: int = 1) -> TitlePage:
        return self._call("GET", "/api/tv/popular", TitlePage, params={"page": page})

    def trending_tv(self, page: int = 1, window: str = "week") -> TitlePage:
        return self._call("GET", "/api/tv/trending", TitlePage, params={"page": page, "window": window})

    def search_tv(self, query: str) -> TitlePage:
        return self._call("GET", f"/api/tv/search/{quote(query.strip(), safe='')}", TitlePage)

    def show(self, tmdb_id: int) -> TitleDetails:
        return self._call("GET", f"/api/tv/{int(tmdb_id)}", TitleDetails)

    def season(self, tmdb_id: int, season: int) -> SeasonView:
        return self._call("GET", f"/api/tv/{int(tmdb_id)}/season/{int(season)}", SeasonView)

    def download_show(
        self,
        tmdb_id: int,
        seasons: list[int] | None = None,
        episodes: list[tuple[int, int]] | None = None,
        missing_only: bool = True,
        priority: int = 0,
        profile: str | None = None,
        release: Release | None = None,
    ) -> TvDownloadResult:
        """Neither seasons nor episodes: the whole show. Aired episodes only; the missing only by default.
        `release`: one the user picked, for one season or episodes of one season."""
        body: dict[str, Any] = {
            "seasons": list(seasons or []),
            "episodes": [{"season": s, "episode": e} for s, e in episodes or []],
            "missing_only": missing_only,
            "priority": priority,
        }
        if profile is not None:
            body["profile"] = profile
        if release is not None:
            body["release"] = release.model_dump(mode="json")
        return self._call("POST", f"/api/tv/{int(tmdb_id)}/download", TvDownloadResult, json=body)

    def download_episode(self, episode_id: int, replace: bool = False, profile: str | None = None) -> Job:
        params: dict[str, Any] = {"replace": replace}
        if profile is not None:
            params["profile"] = profile
        return self._call("POST", f"/api/episodes/{int(episode_id)}/download", Job, params=params)

    def follow_state(self, tmdb_id: int) -> FollowState | None:
        """None when this gateway cannot follow shows (it has no such route)."""
        return self._optional("GET", f"/api/tv/{int(tmdb_id)}/follow", FollowState)

    def follow(
        self, tmdb_id: int, mode: FollowMode, seasons: list[int] | None = None, profile: str | None = None
    ) -> FollowState | None:
        """`profile`: the quality profile its episodes download by; None: the default one."""
        body: dict[str, Any] = {"mode": mode, "seasons": list(seasons or [])}
        if profile is not None:
            body["profile"] = profile
        return self._optional("PUT", f"/api/tv/{int(tmdb_id)}/follow", FollowState, json=body)

    def unfollow(self, tmdb_id: int) -> None:
        self._send("DELETE", f"/api/tv/{int(tmdb_id)}/follow")

    def followed(self) -> FollowList | None:
        """Every followed show; None when this gateway cannot follow shows."""
        return self._optional("GET", "/api/tv/followed", FollowList)

    def calendar(self, days_back: int = 7, days_ahead: int = 14) -> Calendar | None:
        """None when this gateway has no calendar."""
        params = {"days_back": days_back, "days_ahead": days_ahead}
        return self._optional("GET", "/api/calendar", Calendar, params=params)

    # Interactive search and quality profiles

    def releases(
        self,
        tmdb_id: int,
        profile: str | None = None,
        *,
        season: int | None = None,
        episode: int | None = None,
    ) -> ReleaseList:
        """A movie's releases, or with `season` (and `episode`) a show's season's (or episode's)."""
        params: dict[str, Any] = {"tmdb_id": int(tmdb_id), "type": "movie" if season is None else "tv"}
        if season is not None:
            params["season"] = int(season)
            if episode is not None:
                params["episode"] = int(episode)
        if profile:
            params["profile"] = profile
        return self._call("GET", "/api/search/releases", ReleaseList, params=params)

    def profiles(self) -> ProfileList:
        return self._call("GET", "/api/profiles", ProfileList)

    def add_profile(self, profile: QualityProfile, make_default: bool = False) -> QualityProfile:
        body = profile.model_dump(mode="json")
        params = {"make_default": make_default}
        return self._call("POST", "/api/profiles", QualityProfile, json=body, params=params)

    def save_profile(self, name: str, profile: QualityProfile, make_default: bool = False) -> QualityProfile:
        path, body = f"/api/profiles/{quote(name, safe='')}", profile.model_dump(mode="json")
        return self._call("PUT", path, QualityProfile, json=body, params={"make_default": make_default})

    def delete_profile(self, name: str) -> None:
        self._send("DELETE", f"/api/profiles/{quote(name, safe='')}")

    # Downloads

    def active_downloads(self) -> JobList:
        """The queue with the newest tick's numbers already in: the gateway merges them."""
        return self._call("GET", "/api/downloads/active", JobList)

    def download_history(self) -> JobList:
        return self._call("GET", "/api/downloads/history", JobList)

    def cancel(self, job_id: UUID) -> Job:
        return self._call("DELETE", f"/api/downloads/{job_id}", Job)

    def pause(self, job_id: UUID) -> Job:
        return self._call("POST", f"/api/downloads/{job_id}/pause", Job)

    def resume(self, job_id: UUID) -> Job:
        return self._call("POST", f"/api/downloads/{job_id}/resume", Job)

    # Library

    def library(self) -> LibraryList:
        return self._call("GET", "/api/library/movies", LibraryList)

    def library_shows(self) -> list[LibraryShow]:
        return self._call("GET", "/api/library/tv-shows", LibraryShows).root

    def remove_from_library(self, item_id: UUID, delete_files: bool = False) -> None:
        """Forget a library item; with `delete_files`, its files go from the disk too."""
        params = {"delete_files": str(delete_files).lower()}
        self._send("DELETE", f"/api/library/items/{item_id}", params=params)

    def remove_show_from_library(self, tmdb_id: int, delete_files: bool = False) -> None:
        """Forget every episode file of a show; with `delete_files`, the files go from the disk too."""
        params = {"delete_files": str(delete_files).lower()}
        self._send("DELETE", f"/api/library/tv-shows/{int(tmdb_id)}", params=params)

    def sync_library(self) -> SyncResult:
        return self._call("POST", "/api/library/sync", SyncResult)

    # Settings and health

    def health(self) -> GatewayHealth:
        # A degraded NiluFlix may answer 503 with the same body: that body is what the user needs to see.
        return self._call("GET", "/api/health", GatewayHealth, accept_status=(503,))

    def settings(self) -> SharedSettings:
        return self._call("GET", "/api/settings", SharedSettings)

    def save_settings(self, changes: Mapping[str, Any]) -> SharedSettings:
        """PUT a partial settings object; a secret sent as `MASK` keeps its saved value."""
        response = self._send("PUT", "/api/settings", json=dict(changes))
        try:
            return SharedSettings.model_validate_json(response.content)
        except ValidationError:
            # The gateway may answer a PUT with a bare acknowledgement: read the settings back.
            return self.settings()

    def api_key(self) -> SecretStr:
        return self._call("GET", "/api/settings/api-key", ApiKey).api_key

    # Signing browsers in from other machines (this machine and the UI only)

    def auth_status(self) -> AuthStatus:
        return self._call("GET", "/api/auth/status", AuthStatus)

    def set_owner_password(self, password: str, client: str | None) -> UserSession:
        body = {"password": password, "client": client}
        return self._call("POST", "/api/auth/password", UserSession, json=body)

    def start_session(self, password: str, client: str | None) -> UserSession:
        body = {"password": password, "client": client}
        return self._call("POST", "/api/auth/sessions", UserSession, json=body)

    def session(self, token: str) -> UserSession:
        return self._call("GET", "/api/auth/session", UserSession, headers={SESSION_HEADER: token})

    def end_session(self, token: str) -> None:
        self._send("DELETE", "/api/auth/session", headers={SESSION_HEADER: token})

    # Remote access through the user's Supabase project

    def remote_status(self) -> RemoteStatus:
        return self._call("GET", "/api/remote/status", RemoteStatus)

    def enable_remote(
        self,
        supabase_url: str,
        anon_key: str,
        email: str,
        password: str,
        display_name: str | None = None,
        remote_ui_url: str | None = None,
    ) -> RemoteStatus:
        """The home signs in to the project once; the gateway keeps only the refresh token, not the password."""
        body: dict[str, Any] = {
            "supabase_url": supabase_url,
            "anon_key": anon_key,
            "email": email,
            "password": password,
        }
        if display_name:
            body["display_name"] = display_name
        if remote_ui_url:
            body["remote_ui_url"] = remote_ui_url
        # Signing in reaches Supabase over the internet: allow for a slow answer.
        return self._call("POST", "/api/remote/enable", RemoteStatus, json=body, timeout=TEST_TIMEOUT)

    def disable_remote(self) -> RemoteStatus:
        return self._call("POST", "/api/remote/disable", RemoteStatus)

    def remote_link(self) -> RemoteLink:
        """409 (GatewayRejected) with the reason while remote access is off or has no remote web UI URL."""
        return self._call("GET", "/api/remote/link", RemoteLink)

    # Indexers

    def test_indexer(self, name: str) -> IndexerTestResult:
        """ "Test connection" for a saved indexer: the search service reads its caps and runs a small search."""
        path = f"/api/indexers/{quote(name, safe='')}/test"
        return self._call("POST", path, IndexerTestResult, timeout=TEST_TIMEOUT)

    def test_provider(self, key: str, base_url: str | None = None) -> IndexerTestResult:
        """ "Test connection" for a built-in provider at `base_url` (None: the saved one); saves nothing."""
        path = f"/api/providers/{quote(key, safe='')}/test"
        return self._call("POST", path, IndexerTestResult, json={"base_url": base_url}, timeout=TEST_TIMEOUT)

    # Plumbing

    def _optional(self, method: str, path: str, model: type[M], **kwargs: Any) -> M | None:
        """A route a gateway may not have yet: its 404 (no such route) is None, not an error."""
        try:
            return self._call(method, path, model, **kwargs)
        except GatewayRejected as exc:
            if exc.status == 404:
                return None
            raise

    def _call(
        self, method: str, path: str, model: type[M], accept_status: tuple[int, ...] = (), **kwargs: Any
    ) -> M:
        response = self._send(method, path, accept_status=accept_status, **kwargs)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise GatewayProtocolError(
                f"NiluFlix gateway sent an unexpected answer for {method} {path}: {exc.error_count()} "
                "field(s) did not match. Are the UI and the gateway the same version?"
            ) from exc

    def _send(
        self, method: str, path: str, accept_status: tuple[int, ...] = (), **kwargs: Any
    ) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise GatewayUnreachable(self.base_url) from exc
        except httpx.TimeoutException as exc:
            raise GatewayTimeout(self.base_url, kwargs.get("timeout", self._timeout)) from exc
        except httpx.TransportError as exc:
            raise GatewayUnreachable(self.base_url) from exc
        if response.is_error and response.status_code not in accept_status:
            try:
                body = response.json()
            except ValueError:
                body = None
            fallback = f"NiluFlix gateway answered {response.status_code} {response.reason_phrase}"
            code = body.get("code") if isinstance(body, dict) else None
            raise GatewayRejected(response.status_code, error_detail(body, fallback), code)
        return response
