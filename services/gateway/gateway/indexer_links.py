"""Indexer API keys inside release links: hidden from the people who see releases, put back for downloads.

Jackett and Prowlarr give each release a download link that carries their API key
(`.../dl/...?jackett_apikey=<key>&path=...`, `.../download?apikey=<key>&link=...`). Interactive search shows
those links to the browser, so the gateway replaces the key with `MASK` on the way out. A release posted
back for download gets its link back as the search service gave it when this gateway hid it (Jackett's links
may name another host than the indexer's address, behind a base-URL override); otherwise the key goes back
only into a link that leads to the indexer it names, so nobody can post a link to a host of their own and
have the key sent there.
"""

from urllib.parse import quote, urlsplit

from cachetools import LRUCache

from gateway.shared_settings import MASK
from niluflix.contracts.search import Release, ReleaseList
from niluflix.contracts.settings import IndexerSettings
from niluflix.errors import InvalidRequest
from niluflix.url_secrets import secret_values

# The fields of a release an indexer may have put its key in.
_LINKS = ("torrent_url", "magnet_uri", "guid")


class HiddenKeyMismatch(InvalidRequest):
    """A posted release has a hidden key in a link that does not lead to the indexer it names."""


def _key(indexer: IndexerSettings) -> str | None:
    """The indexer's key: its `api_key`, or else the one its URL carries (`...torznab/api?apikey=<key>`)."""
    if indexer.api_key:
        return indexer.api_key.get_secret_value()
    in_url = secret_values(indexer.url)
    return in_url[0] if in_url else None


def _keys(indexers: list[IndexerSettings]) -> dict[str, tuple[str, IndexerSettings]]:
    return {i.name.casefold(): (key, i) for i in indexers if (key := _key(i))}


def _spellings(key: str) -> list[str]:
    # as written, and percent-encoded as a query string would carry a key with `+`, `/` or `=` in it
    encoded = quote(key, safe="")
    return [key] if encoded == key else [key, encoded]


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


class HiddenLinks:
    """Hides keys on the way out and puts them back on the way in, remembering the newest links it hid."""

    def __init__(self, remember: int = 20_000) -> None:
        # hidden link -> the link as the search service gave it: a few hundred per search, the least recently
        # used forgotten
        self._links: LRUCache[str, str] = LRUCache(maxsize=remember)

    def hide(self, found: ReleaseList, indexers: list[IndexerSettings]) -> ReleaseList:
        """The same list with every indexer key in the releases' links replaced by `MASK`."""
        keys = _keys(indexers)
        if not keys:
            return found

        def hidden(release: Release) -> Release:
            entry = keys.get(release.indexer.casefold())
            if entry is None:
                return release
            change = {}
            for field in _LINKS:
                value = getattr(release, field)
                masked = _masked(value, entry[0]) if value else None
                if masked is not None:
                    change[field] = masked
                    if field == "torrent_url":
                        self._links[masked] = value
            return release.model_copy(update=change) if change else release

        return found.model_copy(
            update={
                "releases": [hidden(r) for r in found.releases],
                "rejected": [hidden(r) for r in found.rejected],
            }
        )

    def restore(self, release: Release, indexers: list[IndexerSettings]) -> Release:
        url = release.torrent_url or ""
        seen = self._links.get(url) if MASK in url else None
        if seen is not None:
            release = release.model_copy(update={"torrent_url": seen})
        return _restore_keys(release, indexers)


def _masked(value: str, key: str) -> str | None:
    """`value` with `key` in any of its spellings replaced by `MASK`; None when the key is not in it."""
    if not any(spelling in value for spelling in _spellings(key)):
        return None
    for spelling in _spellings(key):
        value = value.replace(spelling, MASK)
    return value


def _restore_keys(release: Release, indexers: list[IndexerSettings]) -> Release:
    """A posted release with its indexer's key back in its download link; a hidden key that cannot be put
    back safely is the caller's mistake (HTTP 422), never a guess.

    Only `torrent_url` gets the key back, and only when it leads to the indexer's own host. A magnet's
    trackers could be anyone's, so a magnet with a hidden key is dropped for the link; `guid` is an
    identity, never fetched, so it stays as shown.
    """
    change: dict[str, str | None] = {}
    url = release.torrent_url or ""
    if MASK in url:
        entry = _keys(indexers).get(release.indexer.casefold())
        if entry is None:
            raise HiddenKeyMismatch(
                f"the release's link holds a hidden API key, and no indexer named {release.indexer!r} has"
                " one: search again for a fresh link"
            )
        key, indexer = entry
        home = _origin(indexer.url)
        if _origin(url) != home:
            raise HiddenKeyMismatch(
                f"the release's link holds a hidden API key but does not lead to indexer {indexer.name!r}"
                f" ({home[0]}://{home[1]}:{home[2]}): its key is only ever sent there"
            )
        # percent-encoded: right in a query or a path whichever spelling was hidden, as servers decode both
        change["torrent_url"] = url.replace(MASK, quote(key, safe=""))
    if MASK in (release.magnet_uri or ""):
        link = change.get("torrent_url", release.torrent_url)
        if not link or MASK in link:
            raise HiddenKeyMismatch(
                "the release's magnet link holds a hidden API key and it has no download link to use"
                " instead: search again for a fresh release"
            )
        change["magnet_uri"] = None
    return release.model_copy(update=change) if change else release
