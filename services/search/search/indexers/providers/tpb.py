"""The Pirate Bay through its JSON API (apibay: `q.php?q=&cat=`), by IMDb id first, then by title and year."""

from datetime import UTC, datetime

from pydantic import BaseModel

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import Release
from niluflix.contracts.settings import PROVIDER_NAMES
from search.indexers.base import Caps, SearchMode, SearchQuery
from search.indexers.providers.base import JsonProvider, magnet
from search.indexers.torznab.client import query_text
from search.parsing.ids import normalise_imdb_id, normalise_info_hash

# The trackers The Pirate Bay's own pages add to the magnets they build.
TRACKERS = (
    "udp://tracker.opentrackr.org:1337",
    "udp://open.stealth.si:80/announce",
    "udp://tracker.torrent.eu.org:451/announce",
    "udp://tracker.bittor.pw:1337/announce",
    "udp://public.popcorn-tracker.org:6969/announce",
    "udp://tracker.dler.org:6969/announce",
    "udp://exodus.desync.com:6969",
    "udp://open.demonii.com:1337/announce",
)
VIDEO = "200"
# Video subcategories: 201 Movies, 202 Movies DVDR, 207 HD Movies, 209 3D, 211 UHD/4K Movies;
# 205 TV shows, 208 HD TV shows, 212 UHD/4K TV shows.
MOVIES = frozenset({201, 202, 207, 209, 211})
TV = frozenset({205, 208, 212})
HD_MOVIES = 207  # "test connection" lists its newest entries
NO_HASH = "0" * 40


class TpbItem(BaseModel):
    """One result; apibay sends every field as a string."""

    id: str
    name: str
    info_hash: str
    leechers: str = "0"
    seeders: str = "0"
    num_files: str = "0"
    size: str = "0"
    username: str = ""
    added: str = "0"
    status: str = ""
    category: str = "0"
    imdb: str | None = ""


def _number(text: str | None) -> int:
    return int(text) if text and text.strip().isdigit() else 0


class TpbProvider(JsonProvider):
    name = PROVIDER_NAMES["tpb"]
    caps_ = Caps(
        search=SearchMode(available=True, params=frozenset({"q"})),
        movie_search=SearchMode(available=True, params=frozenset({"q", "imdbid"})),
        tv_search=SearchMode(available=True, params=frozenset({"q", "season", "ep"})),
        categories=frozenset({2000, 5000}),
    )
    offers = "movies by IMDb id or title, TV by title"
    endpoint = "q.php"

    async def search(self, query: SearchQuery) -> list[Release]:
        tv = query.media_type == MediaType.TV
        title = query_text(query.title)
        imdb_id = normalise_imdb_id(query.imdb_id) if not tv else None
        releases: list[Release] = []
        # By IMDb id first (apibay matches its `imdb` field), then by words when that found nothing; an
        # episode then by its air date and absolute number, then in its season's packs.
        if tv:
            queries = [f"{title} {words}".strip() for words in query.word_searches()]
        else:
            words = f"{title} {query.year}" if query.year else title
            queries = [imdb_id, words] if imdb_id else [words]
        for q in queries:
            items = await self._get(self.endpoint, {"q": q, "cat": VIDEO}, list[TpbItem])
            releases = [self._release(i) for i in items if self._wanted(i, tv)]
            if releases:
                break
        return releases

    async def sample(self) -> list[Release]:
        # `category:` lists what was added last to one category, as the site's "browse" pages do.
        items = await self._get(self.endpoint, {"q": f"category:{HD_MOVIES}"}, list[TpbItem])
        return [self._release(i) for i in items if self._wanted(i, tv=False)]

    @staticmethod
    def _wanted(item: TpbItem, tv: bool) -> bool:
        # "No results returned" comes back as one item with id 0 and an all-zero hash.
        if item.id == "0" or normalise_info_hash(item.info_hash) in (None, NO_HASH):
            return False
        return _number(item.category) in (TV if tv else MOVIES)

    def _release(self, item: TpbItem) -> Release:
        info_hash = normalise_info_hash(item.info_hash)
        assert info_hash is not None
        added = _number(item.added)
        return Release(
            name=item.name.strip(),
            indexer=self.name,
            guid=f"tpb:{item.id}",
            size=_number(item.size) or None,
            seeders=_number(item.seeders),
            leechers=_number(item.leechers),
            magnet_uri=magnet(info_hash, item.name.strip(), TRACKERS),
            info_hash=info_hash,
            imdb_id=normalise_imdb_id(item.imdb),
            published_at=datetime.fromtimestamp(added, UTC) if added else None,
        )
