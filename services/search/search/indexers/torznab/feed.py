"""Torznab documents to typed models: `t=caps` answers, result feeds and `<error>` documents.

Parsing goes through defusedxml: an indexer is a stranger on the network, and a feed with entity
definitions (billion laughs, external entities) is refused, not expanded.
"""

import email.utils
import logging
import re
import xml.etree.ElementTree as ET
from datetime import datetime

import defusedxml
import defusedxml.ElementTree as SafeET
from pydantic import ValidationError

from niluflix.contracts.search import Release
from search.errors import MalformedFeed, TorznabError
from search.indexers.base import Caps, SearchMode
from search.parsing.ids import info_hash_from_magnet, normalise_imdb_id, normalise_info_hash

log = logging.getLogger(__name__)

_HTML = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL
)


def looks_like_html(body: bytes) -> bool:
    return bool(_HTML.match(body[:2048]))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_document(body: bytes) -> ET.Element:
    """The root element; raises `TorznabError` for an `<error>` document, `MalformedFeed` for non-feeds."""
    if not body.strip():
        raise MalformedFeed("empty answer, not a Torznab document")
    if looks_like_html(body):
        raise MalformedFeed("an HTML page, not a Torznab feed: check the indexer URL")
    try:
        root = SafeET.fromstring(body)
    except defusedxml.DefusedXmlException as exc:
        raise MalformedFeed(f"unsafe XML refused ({type(exc).__name__})") from None
    except ET.ParseError as exc:
        raise MalformedFeed(f"not valid XML: {exc}") from None
    kind = _local(root.tag)
    if kind == "html":
        raise MalformedFeed("an HTML page, not a Torznab feed: check the indexer URL")
    if kind == "error":
        raise TorznabError(_int(root.get("code")), (root.get("description") or "").strip())
    return root


def parse_caps(body: bytes) -> Caps:
    root = parse_document(body)
    if _local(root.tag) != "caps":
        raise MalformedFeed(f"expected a Torznab caps document, got <{_local(root.tag)}>")
    modes: dict[str, SearchMode] = {}
    searching = _child(root, "searching")
    for node in searching if searching is not None else ():
        # Newznab: supportedParams defaults to "q" when left out.
        params = (node.get("supportedParams") or "q").lower()
        modes[_local(node.tag)] = SearchMode(
            available=(node.get("available") or "no").strip().lower() == "yes",
            params=frozenset(p.strip() for p in params.split(",") if p.strip()),
        )
    categories = _child(root, "categories")
    ids = set()
    for node in categories.iter() if categories is not None else ():
        if _local(node.tag) in ("category", "subcat") and (cat := _int(node.get("id"))) is not None:
            ids.add(cat)
    limits = _child(root, "limits")
    defaults = Caps()
    return Caps(
        limit_default=_positive(limits.get("default")) if limits is not None else None,
        limit_max=_positive(limits.get("max")) if limits is not None else None,
        search=modes.get("search", defaults.search),
        movie_search=modes.get("movie-search", defaults.movie_search),
        tv_search=modes.get("tv-search", defaults.tv_search),
        categories=frozenset(ids),
    )


def parse_feed(body: bytes, indexer: str) -> list[Release]:
    """The releases of a result feed, in the indexer's order; items that cannot be downloaded are left out."""
    root = parse_document(body)
    if _local(root.tag) != "rss":
        raise MalformedFeed(f"expected an RSS feed, got <{_local(root.tag)}>")
    channel = _child(root, "channel")
    if channel is None:
        raise MalformedFeed("an RSS feed without a <channel>")
    releases = []
    for item in channel:
        if _local(item.tag) != "item":
            continue
        release = _release(item, indexer)
        if release is not None:
            releases.append(release)
    return releases


def _release(item: ET.Element, indexer: str) -> Release | None:
    title = _text(item, "title")
    if not title:
        return None
    attrs: dict[str, str] = {}
    for node in item:
        if _local(node.tag) == "attr" and node.get("name"):
            attrs.setdefault(node.get("name", "").lower(), (node.get("value") or "").strip())
    enclosure = _child(item, "enclosure")
    enclosure_url = (enclosure.get("url") or "").strip() if enclosure is not None else ""
    links = [u for u in (enclosure_url, _text(item, "link"), attrs.get("magneturl", "")) if u]
    magnet = next((u for u in (attrs.get("magneturl", ""), *links) if u.lower().startswith("magnet:")), None)
    # Prowlarr's "magneturl" may be an http link that redirects to the magnet: still a way to get it.
    torrent_url = next((u for u in links if u.lower().startswith(("http://", "https://"))), None)
    if magnet is None and torrent_url is None:
        log.debug("%s: skipping %r, it has no magnet or .torrent link", indexer, title)
        return None
    seeders = _int(attrs.get("seeders"))
    leechers = _int(attrs.get("leechers"))
    peers = _int(attrs.get("peers"))
    if leechers is None and peers is not None and seeders is not None:
        leechers = max(peers - seeders, 0)  # Torznab's "peers" counts seeders too
    size = _positive(_text(item, "size")) or _positive(
        enclosure.get("length") if enclosure is not None else None
    )
    try:
        return Release(
            name=title,
            indexer=indexer,
            guid=_text(item, "guid") or "",
            size=size or _positive(attrs.get("size")),
            seeders=max(seeders, 0) if seeders is not None else None,
            leechers=leechers,
            magnet_uri=magnet,
            torrent_url=torrent_url,
            info_hash=normalise_info_hash(attrs.get("infohash")) or info_hash_from_magnet(magnet),
            imdb_id=normalise_imdb_id(attrs.get("imdbid") or attrs.get("imdb")),
            tmdb_id=_positive(attrs.get("tmdbid")),
            tvdb_id=_positive(attrs.get("tvdbid")),
            season=_season(attrs.get("season")),
            episode=_positive(attrs.get("episode")),
            published_at=_date(_text(item, "pubDate")),
        )
    except ValidationError as exc:
        log.debug("%s: skipping %r: %s", indexer, title, exc)
        return None


def _child(node: ET.Element, name: str) -> ET.Element | None:
    name = name.lower()
    return next((c for c in node if _local(c.tag) == name), None)


def _text(node: ET.Element, name: str) -> str:
    child = _child(node, name)
    return (child.text or "").strip() if child is not None else ""


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except (TypeError, ValueError, OverflowError):
        return None


def _positive(value: str | None) -> int | None:
    number = _int(value)
    return number if number is not None and number > 0 else None


def _season(value: str | None) -> int | None:
    """Season 0 holds specials; a daily show's season is its year, which says nothing the name does not."""
    number = _int(value)
    return number if number is not None and 0 <= number < 1000 else None


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
