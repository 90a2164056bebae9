"""`RemoteStore` through supabase-py, with the client the user signed in with: row-level security in the
project decides what it sees, so every query is "own rows" without saying so."""

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from postgrest.exceptions import APIError
from supabase import Client
from supabase_auth.errors import AuthError

from ui.remote.errors import ProjectRejected, ProjectUnreachable
from ui.remote.store import Action, Command, Home, LibraryRow, MediaKind

log = logging.getLogger(__name__)
T = TypeVar("T")

LIBRARY_LIMIT = 2000
_EXPIRED = {"PGRST301", "PGRST303"}  # the access token is invalid or expired: refresh once, then retry


class SupabaseStore:
    def __init__(self, client: Client, project_url: str) -> None:
        self._client = client
        self._url = project_url

    def homes(self) -> list[Home]:
        rows = self._run(
            lambda: (
                self._client.table("remote_sessions")
                .select("desktop_app_id,display_name,app_version,last_sync")
                .order("created_at")
                .execute()
            )
        )
        return [Home.model_validate(row) for row in rows]

    def library(self, home: str) -> list[LibraryRow]:
        rows = self._run(
            lambda: (
                self._client.table("shared_library")
                .select("media_type,tmdb_id,title,year,poster_path,download_status,progress,detail,synced_at")
                .eq("desktop_app_id", home)
                .order("title")
                .limit(LIBRARY_LIMIT)
                .execute()
            )
        )
        return [LibraryRow.model_validate(row) for row in rows]

    def commands(self, home: str, limit: int = 20) -> list[Command]:
        rows = self._run(
            lambda: (
                self._client.table("remote_downloads")
                .select("*")
                .eq("desktop_app_id", home)
                .order("created_at", desc=True)
                .limit(limit)
                .execute()
            )
        )
        return [Command.model_validate(row) for row in rows]

    def queue(
        self,
        home: str,
        action: Action,
        *,
        media_type: MediaKind | None = None,
        tmdb_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Command:
        # user_id is left to the column's default, auth.uid(): the project says who we are, not the page.
        row = {
            "desktop_app_id": home,
            "action": action,
            "media_type": media_type,
            "tmdb_id": tmdb_id,
            "payload": payload or {},
            "status": "pending",
        }
        [created] = self._run(lambda: self._client.table("remote_downloads").insert(row).execute())
        log.info("queued %s for home %s: %s %s", action, home, media_type, tmdb_id)
        return Command.model_validate(created)

    def _run(self, call: Callable[[], Any]) -> list[dict[str, Any]]:
        for attempt in (1, 2):
            try:
                return list(call().data or [])
            except APIError as exc:
                if exc.code in _EXPIRED and attempt == 1 and self._refresh():
                    continue
                log.warning("Supabase refused a request: %s %s", exc.code, exc.message)
                raise ProjectRejected(f"Your Supabase project refused this: {exc.message}", exc.code) from exc
            except httpx.TransportError as exc:
                log.warning("Supabase at %s is unreachable: %s", self._url, exc)
                raise ProjectUnreachable(self._url) from exc
        raise AssertionError("unreachable")

    def _refresh(self) -> bool:
        """The auto-refresh stops for good after a long outage: ask for a new access token once."""
        try:
            self._client.auth.refresh_session()
        except (AuthError, httpx.TransportError) as exc:
            log.warning("could not refresh the Supabase session: %s", exc)
            return False
        return True
