"""Searching TMDB v3 for movies and shows to download from the phone.

The home's catalog cannot be reached while the home is off (it is behind the home's own network), so the remote
web UI asks TMDB itself, with its own v3 API key: a key TMDB issues for client apps. Answers are validated
here, at the edge; the pages see `Found` only.
"""

import logging
from datetime import date
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ValidationError

from ui.remote.errors import TmdbError

log = logging.getLogger(__name__)


class Found(BaseModel):
    media_type: Literal["movie", "tv"]
    tmdb_id: int
    title: str
    year: int | None = None
    poster_path: str | None = None
    overview: str = ""
    popularity: float = 0.0


def _year(value: Any) -> int | None:
    try:
        return date.fromisoformat(value).year if value else None
    except (TypeError, ValueError):
        return None


class TmdbSearch:
    def __init__(self, base_url: str, api_key: str, timeout: float = 10.0) -> None:
        self._base = base_url.rstrip("/")
        self._key = api_key
        self._timeout = timeout

    def search(self, query: str) -> list[Found]:
        """Movies and shows matching `query`, the most popular first."""
        found = []
        for kind in ("movie", "tv"):
            body = self._get(f"/search/{kind}", {"query": query, "include_adult": "false"})
            for item in body.get("results") or []:
                try:
                    found.append(
                        Found(
                            media_type=kind,
                            tmdb_id=item["id"],
                            title=item.get("title") or item.get("name") or "",
                            year=_year(item.get("release_date") or item.get("first_air_date")),
                            poster_path=item.get("poster_path"),
                            overview=item.get("overview") or "",
                            popularity=item.get("popularity") or 0.0,
                        )
                    )
                except (KeyError, TypeError, ValidationError):
                    log.warning("TMDB sent a %s result that is not one: %r", kind, item)
        return sorted((f for f in found if f.title), key=lambda f: -f.popularity)

    def seasons(self, show_id: int) -> list[int]:
        """The show's season numbers, without the specials (season 0)."""
        body = self._get(f"/tv/{show_id}", {})
        numbers = [s.get("season_number") for s in body.get("seasons") or [] if isinstance(s, dict)]
        return sorted(n for n in numbers if isinstance(n, int) and n > 0)

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        try:
            response = httpx.get(
                self._base + path, params={**params, "api_key": self._key}, timeout=self._timeout
            )
        except httpx.TransportError as exc:
            log.warning("TMDB is unreachable: %s", exc)
            raise TmdbError("TMDB does not answer right now; try the search again in a moment.") from exc
        if response.status_code == 401:
            raise TmdbError(
                "TMDB refused the API key (NILUFLIX_UI_TMDB_API_KEY): check it in TMDB's settings."
            )
        if response.status_code == 429:
            raise TmdbError("TMDB asks to slow down; try again in a few seconds.")
        if response.is_error:
            raise TmdbError(f"TMDB answered {response.status_code}; try again later.")
        try:
            body = response.json()
        except ValueError as exc:
            raise TmdbError("TMDB sent something that is not JSON; try again later.") from exc
        return body if isinstance(body, dict) else {}
