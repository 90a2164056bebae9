"""A loopback HTTP server speaking TMDB v3 for the endpoints NiluFlix uses.

    with TmdbServer([TmdbMovie(id=45745, title="Sintel", release_date="2010-09-27")]) as tmdb:
        ...  # point the catalog at tmdb.base_url with tmdb.api_key (v3) or tmdb.read_token (v4)
        tmdb.add_show(TmdbShow(id=1399, name="Show", seasons=[TmdbSeason(1, [TmdbEpisode(1, air_date=today)])]))

Shows answer /tv/popular, /trending/tv/{day,week}, /search/tv, /tv/{id} (with `external_ids` and
`alternative_titles` appended), /tv/{id}/season/{n}, /tv/{id}/episode_groups and /tv/episode_group/{id},
in TMDB's shapes; a show's next and last episode follow the episodes' air dates against today (UTC), so
a test says "episode 3 airs today" by giving it today's date.

It answers like TMDB does: paging fields, `results` items, details with `append_to_response`, the
401 JSON for a wrong key, 404 with status_code 34 for an unknown id, 429 with `Retry-After` when told
to. It counts requests per path so a test can check that a cache spared a call.
"""

import contextlib
import json
import socket
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from niluflix.background_http import BackgroundHttpServer

PAGE_SIZE = 20
PREFIX = "/3"

INVALID_KEY = {
    "status_code": 7,
    "status_message": "Invalid API key: You must be granted a valid key.",
    "success": False,
}
NOT_FOUND = {
    "status_code": 34,
    "status_message": "The resource you requested could not be found.",
    "success": False,
}
INVALID_PAGE = {
    "status_code": 22,
    "status_message": "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.",
    "success": False,
}
RATE_LIMITED = {
    "status_code": 25,
    "status_message": "Your request count (#) is over the allowed limit of (40).",
    "success": False,
}


@dataclass
class TmdbMovie:
    id: int
    title: str
    release_date: str = ""  # TMDB sends "" when unknown
    overview: str = ""
    original_title: str | None = None
    original_language: str = "en"
    poster_path: str | None = None
    backdrop_path: str | None = None
    vote_average: float = 0.0
    vote_count: int = 0
    popularity: float = 0.0
    trending: float | None = None  # order in /trending; defaults to popularity
    runtime: int | None = None
    imdb_id: str | None = None
    genres: list[str] = field(default_factory=list)
    alternative_titles: list[str] = field(default_factory=list)
    adult: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "adult": self.adult,
            "backdrop_path": self.backdrop_path,
            "genre_ids": [_genre_id(g) for g in self.genres],
            "id": self.id,
            "original_language": self.original_language,
            "original_title": self.original_title or self.title,
            "overview": self.overview,
            "popularity": self.popularity,
            "poster_path": self.poster_path,
            "release_date": self.release_date,
            "title": self.title,
            "video": False,
            "vote_average": self.vote_average,
            "vote_count": self.vote_count,
        }

    def details(self, appended: set[str]) -> dict[str, Any]:
        body = self.summary()
        del body["genre_ids"]
        body |= {
            "belongs_to_collection": None,
            "budget": 0,
            "genres": [{"id": _genre_id(g), "name": g} for g in self.genres],
            "homepage": "",
            "imdb_id": self.imdb_id,
            "origin_country": [],
            "production_companies": [],
            "production_countries": [],
            "revenue": 0,
            "runtime": self.runtime or 0,
            "spoken_languages": [],
            "status": "Released",
            "tagline": "",
        }
        if "alternative_titles" in appended:
            body["alternative_titles"] = {
                "titles": [{"iso_3166_1": "US", "title": t, "type": ""} for t in self.alternative_titles]
            }
        if "external_ids" in appended:
            body["external_ids"] = {
                "imdb_id": self.imdb_id,
                "wikidata_id": None,
                "facebook_id": None,
                "instagram_id": None,
                "twitter_id": None,
            }
        return body


def _iso(value: str | date | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


@dataclass
class TmdbEpisode:
    number: int
    name: str = ""
    air_date: str | date | None = None  # None: not announced yet (TMDB sends null)
    overview: str = ""
    runtime: int | None = None
    still_path: str | None = None
    id: int | None = None  # None: made from the show, season and number


@dataclass
class TmdbSeason:
    number: int
    episodes: list[TmdbEpisode] = field(default_factory=list)
    name: str = ""
    air_date: str | date | None = None  # None: the first episode's
    overview: str = ""
    poster_path: str | None = None
    id: int | None = None


@dataclass
class TmdbShow:
    id: int
    name: str
    first_air_date: str = ""
    seasons: list[TmdbSeason] = field(default_factory=list)
    status: str = "Returning Series"
    networks: list[str] = field(default_factory=list)
    overview: str = ""
    original_name: str | None = None
    original_language: str = "en"
    poster_path: str | None = None
    backdrop_path: str | None = None
    vote_average: float = 0.0
    vote_count: int = 0
    popularity: float = 0.0
    trending: float | None = None  # order in /trending/tv/week; defaults to popularity
    trending_day: float | None = None  # order in /trending/tv/day; defaults to trending
    episode_run_time: list[int] = field(default_factory=list)
    imdb_id: str | None = None
    tvdb_id: int | None = None
    genres: list[str] = field(default_factory=list)
    alternative_titles: list[str] = field(default_factory=list)
    absolute_order: list[tuple[int, int]] | None = None
    """(season, episode) in absolute order: the show then has an "Absolute" episode group (type 2)."""

    def __post_init__(self) -> None:
        self.number_episodes()

    def number_episodes(self) -> None:
        """Give ids to seasons and episodes added without one (called again for each answer)."""
        for season in self.seasons:
            if season.id is None:
                season.id = self.id * 1000 + season.number
            for episode in season.episodes:
                if episode.id is None:
                    episode.id = self.id * 100_000 + season.number * 1000 + episode.number

    @property
    def absolute_group_id(self) -> str:
        return f"{self.id:x}abs0123456789abcdef"  # TMDB's group ids are 24 hex-like characters

    def summary(self) -> dict[str, Any]:
        return {
            "adult": False,
            "backdrop_path": self.backdrop_path,
            "genre_ids": [_genre_id(g) for g in self.genres],
            "id": self.id,
            "origin_country": ["US"],
            "original_language": self.original_language,
            "original_name": self.original_name or self.name,
            "overview": self.overview,
            "popularity": self.popularity,
            "poster_path": self.poster_path,
            "first_air_date": self.first_air_date,
            "name": self.name,
            "vote_average": self.vote_average,
            "vote_count": self.vote_count,
        }

    def episode_json(self, season: TmdbSeason, episode: TmdbEpisode) -> dict[str, Any]:
        self.number_episodes()
        return {
            "air_date": _iso(episode.air_date),
            "episode_number": episode.number,
            "episode_type": "standard",
            "id": episode.id,
            "name": episode.name or f"Episode {episode.number}",
            "overview": episode.overview,
            "production_code": "",
            "runtime": episode.runtime,
            "season_number": season.number,
            "show_id": self.id,
            "still_path": episode.still_path,
            "vote_average": 0.0,
            "vote_count": 0,
        }

    def _aired_split(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        today = datetime.now(UTC).date()
        last = following = None
        dated = [
            (date.fromisoformat(_iso(e.air_date) or ""), s, e)
            for s in self.seasons
            if s.number > 0
            for e in s.episodes
            if e.air_date
        ]
        for day, season, episode in sorted(dated, key=lambda x: (x[0], x[1].number, x[2].number)):
            if day < today:
                last = (season, episode)
            elif following is None:
                following = (season, episode)
        return (
            self.episode_json(*last) if last else None,
            self.episode_json(*following) if following else None,
        )

    def season_air_date(self, season: TmdbSeason) -> str | None:
        if season.air_date is not None:
            return _iso(season.air_date)
        dates = [_iso(e.air_date) for e in season.episodes if e.air_date]
        return min(dates) if dates else None  # type: ignore[type-var]

    def details(self, appended: set[str]) -> dict[str, Any]:
        body = self.summary()
        del body["genre_ids"]
        last, following = self._aired_split()
        aired = [s for s in self.seasons if s.number > 0]
        body |= {
            "created_by": [],
            "episode_run_time": self.episode_run_time,
            "genres": [{"id": _genre_id(g), "name": g} for g in self.genres],
            "homepage": "",
            "in_production": self.status in ("Returning Series", "In Production"),
            "languages": [self.original_language],
            "last_air_date": last["air_date"] if last else None,
            "last_episode_to_air": last,
            "next_episode_to_air": following,
            "networks": [
                {"id": 1000 + i, "logo_path": None, "name": n, "origin_country": "US"}
                for i, n in enumerate(self.networks)
            ],
            "number_of_episodes": sum(len(s.episodes) for s in aired),
            "number_of_seasons": len(aired),
            "production_companies": [],
            "production_countries": [],
            "seasons": [
                {
                    "air_date": self.season_air_date(s),
                    "episode_count": len(s.episodes),
                    "id": s.id,
                    "name": s.name or ("Specials" if s.number == 0 else f"Season {s.number}"),
                    "overview": s.overview,
                    "poster_path": s.poster_path,
                    "season_number": s.number,
                    "vote_average": 0.0,
                }
                for s in self.seasons
            ],
            "spoken_languages": [],
            "status": self.status,
            "tagline": "",
            "type": "Scripted",
        }
        if "alternative_titles" in appended:
            body["alternative_titles"] = {
                "id": self.id,
                "results": [{"iso_3166_1": "US", "title": t, "type": ""} for t in self.alternative_titles],
            }
        if "external_ids" in appended:
            body["external_ids"] = {
                "id": self.id,
                "imdb_id": self.imdb_id,
                "freebase_mid": None,
                "freebase_id": None,
                "tvdb_id": self.tvdb_id,
                "tvrage_id": None,
                "wikidata_id": None,
                "facebook_id": None,
                "instagram_id": None,
                "twitter_id": None,
            }
        return body

    def season_details(self, number: int) -> dict[str, Any] | None:
        self.number_episodes()
        season = next((s for s in self.seasons if s.number == number), None)
        if season is None:
            return None
        return {
            "_id": f"{season.id:024x}",
            "air_date": self.season_air_date(season),
            "episodes": [
                self.episode_json(season, e) | {"crew": [], "guest_stars": []}
                for e in sorted(season.episodes, key=lambda e: e.number)
            ],
            "name": season.name or ("Specials" if season.number == 0 else f"Season {season.number}"),
            "overview": season.overview,
            "id": season.id,
            "poster_path": season.poster_path,
            "season_number": season.number,
            "vote_average": 0.0,
        }

    def episode_groups(self) -> dict[str, Any]:
        results = []
        if self.absolute_order is not None:
            results.append(
                {
                    "description": "",
                    "episode_count": len(self.absolute_order),
                    "group_count": 1,
                    "id": self.absolute_group_id,
                    "name": "Absolute Order",
                    "network": None,
                    "type": 2,
                }
            )
        return {"id": self.id, "results": results}

    def absolute_group(self) -> dict[str, Any]:
        episodes = {(s.number, e.number): (s, e) for s in self.seasons for e in s.episodes}
        ordered = [episodes[key] for key in self.absolute_order or [] if key in episodes]
        return {
            "description": "",
            "episode_count": len(ordered),
            "group_count": 1,
            "groups": [
                {
                    "id": self.absolute_group_id[:-1] + "1",
                    "name": "Episodes",
                    "order": 1,
                    "episodes": [self.episode_json(s, e) | {"order": i} for i, (s, e) in enumerate(ordered)],
                    "locked": True,
                }
            ],
            "id": self.absolute_group_id,
            "name": "Absolute Order",
            "network": None,
            "type": 2,
        }


GENRE_IDS = {
    "Action": 28,
    "Adventure": 12,
    "Animation": 16,
    "Comedy": 35,
    "Drama": 18,
    "Fantasy": 14,
    "Science Fiction": 878,
    "Family": 10751,
    "Thriller": 53,
}


def _genre_id(name: str) -> int:
    return GENRE_IDS.get(name, 99_000 + sum(map(ord, name)))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass
class RecordedRequest:
    path: str  # without the /3 prefix, e.g. /movie/popular
    params: dict[str, str] = field(default_factory=dict)  # without api_key
    auth: str | None = None  # "api_key", "bearer" or None


@dataclass
class _Canned:
    status: int
    body: bytes
    headers: dict[str, str]


class TmdbServer:
    """TMDB v3 on 127.0.0.1; `api_key` is the v3 key it accepts, `read_token` the v4 bearer token."""

    def __init__(
        self,
        movies: list[TmdbMovie | dict[str, Any]] | None = None,
        *,
        shows: list[TmdbShow] | None = None,
        api_key: str = "0123456789abcdef0123456789abcdef",
        read_token: str = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJuaWx1ZmxpeC10ZXN0In0.bG9vcGJhY2s",
        port: int = 0,
    ) -> None:
        self.api_key = api_key
        self.read_token = read_token
        self._movies: dict[int, TmdbMovie] = {}
        self._shows: dict[int, TmdbShow] = {}
        self._lock = threading.Lock()
        self._canned: list[_Canned] = []
        self.requests: list[RecordedRequest] = []
        self._counts: Counter[str] = Counter()
        for movie in movies or []:
            self.add_movie(movie)
        for show in shows or []:
            self.add_show(show)
        self._port = port
        self._server: BackgroundHttpServer | None = None
        self._connections: set[socket.socket] = set()

    # -- set up ---------------------------------------------------------------------------------

    def add_movie(self, movie: TmdbMovie | dict[str, Any]) -> TmdbMovie:
        if isinstance(movie, dict):
            movie = TmdbMovie(**movie)
        with self._lock:
            self._movies[movie.id] = movie
        return movie

    def add_show(self, show: TmdbShow) -> TmdbShow:
        """Add a show, or replace the one with its id (TMDB's data changed)."""
        with self._lock:
            self._shows[show.id] = show
        return show

    def rate_limit_next(self, count: int = 1, *, retry_after: str | None = "1") -> None:
        """Answer the next `count` requests with 429 and this `Retry-After` (seconds or an HTTP date)."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        for _ in range(count):
            self.respond_next(429, RATE_LIMITED, headers=headers)

    def respond_next(
        self, status: int, body: bytes | str | dict, *, headers: dict[str, str] | None = None
    ) -> None:
        """Answer the next request (after the key check) with this, whatever it asks."""
        if isinstance(body, dict):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        with self._lock:
            self._canned.append(_Canned(status, body, headers or {}))

    def count(self, path: str) -> int:
        """Requests seen for `path` (without the /3 prefix, e.g. "/movie/popular"), answered or not."""
        with self._lock:
            return self._counts[path]

    # -- life -----------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None, "start() first"
        return self._server.port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    def start(self) -> "TmdbServer":
        handler = type("Handler", (_Handler,), {"tmdb": self})
        self._server = BackgroundHttpServer(handler, port=self._port, name="tmdb-server")
        # Keep the port across stop()/start(), so a test can take TMDB down and bring it back.
        self._port = self._server.port
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
            # A client keeps its connection alive: close those too, or a stopped TMDB would go on answering.
            with self._lock:
                open_connections, self._connections = self._connections, set()
            for sock in open_connections:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- answers --------------------------------------------------------------------------------

    def _record(self, path: str, params: dict[str, str], auth: str | None) -> None:
        with self._lock:
            self._counts[path] += 1
            self.requests.append(
                RecordedRequest(path, {k: v for k, v in params.items() if k != "api_key"}, auth)
            )

    def _authorised(self, params: dict[str, str], authorization: str | None) -> tuple[bool, str | None]:
        if authorization and authorization.startswith("Bearer "):
            return authorization.removeprefix("Bearer ") == self.read_token, "bearer"
        if "api_key" in params:
            return params["api_key"] == self.api_key, "api_key"
        return False, None

    def answer(self, path: str, params: dict[str, str], authorization: str | None) -> tuple[int, bytes, dict]:
        ok, auth = self._authorised(params, authorization)
        self._record(path, params, auth)
        if not ok:
            return 401, json.dumps(INVALID_KEY).encode(), {}
        with self._lock:
            canned = self._canned.pop(0) if self._canned else None
            movies = list(self._movies.values())
            shows = list(self._shows.values())
        if canned is not None:
            return canned.status, canned.body, canned.headers
        status, body = self._route(path, params, movies)
        if status == 404 and body is NOT_FOUND:
            status, body = self._route_tv(path, params, shows)
        return status, json.dumps(body).encode(), {}

    def _route(self, path: str, params: dict[str, str], movies: list[TmdbMovie]) -> tuple[int, dict]:
        try:
            page = int(params.get("page", "1"))
        except ValueError:
            return 400, INVALID_PAGE
        if not 1 <= page <= 500:
            return 400, INVALID_PAGE
        if path == "/movie/popular":
            return 200, _page(sorted(movies, key=lambda m: -m.popularity), page)
        if path == "/trending/movie/day":
            ranked = sorted(movies, key=lambda m: -(m.trending if m.trending is not None else m.popularity))
            return 200, _page(ranked, page, media_type="movie")
        if path == "/trending/movie/week":
            ranked = sorted(movies, key=lambda m: -(m.trending if m.trending is not None else m.popularity))
            return 200, _page(ranked, page, media_type="movie")
        if path == "/search/movie":
            query = _fold(params.get("query", "").strip())
            adult = params.get("include_adult", "false") == "true"
            found = [
                m
                for m in movies
                if query
                and (adult or not m.adult)
                and any(query in _fold(t) for t in (m.title, m.original_title or "", *m.alternative_titles))
            ]
            return 200, _page(sorted(found, key=lambda m: -m.popularity), page)
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "movie" and parts[1].isdigit():
            movie = next((m for m in movies if m.id == int(parts[1])), None)
            if movie is None:
                return 404, NOT_FOUND
            appended = {a.strip() for a in params.get("append_to_response", "").split(",") if a.strip()}
            return 200, movie.details(appended)
        return 404, NOT_FOUND

    def _route_tv(self, path: str, params: dict[str, str], shows: list[TmdbShow]) -> tuple[int, dict]:
        page = int(params.get("page", "1"))
        if path == "/tv/popular":
            return 200, _page(sorted(shows, key=lambda s: -s.popularity), page)
        if path in ("/trending/tv/week", "/trending/tv/day"):

            def rank(show: TmdbShow) -> float:
                week = show.trending if show.trending is not None else show.popularity
                if path.endswith("/day") and show.trending_day is not None:
                    return show.trending_day
                return week

            return 200, _page(sorted(shows, key=lambda s: -rank(s)), page, media_type="tv")
        if path == "/search/tv":
            query = _fold(params.get("query", "").strip())
            found = [
                s
                for s in shows
                if query
                and any(query in _fold(t) for t in (s.name, s.original_name or "", *s.alternative_titles))
            ]
            return 200, _page(sorted(found, key=lambda s: -s.popularity), page)
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[:2] == ["tv", "episode_group"]:
            show = next((s for s in shows if s.absolute_order and s.absolute_group_id == parts[2]), None)
            return (200, show.absolute_group()) if show else (404, NOT_FOUND)
        if len(parts) < 2 or parts[0] != "tv" or not parts[1].isdigit():
            return 404, NOT_FOUND
        show = next((s for s in shows if s.id == int(parts[1])), None)
        if show is None:
            return 404, NOT_FOUND
        if len(parts) == 2:
            appended = {a.strip() for a in params.get("append_to_response", "").split(",") if a.strip()}
            return 200, show.details(appended)
        if parts[2:] == ["episode_groups"]:
            return 200, show.episode_groups()
        if len(parts) == 4 and parts[2] == "season" and parts[3].isdigit():
            season = show.season_details(int(parts[3]))
            return (200, season) if season else (404, NOT_FOUND)
        return 404, NOT_FOUND


def _page(
    movies: list[TmdbMovie] | list[TmdbShow], page: int, *, media_type: str | None = None
) -> dict[str, Any]:
    start = (page - 1) * PAGE_SIZE
    results = []
    for movie in movies[start : start + PAGE_SIZE]:
        item = movie.summary()
        if media_type:
            item["media_type"] = media_type
        results.append(item)
    total = len(movies)
    return {
        "page": page,
        "results": results,
        "total_pages": max(1, -(-total // PAGE_SIZE)),
        "total_results": total,
    }


class _Handler(BaseHTTPRequestHandler):
    tmdb: TmdbServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        with self.tmdb._lock:
            self.tmdb._connections.add(self.connection)

    def finish(self) -> None:
        with self.tmdb._lock:
            self.tmdb._connections.discard(self.connection)
        super().finish()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if url.path.startswith(PREFIX + "/"):
            status, body, headers = self.tmdb.answer(
                url.path.removeprefix(PREFIX), params, self.headers.get("Authorization")
            )
        else:
            status, body, headers = 404, json.dumps(NOT_FOUND).encode(), {}
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # request lines carry the api_key; the counters say what a test needs


__all__ = ["RecordedRequest", "TmdbEpisode", "TmdbMovie", "TmdbSeason", "TmdbServer", "TmdbShow"]
