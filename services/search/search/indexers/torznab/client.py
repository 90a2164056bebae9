"""A Torznab indexer over HTTP: caps read once and kept, searches shaped by what the caps allow."""

import asyncio
import logging
import re

import httpx

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import Release
from niluflix.contracts.settings import IndexerSettings
from search.errors import (
    FeedTooLarge,
    IndexerError,
    IndexerHttpError,
    IndexerTimeout,
    IndexerUnreachable,
    MalformedFeed,
    TorznabError,
)
from search.indexers.base import Caps, SearchQuery
from search.indexers.torznab.feed import looks_like_html, parse_caps, parse_document, parse_feed
from search.parsing.ids import imdb_digits

log = logging.getLogger(__name__)

MOVIE_CATEGORY = "2000"
TV_CATEGORY = "5000"
ACCEPT = "application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
_NOT_WORD = re.compile(r"[^\w]+")


def query_text(title: str) -> str:
    """A title as search words: trackers match words, and punctuation only costs matches."""
    title = title.replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(_NOT_WORD.sub(" ", title).split())


def plan_searches(caps: Caps, query: SearchQuery) -> list[dict[str, str]]:
    """The Torznab requests to try, best first; a later one runs only when the ones before found nothing.

    By IMDb id when the indexer can (exact, no naming luck needed), then by title and year.
    """
    title = query_text(query.title)
    if query.media_type == MediaType.TV:
        if caps.tv_search.available:
            plan = {"t": "tvsearch", "q": title, "cat": TV_CATEGORY}
            if query.season is not None and caps.tv_search.supports("season"):
                plan["season"] = str(query.season)
                if query.episode is not None and caps.tv_search.supports("ep"):
                    plan["ep"] = str(query.episode)
            return [plan]
        words = title
        if query.season is not None:
            words += f" S{query.season:02d}" + (f"E{query.episode:02d}" if query.episode is not None else "")
        return [{"t": "search", "q": words, "cat": TV_CATEGORY}]
    plans = []
    digits = imdb_digits(query.imdb_id) if query.imdb_id else None
    if digits and caps.movie_search.supports("imdbid"):
        plans.append({"t": "movie", "imdbid": digits, "cat": MOVIE_CATEGORY})
    words = f"{title} {query.year}" if query.year else title
    function = "movie" if caps.movie_search.available else "search"
    plans.append({"t": function, "q": words, "cat": MOVIE_CATEGORY})
    return plans


class TorznabIndexer:
    """One Torznab endpoint (a Jackett or Prowlarr indexer, or a tracker's own API)."""

    def __init__(self, settings: IndexerSettings, http: httpx.AsyncClient, *, max_feed_bytes: int) -> None:
        self.name = settings.name
        self._url = settings.url
        self._api_key = settings.api_key.get_secret_value() if settings.api_key else None
        self._http = http
        self._max_bytes = max_feed_bytes
        self._caps: Caps | None = None
        self._caps_lock = asyncio.Lock()

    async def caps(self) -> Caps:
        # Read once: caps change only when the indexer is reconfigured, and then the pool builds a new client.
        async with self._caps_lock:
            if self._caps is None:
                self._caps = parse_caps(await self._get({"t": "caps"}))
                log.info("%s: %s", self.name, self._caps.describe())
            return self._caps

    async def search(self, query: SearchQuery) -> list[Release]:
        caps = await self.caps()
        releases: list[Release] = []
        for params in plan_searches(caps, query):
            releases = parse_feed(await self._get(params), self.name)
            if releases:
                break
        return releases

    async def _get(self, params: dict[str, str]) -> bytes:
        url = httpx.URL(self._url)
        request_params = dict(url.params) | params
        if self._api_key is not None:
            request_params["apikey"] = self._api_key
        try:
            async with self._http.stream(
                "GET",
                url.copy_with(query=None),
                params=request_params,
                headers={"Accept": ACCEPT},
                follow_redirects=True,
            ) as response:
                body = await self._read(response)
        except httpx.TimeoutException:
            raise IndexerTimeout("the indexer did not answer in time") from None
        except httpx.HTTPError as exc:
            raise IndexerUnreachable(
                f"cannot reach the indexer: {self._redact(str(exc) or type(exc).__name__)}"
            ) from None
        if response.is_success:
            if "html" in response.headers.get("content-type", "").lower() and not _is_xml(body):
                raise MalformedFeed("an HTML page, not a Torznab feed: check the indexer URL")
            return body
        # Jackett and Prowlarr send their `<error>` documents with 4xx/5xx statuses: prefer their words.
        if not looks_like_html(body) and body.lstrip().startswith(b"<"):
            try:
                parse_document(body)
            except TorznabError:
                raise
            except IndexerError:
                pass
        raise IndexerHttpError(response.status_code, response.reason_phrase)

    async def _read(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise self._too_large()
        body = bytearray()
        # Counted after decompression: a small gzip bomb is as bad as a big body.
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > self._max_bytes:
                raise self._too_large()
        return bytes(body)

    def _too_large(self) -> FeedTooLarge:
        return FeedTooLarge(f"the answer is larger than {self._max_bytes / 1024 / 1024:g} MiB; refused")

    def _redact(self, text: str) -> str:
        return text.replace(self._api_key, "***") if self._api_key else text


def _is_xml(body: bytes) -> bool:
    return body.lstrip().startswith(b"<?xml") and not looks_like_html(body)
