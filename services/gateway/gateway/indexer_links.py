"""Indexer API keys inside release links: hidden from the people who see releases, put back for downloads.

Jackett and Prowlarr give each release a download link that carries their API key
(`.../dl/...?jackett_apikey=<key>&path=...`, `.../download?apikey=<key>&link=...`). Interactive search shows
those links to the browser, so the gateway replaces the key with `MASK` on the way out. A release posted
back for download gets the key again, but only when its link points at the indexer it names: otherwise
anyone could post a link to a host of their own and have the key sent there.
"""

from urllib.parse import quote, urlsplit

from gateway.shared_settings import MASK
from niluflix.contracts.search import Release, ReleaseList
from niluflix.contracts.settings import IndexerSettings
from niluflix.errors import InvalidRequest

# The fields of a release an indexer may have put its key in.
_LINKS = ("torrent_url", "magnet_uri", "guid")


class HiddenKeyMismatch(InvalidRequest):
    """A posted release has a hidden key in a link that does not lead to the indexer it names."""


def _keys(indexers: list[IndexerSettings]) -> dict[str, tuple[str, IndexerSettings]]:
    return {i.name.casefold(): (i.api_key.get_secret_value(), i) for i in indexers if i.api_key}


def _spellings(key: str) -> list[str]:
    # as written, and percent-encoded as a query string would carry a key with `+`, `/` or `=` in it
    encoded = quote(key, safe="")
    return [key] if encoded == key else [key, encoded]


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def hide_keys(found: ReleaseList, indexers: list[IndexerSettings]) -> ReleaseList:
    """The same list with every indexer key in the releases' links replaced by `MASK`."""
    keys = _keys(indexers)
    if not keys:
        return found

    def hidden(release: Release) -> Release:
        entry = keys.get(release.indexer.casefold())
        if entry is None:
            return release
        key = entry[0]
        change = {}
        for field in _LINKS:
            value = getattr(release, field)
            if value and any(s in value for s in _spellings(key)):
                for spelling in _spellings(key):
                    value = value.replace(spelling, MASK)
                change[field] = value
        return release.model_copy(update=change) if change else release

    return found.model_copy(
        update={
            "releases": [hidden(r) for r in found.releases],
            "rejected": [hidden(r) for r in found.rejected],
        }
    )


def restore_keys(release: Release, indexers: list[IndexerSettings]) -> Release:
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
        if not change:
            raise HiddenKeyMismatch(
                "the release's magnet link holds a hidden API key and it has no download link to use"
                " instead: search again for a fresh release"
            )
        change["magnet_uri"] = None
    return release.model_copy(update=change) if change else release
