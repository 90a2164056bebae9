"""A Torznab indexer over HTTP: caps read once and kept, searches shaped by what the caps allow."""

import asyncio
import logging
import re

import httpx

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import Release
from niluflix.contracts.settings import IndexerSettings
from niluflix.url_secrets import SecretMasker, secret_values
from search.errors import (
    IndexerError,
    IndexerHttpError,
    IndexerRateLimited,
    IndexerTimeout,
    IndexerUnreachable,
    MalformedFeed,
    TorznabError,
)
from search.indexers.base import Caps, SearchMode, SearchQuery
from search.indexers.torznab.feed import looks_like_html, parse_caps, parse_document, parse_feed
from search.indexers.transport import read_capped, retry_after, unreachable
from search.parsing.ids import imdb_digits

log = logging.getLogger(__name__)

MOVIE_CATEGORY = 2000
TV_CATEGORY = 5000
ACCEPT = "application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
_NOT_WORD = re.compile(r"[^\w]+")


def query_text(title: str) -> str:
    """A title as search words: trackers match words, and punctuation only costs matches."""
    title = title.replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(_NOT_WORD.sub(" ", title).split())


def plan_searches(caps: Caps, query: SearchQuery) -> list[dict[str, str]]:
    """The Torznab requests to try, best first; a later one runs only when the ones before found nothing.

    By id when the indexer can (IMDb, TMDB, TVDB: exact, no naming luck needed), then by title and year
    (or season and episode, as parameters when the caps take them, else as words). One episode that no
    search finds is looked for again in its season, whose packs hold it. Categories and page size come from
    the caps; an indexer whose categories hold nothing of the kind wanted is not asked at all.
    """
    tv = query.media_type == MediaType.TV
    cat = caps.categories_for(TV_CATEGORY if tv else MOVIE_CATEGORY)
    if cat is None:
        return []
    common = {"cat": cat}
    if caps.limit_max and caps.limit_default and caps.limit_max > caps.limit_default:
        common["limit"] = str(caps.limit_max)  # one full page rather than the indexer's smaller default
    title = query_text(query.title)
    digits = imdb_digits(query.imdb_id) if query.imdb_id else None
    ids = {"imdbid": digits, "tmdbid": query.tmdb_id, "tvdbid": query.tvdb_id if tv else None}
    mode = caps.tv_search if tv else caps.movie_search
    function = "tvsearch" if tv else "movie"
    by_id = {name: str(value) for name, value in ids.items() if value and mode.supports(name)}
    if not tv:
        words = f"{title} {query.year}" if query.year else title
        plans = [{"t": function, **by_id, **common}] if by_id else []
        return [*plans, {"t": function if mode.available else "search", "q": words, **common}]
    plans = []
    for params, words, narrowed_by_id in _tv_targets(query, mode):
        if not mode.available:
            plans.append({"t": "search", "q": f"{title} {words}".strip(), **common})
            continue
        if by_id and narrowed_by_id:
            plans.append({"t": function, **by_id, **params, **common})
        plans.append({"t": function, "q": f"{title} {words}".strip(), **params, **common})
    return plans


# One thing to ask a TV search for: Torznab parameters, the words a title search adds, and whether an id
# search with those parameters asks the same (a number in the words is lost on an id search).
_Target = tuple[dict[str, str], str, bool]


def _tv_targets(query: SearchQuery, mode: SearchMode) -> list[_Target]:
    """What to ask for, best first: the episode by season and number, then by the day it aired (a daily
    show's releases are named so), then by absolute number (an anime's), then its season, whose packs
    hold it."""
    season_param = mode.supports("season")
    episode_param = season_param and mode.supports("ep")
    if query.by_date_only:
        return [_by_date(query, episode_param)]
    if query.season is None:
        return [({}, "", True)]
    season = ({"season": str(query.season)}, "", True) if season_param else ({}, f"S{query.season:02d}", True)
    if query.episode is None:
        # an anime's batches name absolute numbers, no season: the show's own releases hold them
        return [season, ({}, "", True)] if query.anime else [season]
    if episode_param:
        targets = [({"season": str(query.season), "ep": str(query.episode)}, "", True)]
    elif season_param:
        targets = []  # the season's answer holds the episode, asked first: one search is enough
    else:
        targets = [({}, query.episode_words(), True)]
    if query.air_date is not None:
        targets.append(_by_date(query, episode_param))
    if query.absolute_words():
        targets.append(({}, query.absolute_words(), False))
    return [season, *targets] if season_param and not episode_param else [*targets, season]


def _by_date(query: SearchQuery, episode_param: bool) -> _Target:
    """Newznab's daily form, as Sonarr sends it: the year as the season, month/day as the episode."""
    assert query.air_date is not None
    if episode_param:
        return ({"season": f"{query.air_date:%Y}", "ep": f"{query.air_date:%m/%d}"}, "", True)
    return ({}, query.date_words(), True)


class TorznabIndexer:
    """One Torznab endpoint (a Jackett or Prowlarr indexer, or a tracker's own API)."""

    def __init__(self, settings: IndexerSettings, http: httpx.AsyncClient, *, max_feed_bytes: int) -> None:
        self.name = settings.name
        self._url = settings.url
        self._api_key = settings.api_key.get_secret_value() if settings.api_key else None
        # What an indexer says back may echo its key (in a message, in a URL): masked before anyone sees it.
        self._mask = SecretMasker([self._api_key, *secret_values(self._url)])
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

    async def sample(self) -> list[Release]:
        """A few of the newest releases (a search without words), to show that searching works at all."""
        return parse_feed(await self._get({"t": "search", "q": "", "limit": "10"}), self.name)

    async def newest(self, category: int, limit: int) -> list[Release]:
        """The indexer's newest releases in a category (its RSS feed): one request, no caps asked first.
        A parent category (5000) is widened to its subcategories by Jackett and Prowlarr."""
        return parse_feed(
            await self._get({"t": "search", "q": "", "cat": str(category), "limit": str(limit)}), self.name
        )

    async def _get(self, params: dict[str, str]) -> bytes:
        try:
            return await self._ask(params)
        except IndexerError as exc:
            exc.message = self._mask(exc.message)
            exc.args = (exc.message,)
            if isinstance(exc, TorznabError):
                exc.description = self._mask(exc.description)
            raise

    async def _ask(self, params: dict[str, str]) -> bytes:
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
                body = await read_capped(response, self._max_bytes)
        except httpx.TimeoutException:
            raise IndexerTimeout("the indexer did not answer in time") from None
        except httpx.HTTPError as exc:
            raise IndexerUnreachable(unreachable(exc)) from None
        if response.is_success:
            if "html" in response.headers.get("content-type", "").lower() and not _is_xml(body):
                raise MalformedFeed("an HTML page, not a Torznab feed: check the indexer URL")
            return body
        wait = retry_after(response) if response.status_code == 429 else None
        # Jackett and Prowlarr send their `<error>` documents with 4xx/5xx statuses: prefer their words.
        if not looks_like_html(body) and body.lstrip().startswith(b"<"):
            try:
                parse_document(body)
            except TorznabError as exc:
                if response.status_code == 429:
                    exc.rate_limited, exc.retry_after = True, wait
                raise
            except IndexerError:
                pass
        if response.status_code == 429:
            raise IndexerRateLimited(wait)
        raise IndexerHttpError(response.status_code, response.reason_phrase)


def _is_xml(body: bytes) -> bool:
    return body.lstrip().startswith(b"<?xml") and not looks_like_html(body)
