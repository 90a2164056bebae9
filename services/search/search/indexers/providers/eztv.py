"""EZTV: TV episodes by the show's IMDb id, from its API (`get-torrents?imdb_id=`)."""

from datetime import UTC, datetime

from pydantic import BaseModel

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import Release
from niluflix.contracts.settings import PROVIDER_NAMES
from search.indexers.base import Caps, SearchMode, SearchQuery
from search.indexers.providers.base import JsonProvider
from search.parsing.ids import imdb_digits, info_hash_from_magnet, normalise_imdb_id, normalise_info_hash

LIMIT = "100"  # the API's maximum page size
SAMPLE = "20"  # episodes in "test connection"'s sample


class EztvTorrent(BaseModel):
    id: int
    hash: str = ""
    filename: str = ""
    episode_url: str = ""
    torrent_url: str = ""
    magnet_url: str = ""
    title: str
    imdb_id: str = ""
    season: str = ""  # EZTV sends numbers as strings here
    episode: str = ""
    seeds: int = 0
    peers: int = 0
    date_released_unix: int | None = None
    size_bytes: str = "0"


class EztvAnswer(BaseModel):
    imdb_id: str = ""
    torrents_count: int = 0
    limit: int = 0
    page: int = 1
    torrents: list[EztvTorrent] = []  # absent when the show has none


class EztvListing(EztvAnswer):
    """The same answer where a count must be present: every field of `EztvAnswer` has a default, so any JSON
    object would pass for an empty one, and "test connection" must tell EZTV's API from another site."""

    torrents_count: int


def _number(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _wanted(torrent: EztvTorrent, query: SearchQuery) -> bool:
    """Of the wanted season, and one of the wanted episodes or a pack (EZTV numbers a pack's episode 0)."""
    if query.season is None:
        return True
    if _number(torrent.season) != query.season:
        return False
    episode = _number(torrent.episode)
    return not query.episodes or not episode or episode in query.episodes


def _downloadable(torrent: EztvTorrent) -> bool:
    return torrent.magnet_url.startswith("magnet:") or torrent.torrent_url.startswith(("http://", "https://"))


class EztvProvider(JsonProvider):
    name = PROVIDER_NAMES["eztv"]
    caps_ = Caps(
        search=SearchMode(),
        tv_search=SearchMode(available=True, params=frozenset({"imdbid", "season", "ep"})),
        categories=frozenset({5000}),
    )
    offers = "TV episodes by the show's IMDb id"
    endpoint = "get-torrents"

    async def search(self, query: SearchQuery) -> list[Release]:
        digits = imdb_digits(query.imdb_id) if query.imdb_id else None
        # EZTV finds shows only by IMDb id; a title search is not in its API.
        if query.media_type != MediaType.TV or digits is None:
            return []
        answer = await self._get(self.endpoint, {"imdb_id": digits, "limit": LIMIT, "page": "1"}, EztvAnswer)
        return [self._release(t) for t in answer.torrents if _wanted(t, query) and _downloadable(t)]

    async def sample(self) -> list[Release]:
        # Without an `imdb_id` EZTV lists the episodes it added last.
        answer = await self._get(self.endpoint, {"limit": SAMPLE, "page": "1"}, EztvListing)
        return [self._release(t) for t in answer.torrents if _downloadable(t)]

    def _release(self, torrent: EztvTorrent) -> Release:
        # Its titles end in " EZTV", which is not part of the release name.
        name = torrent.title.strip().removesuffix(" EZTV").strip() or torrent.filename
        magnet = torrent.magnet_url if torrent.magnet_url.startswith("magnet:") else None
        size = _number(torrent.size_bytes)
        return Release(
            name=name,
            indexer=self.name,
            guid=torrent.episode_url or f"eztv:{torrent.id}",
            size=size or None,
            seeders=max(torrent.seeds, 0),
            leechers=max(torrent.peers, 0),
            magnet_uri=magnet,
            torrent_url=torrent.torrent_url
            if torrent.torrent_url.startswith(("http://", "https://"))
            else None,
            info_hash=normalise_info_hash(torrent.hash) or info_hash_from_magnet(magnet),
            imdb_id=normalise_imdb_id(torrent.imdb_id),
            season=_number(torrent.season),
            episode=_number(torrent.episode) or None,
            published_at=(
                datetime.fromtimestamp(torrent.date_released_unix, UTC)
                if torrent.date_released_unix
                else None
            ),
        )
