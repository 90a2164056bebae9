"""A real Torznab indexer on loopback, for the offline demo and the end-to-end tests.

It answers the way Jackett and Prowlarr do, so whatever works against it works against them:

- `GET /api?t=caps&apikey=K`: what the indexer can search (`search` by q, `movie-search` by q and imdbid,
  and when asked for, `tv-search` with the parameters given, e.g. q,season,ep,tvdbid).
- `GET /api?t=search|movie|tvsearch&apikey=K&q=words&imdbid=tt0123456|123456&cat=2000&limit=&offset=`: an RSS
  2.0 feed whose items carry `<torznab:attr>` elements (seeders, peers, infohash, magneturl, imdb, imdbid,
  tmdbid, tvdbid, season, episode). `tvsearch` also takes `tvdbid`, `tmdbid`, `season` and `ep` (a daily show:
  the year as season, `MM/DD` as ep) and, as trackers do, finds by the name's `S01E02` or date (or the item's
  own season and episode tags): an episode search finds no season pack.
- Failures are `<error code=".." description=".."/>` documents: 100 for a wrong API key (HTTP 401),
  200/201/202 for a missing or bad parameter or an unknown function (HTTP 400).
- `GET /download/<n>?apikey=K`: the item's `.torrent` file, the enclosure URL of items that have one.

    with TorznabServer([TorznabItem("Sintel.2010.1080p.BluRay.x264-DEMO", size=..., magnet_uri=...)]) as idx:
        idx.url        # http://127.0.0.1:<port>/api
        idx.add(...)   # items can be added while it runs
"""

import email.utils
import logging
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Self
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from niluflix.background_http import BackgroundHttpServer

log = logging.getLogger(__name__)

TORZNAB_NS = "http://torznab.com/schemas/2015/feed"
ATOM_NS = "http://www.w3.org/2005/Atom"
MOVIES = 2000
TV = 5000
CATEGORIES = {
    MOVIES: ("Movies", {2030: "Movies/SD", 2040: "Movies/HD", 2045: "Movies/UHD", 2060: "Movies/3D"}),
    TV: ("TV", {5030: "TV/SD", 5040: "TV/HD", 5045: "TV/UHD"}),
}
MAX_LIMIT = 100
DEFAULT_API_KEY = "niluflix-demo"
_WORD = re.compile(r"[^\W_]+")


# What the demo's own indexer offers for shows: all a tracker can, so every query plan gets exercised.
DEMO_TV_SEARCH = "q,season,ep,tvdbid,imdbid"


def _imdb_number(value: str | int | None) -> int | None:
    """`tt0133093`, `0133093` and `133093` are the same title; Prowlarr accepts all three."""
    if value is None:
        return None
    text = str(value).strip().lower().removeprefix("tt")
    if not text.isdigit() or int(text) == 0:
        raise ValueError(f"not an IMDb id: {value!r}")
    return int(text)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


@dataclass
class TorznabItem:
    """One release the indexer offers. It needs a magnet URI, a .torrent file, or both."""

    title: str
    size: int
    seeders: int = 0
    peers: int = 0  # seeders + leechers, as Torznab counts them
    magnet_uri: str | None = None
    info_hash: str | None = None
    imdb_id: str | None = None
    tmdb_id: int | None = None
    torrent: bytes | None = None
    pub_date: datetime = field(default_factory=lambda: datetime.now(UTC))
    category: int = MOVIES
    tvdb_id: int | None = None
    season: int | None = None  # tagged by the indexer, beside what the name says
    episode: int | None = None

    def __post_init__(self) -> None:
        if not self.magnet_uri and not self.torrent:
            raise ValueError(f"{self.title!r} needs a magnet URI or .torrent bytes")
        _imdb_number(self.imdb_id)  # fail at construction, not in the middle of a request


class TorznabServer:
    """A Torznab endpoint serving `TorznabItem`s from a thread; `start()`/`stop()` or `with`."""

    def __init__(
        self,
        items: Iterable[TorznabItem] = (),
        *,
        api_key: str | None = DEFAULT_API_KEY,
        title: str = "NiluFlix Demo",
        delay: float = 0.0,
        movie_search: bool = True,
        imdb_search: bool = True,
        tv_search: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        public_host: str | None = None,
    ) -> None:
        self.api_key = api_key
        self.title = title
        self.delay = delay
        """Seconds every API answer waits first: a slow indexer, changeable while running."""
        self.movie_search = movie_search
        self.imdb_search = imdb_search
        self.tv_search = tv_search
        """The `tv-search` parameters offered, e.g. "q,season,ep,tvdbid"; None: no TV search."""
        self.queries: list[dict[str, str]] = []
        """Parameters of each API request received, without the API key, oldest first."""
        self._host = host
        # The name in the links it gives out, when clients reach it by another name than its address.
        self._public_host = public_host or host
        self._port = port
        self._items: list[TorznabItem] = list(items)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: BackgroundHttpServer | None = None

    # lifecycle

    def start(self) -> Self:
        handler = type("Handler", (_Handler,), {"indexer": self})
        self._stopping.clear()
        self._server = BackgroundHttpServer(handler, host=self._host, port=self._port, name="torznab")
        self._port = self._server.port
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.stop(10)
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # content

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self._public_host}:{self._port}"

    @property
    def url(self) -> str:
        """The Torznab API endpoint, as a user would paste it into NiluFlix's indexer settings."""
        return f"{self.base_url}/api"

    def add(self, *items: TorznabItem) -> None:
        with self._lock:
            self._items.extend(items)

    @property
    def items(self) -> list[TorznabItem]:
        with self._lock:
            return list(self._items)

    def download_url(self, index: int) -> str:
        item = self.items[index]
        params = {"file": item.title}
        if self.api_key is not None:
            params["apikey"] = self.api_key
        return f"{self.base_url}/download/{index}?{urlencode(params, quote_via=quote)}"

    # documents

    def caps_xml(self) -> bytes:
        root = ET.Element("caps")
        ET.SubElement(root, "server", title=self.title)
        ET.SubElement(root, "limits", default=str(MAX_LIMIT), max=str(MAX_LIMIT))
        searching = ET.SubElement(root, "searching")
        ET.SubElement(searching, "search", available="yes", supportedParams="q")
        ET.SubElement(
            searching,
            "tv-search",
            available="yes" if self.tv_search else "no",
            supportedParams=self.tv_search or "q,season,ep",
        )
        movie_params = "q,imdbid" if self.imdb_search else "q"
        ET.SubElement(
            searching,
            "movie-search",
            available="yes" if self.movie_search else "no",
            supportedParams=movie_params,
        )
        for kind in ("music-search", "audio-search", "book-search"):
            ET.SubElement(searching, kind, available="no", supportedParams="q")
        categories = ET.SubElement(root, "categories")
        for cat_id, (name, subcats) in CATEGORIES.items():
            category = ET.SubElement(categories, "category", id=str(cat_id), name=name)
            for sub_id, sub_name in subcats.items():
                ET.SubElement(category, "subcat", id=str(sub_id), name=sub_name)
        return _document(root)

    def feed_xml(self, items: list[tuple[int, TorznabItem]], self_url: str) -> bytes:
        rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS, "xmlns:torznab": TORZNAB_NS})
        channel = ET.SubElement(rss, "channel")
        ET.SubElement(channel, "atom:link", href=self_url, rel="self", type="application/rss+xml")
        _text(channel, "title", self.title)
        _text(channel, "description", f"{self.title}: open movies for the NiluFlix demo")
        _text(channel, "link", self.base_url + "/")
        _text(channel, "language", "en-US")
        _text(channel, "category", "search")
        for index, item in items:
            download = self.download_url(index) if item.torrent else item.magnet_uri
            assert download is not None
            node = ET.SubElement(channel, "item")
            _text(node, "title", item.title)
            _text(node, "guid", f"{self.base_url}/details/{index}")
            _text(node, "type", "public")
            _text(node, "comments", f"{self.base_url}/details/{index}")
            _text(node, "pubDate", email.utils.format_datetime(_aware(item.pub_date)))
            _text(node, "size", str(item.size))
            ET.SubElement(node, "description")
            _text(node, "link", download)
            _text(node, "category", str(item.category))
            ET.SubElement(
                node, "enclosure", url=download, length=str(item.size), type="application/x-bittorrent"
            )
            attrs: list[tuple[str, object]] = [("category", item.category)]
            imdb = _imdb_number(item.imdb_id)
            if imdb is not None:
                attrs += [("imdb", f"{imdb:07d}"), ("imdbid", f"tt{imdb:07d}")]
            if item.tmdb_id is not None:
                attrs.append(("tmdbid", item.tmdb_id))
            if item.tvdb_id is not None:
                attrs.append(("tvdbid", item.tvdb_id))
            if item.season is not None:
                attrs.append(("season", item.season))
            if item.episode is not None:
                attrs.append(("episode", item.episode))
            attrs += [("seeders", item.seeders), ("peers", max(item.peers, item.seeders))]
            if item.info_hash:
                attrs.append(("infohash", item.info_hash))
            if item.magnet_uri:
                attrs.append(("magneturl", item.magnet_uri))
            attrs += [("downloadvolumefactor", 1), ("uploadvolumefactor", 1)]
            for name, value in attrs:
                ET.SubElement(node, "torznab:attr", name=name, value=str(value))
        return _document(rss)

    # searching

    def search(self, params: dict[str, str]) -> list[tuple[int, TorznabItem]]:
        """The items a `t=search|movie|tvsearch` request asks for; raises `_TorznabError` for bad parameters."""
        function = params["t"]
        words = _words(params.get("q", ""))
        try:
            imdb = _imdb_number(params.get("imdbid") or None)
        except ValueError:
            raise _TorznabError(201, "Incorrect parameter (imdbid)") from None
        tv_params = {p.strip() for p in (self.tv_search or "").split(",")}
        for name in ("imdbid", "tvdbid", "tmdbid", "season", "ep"):
            allowed = function == "tvsearch" and name in tv_params or function == "movie" and name == "imdbid"
            if params.get(name) and not allowed:
                raise _TorznabError(203, f"Function not available: {name} with t={function}")
        try:
            cats = {int(c) for c in params.get("cat", "").split(",") if c.strip()}
            limit = min(int(params.get("limit") or MAX_LIMIT), MAX_LIMIT)
            offset = int(params.get("offset") or 0)
            tvdb = int(params["tvdbid"]) if params.get("tvdbid") else None
            tmdb = int(params["tmdbid"]) if params.get("tmdbid") else None
            wanted = _Episode.of(params.get("season"), params.get("ep"))
        except ValueError:
            raise _TorznabError(
                201, "Incorrect parameter (cat, limit, offset, an id, season or ep)"
            ) from None
        if function == "movie" and not cats:
            cats = {MOVIES}
        if function == "tvsearch" and not cats:
            cats = {TV}
        found = []
        for index, item in enumerate(self.items):
            if imdb is not None and _imdb_number(item.imdb_id) != imdb:
                continue
            if tvdb is not None and item.tvdb_id != tvdb or tmdb is not None and item.tmdb_id != tmdb:
                continue
            if cats and item.category not in cats and item.category // 1000 * 1000 not in cats:
                continue
            if words and not set(words) <= set(_words(item.title)):
                continue
            if wanted is not None and not wanted.found_in(item):
                continue
            found.append((index, item))
        return found[offset : offset + limit]


_SEASON_EPISODE = re.compile(r"(?<![^\W_])S(\d{1,4})(?:E(\d{1,4}))?", re.IGNORECASE)
_DAY = re.compile(r"(?<!\d)(\d{4})[.\-_ ](\d{2})[.\-_ ](\d{2})(?!\d)")


@dataclass(frozen=True)
class _Episode:
    """A `season`/`ep` pair of a `tvsearch`: a season, an episode of it, or a daily show's year and MM/DD."""

    season: int
    episode: int | None = None
    day: str | None = None  # "2023 10 17"

    @classmethod
    def of(cls, season: str | None, ep: str | None) -> "_Episode | None":
        if not season:
            if ep:
                raise ValueError("ep without season")
            return None
        if ep and "/" in ep:
            month, day = ep.split("/", 1)
            return cls(int(season), day=f"{int(season):04d} {int(month):02d} {int(day):02d}")
        return cls(int(season), int(ep) if ep else None)

    def found_in(self, item: TorznabItem) -> bool:
        if self.day is not None:
            return any(" ".join(m.groups()) == self.day for m in _DAY.finditer(item.title))
        if item.season is not None:
            return item.season == self.season and self.episode in (None, item.episode)
        return any(
            int(m.group(1)) == self.season
            and (self.episode is None or m.group(2) is not None and int(m.group(2)) == self.episode)
            for m in _SEASON_EPISODE.finditer(item.title)
        )


class _TorznabError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description

    @property
    def status(self) -> HTTPStatus:
        return HTTPStatus.UNAUTHORIZED if self.code == 100 else HTTPStatus.BAD_REQUEST

    def xml(self) -> bytes:
        return _document(ET.Element("error", code=str(self.code), description=self.description))


class _Handler(BaseHTTPRequestHandler):
    indexer: TorznabServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        try:
            if url.path.rstrip("/") == "/api":
                self._api(params)
            elif url.path.startswith("/download/"):
                self._download(url.path.removeprefix("/download/"), params)
            else:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")
        except _TorznabError as exc:
            self._send(exc.status, exc.xml(), "application/xml")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, e.g. on its own timeout

    def _authorise(self, params: dict[str, str]) -> None:
        key = self.indexer.api_key
        if key is not None and params.get("apikey") != key:
            raise _TorznabError(100, "Invalid API Key")

    def _api(self, params: dict[str, str]) -> None:
        indexer = self.indexer
        with indexer._lock:
            indexer.queries.append({k: v for k, v in params.items() if k != "apikey"})
        if indexer.delay and indexer._stopping.wait(indexer.delay):
            return  # shutting down: drop the answer as a dying server would
        self._authorise(params)
        function = params.get("t")
        if not function:
            raise _TorznabError(200, "Missing parameter (t)")
        if function == "caps":
            self._send(HTTPStatus.OK, indexer.caps_xml(), "application/xml")
        elif (
            function == "search"
            or function == "movie"
            and indexer.movie_search
            or function == "tvsearch"
            and indexer.tv_search
        ):
            self_url = f"{indexer.url}?{urlencode({k: v for k, v in params.items() if k != 'apikey'})}"
            self._send(
                HTTPStatus.OK, indexer.feed_xml(indexer.search(params), self_url), "application/rss+xml"
            )
        else:
            raise _TorznabError(202, f"No such function ({function})")

    def _download(self, index: str, params: dict[str, str]) -> None:
        self._authorise(params)
        items = self.indexer.items
        if not index.isdigit() or int(index) >= len(items) or items[int(index)].torrent is None:
            self._send(HTTPStatus.NOT_FOUND, b"no such torrent\n", "text/plain")
            return
        item = items[int(index)]
        assert item.torrent is not None
        filename = quote(f"{item.title}.torrent")
        self._send(
            HTTPStatus.OK,
            item.torrent,
            "application/x-bittorrent",
            {"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
        )

    def _send(
        self, status: HTTPStatus, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if not content_type.startswith("application/x-") else ""
        self.send_header("Content-Type", content_type + charset)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        # The request line holds the API key: log only the path.
        log.debug("torznab %s %s", self.command, urlsplit(self.path).path)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    node = ET.SubElement(parent, tag)
    node.text = text
    return node


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _document(root: ET.Element) -> bytes:
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        root, encoding="utf-8", xml_declaration=False
    )
