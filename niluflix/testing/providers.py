"""Loopback HTTP servers speaking the JSON APIs of the built-in providers: YTS, EZTV and apibay (The Pirate Bay).

    with YtsServer([YtsMovie("Sintel", 2010, "tt1727587", torrents=[YtsTorrent("1080p", "bluray")])]) as yts:
        ...  # point the YTS provider at yts.base_url

Each answers its real endpoint with its real field names and types (YTS's `size_bytes` a number, EZTV's
`size_bytes` and `season` strings, every apibay field a string; apibay's "No results returned" item;
EZTV leaving `torrents` out when a show has none; apibay's `category:` listing). Each records the queries it
got, and can be told to answer 429 with a `Retry-After`, to fail with a status, to answer another body (an
HTML page, another site's JSON), or to wait before answering.
"""

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any, Self
from urllib.parse import parse_qs, quote, urlsplit

from niluflix.background_http import BackgroundHttpServer

UPLOADED = 1_446_342_303  # 2015-11-01, any fixed moment will do


def fake_hash(*parts: object) -> str:
    """A stable 40-hex info hash from what makes a torrent distinct."""
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()


def _words(text: str) -> set[str]:
    return {w for w in "".join(c if c.isalnum() else " " for c in text.casefold()).split()}


@dataclass
class Trouble:
    """How the server misbehaves: `rate_limit` answers 429 this many times, `status` fails every request."""

    rate_limit: int = 0
    retry_after: str | None = "120"
    status: int | None = None
    delay: float = 0.0
    body: bytes | None = None  # answer this instead of the API's JSON, e.g. an HTML page
    body_type: str = "text/html; charset=utf-8"  # e.g. application/json for another site's JSON


class _Server:
    """One threaded HTTP server on 127.0.0.1; subclasses answer `route(path, params)` with JSON."""

    root = ""

    def __init__(self) -> None:
        self.trouble = Trouble()
        self.queries: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: BackgroundHttpServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() first"
        return f"http://127.0.0.1:{self._server.port}{self.root}"

    def start(self) -> Self:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                try:
                    server._answer(self, url.path, params)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, e.g. on its own timeout

            def log_message(self, *args: object) -> None:
                pass

        self._server = BackgroundHttpServer(Handler, name=type(self).__name__)
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _answer(self, handler: BaseHTTPRequestHandler, path: str, params: dict[str, str]) -> None:
        trouble = self.trouble
        with self._lock:
            self.queries.append((path, params))
            limited = trouble.rate_limit > 0
            if limited:
                trouble.rate_limit -= 1
        if trouble.delay and self._stopping.wait(trouble.delay):
            return
        if limited:
            headers = {"Retry-After": trouble.retry_after} if trouble.retry_after is not None else {}
            self._send(handler, HTTPStatus.TOO_MANY_REQUESTS, b"Too Many Requests\n", "text/plain", headers)
        elif trouble.status is not None:
            self._send(handler, trouble.status, b"<html><body>Bad Gateway</body></html>", "text/html")
        elif trouble.body is not None:
            self._send(handler, HTTPStatus.OK, trouble.body, trouble.body_type)
        else:
            found = self.route(path.removeprefix(self.root), params)
            if found is None:
                self._send(handler, HTTPStatus.NOT_FOUND, b"Not Found\n", "text/plain")
            else:
                self._send(handler, HTTPStatus.OK, json.dumps(found).encode(), "application/json")

    def route(self, path: str, params: dict[str, str]) -> Any | None:
        raise NotImplementedError

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)


# YTS (API v2: /api/v2/list_movies.json)


@dataclass
class YtsTorrent:
    quality: str  # "720p", "1080p", "2160p", "3D"
    type: str = "bluray"  # "bluray" or "web"
    seeds: int = 50
    peers: int = 5
    size_bytes: int = 1_600_000_000
    video_codec: str = "x264"
    audio_channels: str = "2.0"
    is_repack: str = "0"
    hash: str | None = None  # upper-case hex, as YTS sends it; made up from the movie when None


@dataclass
class YtsMovie:
    title: str
    year: int
    imdb_code: str
    torrents: list[YtsTorrent] = field(default_factory=list)
    id: int = 0
    runtime: int = 100
    language: str = "en"


class YtsServer(_Server):
    root = "/api/v2"

    def __init__(self, movies: list[YtsMovie] = ()) -> None:
        super().__init__()
        self.movies = list(movies)

    def route(self, path: str, params: dict[str, str]) -> Any | None:
        if path != "/list_movies.json":
            return None
        term = params.get("query_term", "").strip()
        limit = min(int(params.get("limit") or 20), 50)
        if term.lower().startswith("tt"):
            found = [m for m in self.movies if m.imdb_code == term.lower()]
        else:
            words = _words(term)
            found = [m for m in self.movies if words <= _words(f"{m.title} {m.year}")]
        data: dict[str, Any] = {"movie_count": len(found), "limit": limit, "page_number": 1}
        if found:  # YTS leaves `movies` out when nothing matched
            data["movies"] = [self._movie(i, m) for i, m in enumerate(found[:limit], start=1)]
        return {
            "status": "ok",
            "status_message": "Query was successful",
            "data": data,
            "@meta": {
                "server_time": UPLOADED,
                "server_timezone": "CET",
                "api_version": 2,
                "execution_time": "0 ms",
            },
        }

    def _movie(self, index: int, movie: YtsMovie) -> dict[str, Any]:
        slug = (
            "-".join("".join(c if c.isalnum() else " " for c in movie.title.lower()).split())
            + f"-{movie.year}"
        )
        movie_id = movie.id or index
        return {
            "id": movie_id,
            "url": f"{self.base_url.removesuffix(self.root)}/movies/{slug}",
            "imdb_code": movie.imdb_code,
            "title": movie.title,
            "title_english": movie.title,
            "title_long": f"{movie.title} ({movie.year})",
            "slug": slug,
            "year": movie.year,
            "rating": 7.1,
            "runtime": movie.runtime,
            "genres": ["Animation"],
            "summary": "",
            "description_full": "",
            "synopsis": "",
            "yt_trailer_code": "",
            "language": movie.language,
            "mpa_rating": "",
            "background_image": "",
            "small_cover_image": "",
            "medium_cover_image": "",
            "large_cover_image": "",
            "state": "ok",
            "torrents": [self._torrent(movie, t) for t in movie.torrents],
            "date_uploaded": "2015-11-01 02:45:03",
            "date_uploaded_unix": UPLOADED,
        }

    def _torrent(self, movie: YtsMovie, torrent: YtsTorrent) -> dict[str, Any]:
        info_hash = (torrent.hash or fake_hash("yts", movie.imdb_code, torrent.quality, torrent.type)).upper()
        return {
            "url": f"{self.base_url.removesuffix(self.root)}/torrent/download/{info_hash}",
            "hash": info_hash,
            "quality": torrent.quality,
            "type": torrent.type,
            "is_repack": torrent.is_repack,
            "video_codec": torrent.video_codec,
            "bit_depth": "8",
            "audio_channels": torrent.audio_channels,
            "seeds": torrent.seeds,
            "peers": torrent.peers,
            "size": f"{torrent.size_bytes / 1024**3:.2f} GB",
            "size_bytes": torrent.size_bytes,
            "date_uploaded": "2015-11-01 02:45:03",
            "date_uploaded_unix": UPLOADED,
        }


# EZTV (/api/get-torrents?imdb_id=)


@dataclass
class EztvEpisode:
    title: str  # as EZTV shows it, e.g. "The Flash S07E18 720p HDTV x264-SYNCOPY EZTV"
    imdb_id: str  # the show's, digits without "tt", as EZTV sends it
    season: int
    episode: int
    seeds: int = 20
    peers: int = 3
    size_bytes: int = 700_000_000
    hash: str | None = None
    id: int = 0


class EztvServer(_Server):
    root = "/api"

    def __init__(self, episodes: list[EztvEpisode] = ()) -> None:
        super().__init__()
        self.episodes = list(episodes)

    def route(self, path: str, params: dict[str, str]) -> Any | None:
        if path != "/get-torrents":
            return None
        limit = max(1, min(int(params.get("limit") or 30), 100))
        page = max(1, int(params.get("page") or 1))
        imdb = params.get("imdb_id", "").lower().removeprefix("tt").lstrip("0")
        found = [e for e in self.episodes if not imdb or e.imdb_id.lstrip("0") == imdb]
        answer: dict[str, Any] = {"imdb_id": imdb, "torrents_count": len(found), "limit": limit, "page": page}
        chosen = found[(page - 1) * limit : page * limit]
        if chosen:  # left out when the show has none
            answer["torrents"] = [self._torrent(i, e) for i, e in enumerate(chosen, start=1)]
        return answer

    def _torrent(self, index: int, episode: EztvEpisode) -> dict[str, Any]:
        info_hash = episode.hash or fake_hash("eztv", episode.title)
        name = episode.title.removesuffix(" EZTV")
        filename = name.replace(" ", ".") + "[eztv.re].mkv"
        site = self.base_url.removesuffix(self.root)
        torrent_id = episode.id or 1_000 + index
        return {
            "id": torrent_id,
            "hash": info_hash,
            "filename": filename,
            "episode_url": f"{site}/ep/{torrent_id}/{quote(name.replace(' ', '-').lower())}/",
            "torrent_url": f"{site}/torrents/{quote(filename)}.torrent",
            "magnet_url": f"magnet:?xt=urn:btih:{info_hash}&dn={quote(name)}"
            "&tr=udp%3A%2F%2Ftracker.opentrackr.org%3A1337%2Fannounce",
            "title": episode.title,
            "imdb_id": episode.imdb_id,
            "season": str(episode.season),
            "episode": str(episode.episode),
            "small_screenshot": "",
            "large_screenshot": "",
            "seeds": episode.seeds,
            "peers": episode.peers,
            "date_released_unix": UPLOADED,
            "size_bytes": str(episode.size_bytes),
        }


# The Pirate Bay (apibay: /q.php?q=&cat=)


@dataclass
class TpbTorrent:
    name: str
    category: int = 207  # 201 Movies, 207 HD Movies, 211 UHD Movies, 205 TV, 208 HD TV, 101 Music ...
    seeders: int = 30
    leechers: int = 4
    size: int = 2_000_000_000
    imdb: str = ""  # "tt1727587", or "" as apibay sends it when unknown
    info_hash: str | None = None
    username: str = "uploader"
    status: str = "member"
    id: int = 0


NO_RESULTS = {
    "id": "0",
    "name": "No results returned",
    "info_hash": "0000000000000000000000000000000000000000",
    "leechers": "0",
    "seeders": "0",
    "num_files": "0",
    "size": "0",
    "username": "",
    "added": "0",
    "status": "member",
    "category": "0",
    "imdb": "",
}


class TpbServer(_Server):
    def __init__(self, torrents: list[TpbTorrent] = ()) -> None:
        super().__init__()
        self.torrents = list(torrents)

    def route(self, path: str, params: dict[str, str]) -> Any | None:
        if path != "/q.php":
            return None
        q = params.get("q", "").strip()
        cats = {int(c) for c in params.get("cat", "").split(",") if c.strip().isdigit() and int(c)}
        if q.lower().startswith("category:"):  # a category's newest, as the site's browse pages list them
            browsed = q.partition(":")[2].strip()
            cats, q = {int(browsed) if browsed.isdigit() else -1}, ""
        found = []
        for index, torrent in enumerate(self.torrents, start=1):
            if cats and torrent.category not in cats and torrent.category // 100 * 100 not in cats:
                continue
            if q.lower().startswith("tt") and q[2:].isdigit():
                if torrent.imdb != q.lower():
                    continue
            elif not _words(q) <= _words(torrent.name):
                continue
            found.append(self._item(index, torrent))
        return found or [NO_RESULTS]

    @staticmethod
    def _item(index: int, torrent: TpbTorrent) -> dict[str, str]:
        return {
            "id": str(torrent.id or 60_000_000 + index),
            "name": torrent.name,
            "info_hash": (torrent.info_hash or fake_hash("tpb", torrent.name)).upper(),
            "leechers": str(torrent.leechers),
            "seeders": str(torrent.seeders),
            "num_files": "3",
            "size": str(torrent.size),
            "username": torrent.username,
            "added": str(UPLOADED),
            "status": torrent.status,
            "category": str(torrent.category),
            "imdb": torrent.imdb,
        }
