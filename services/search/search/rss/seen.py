"""Which feed items were seen already, per indexer, so each is published once."""

from collections import OrderedDict

from niluflix.contracts.search import Release


def item_key(release: Release) -> str:
    """The feed's guid; a provider without one is keyed by what identifies the torrent."""
    return release.guid or release.info_hash or release.magnet_uri or release.torrent_url or release.name


class SeenItems:
    """The last `capacity` keys of each indexer, oldest forgotten first.

    A feed lists its newest items only, so remembering a few times its length is enough: an item that fell
    out of memory has also fallen out of the feed.
    """

    def __init__(self, capacity: int = 5000) -> None:
        self._capacity = capacity
        self._keys: dict[str, OrderedDict[str, None]] = {}

    def new(self, indexer: str, releases: list[Release]) -> list[Release]:
        """The releases not seen before (each once, though a feed lists it twice)."""
        keys = self._keys.get(indexer, {})
        fresh: dict[str, Release] = {}
        for release in releases:
            key = item_key(release)
            if key not in keys:
                fresh.setdefault(key, release)
        return list(fresh.values())

    def remember(self, indexer: str, releases: list[Release]) -> None:
        """Seen from now on: called once they are published, so a failed publish is tried again next cycle."""
        keys = self._keys.setdefault(indexer, OrderedDict())
        for release in releases:
            keys[item_key(release)] = None
            keys.move_to_end(item_key(release))
        while len(keys) > self._capacity:
            keys.popitem(last=False)

    def forget(self, keep: set[str]) -> None:
        """Drop the memory of indexers no longer configured."""
        for name in list(self._keys):
            if name not in keep:
                del self._keys[name]
