"""YTS: small encodes of movies, by IMDb id or title, from its API v2 (`list_movies.json`).

YTS has no release names: one movie carries a torrent per quality, so a name is built the way YTS's own
torrent files are named, e.g. `Sintel (2010) [1080p] [BluRay] [x264] [YTS.MX]`.
"""

from datetime import UTC, datetime

from pydantic import BaseModel

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import Release
from niluflix.contracts.settings import PROVIDER_NAMES
from search.errors import IndexerError
from search.indexers.base import Caps, SearchMode, SearchQuery
from search.indexers.providers.base import JsonProvider, magnet
from search.parsing.ids import normalise_imdb_id, normalise_info_hash

# The trackers YTS lists in its API documentation for building magnets.
TRACKERS = (
    "udp://open.demonii.com:1337/announce",
    "udp://tracker.openbittorrent.com:80",
    "udp://tracker.coppersurfer.tk:6969",
    "udp://glotorrents.pw:6969/announce",
    "udp://tracker.opentrackr.org:1337/announce",
    "udp://torrent.gresille.org:80/announce",
    "udp://p4p.arenabg.com:1337",
    "udp://tracker.leechers-paradise.org:6969",
)
SOURCES = {"bluray": "BluRay", "web": "WEBRip"}
LIMIT = "50"  # the API's maximum page size
SAMPLE = "10"  # movies in "test connection"'s sample: a few torrents each


class YtsTorrent(BaseModel):
    url: str = ""
    hash: str
    quality: str = ""
    type: str = ""
    video_codec: str = ""
    audio_channels: str = ""
    is_repack: str = "0"
    seeds: int = 0
    peers: int = 0
    size_bytes: int = 0
    date_uploaded_unix: int | None = None


class YtsMovie(BaseModel):
    id: int
    url: str = ""
    imdb_code: str = ""
    title: str
    title_english: str | None = None
    year: int
    torrents: list[YtsTorrent] = []


class YtsData(BaseModel):
    movie_count: int = 0
    movies: list[YtsMovie] = []  # absent when nothing matched


class YtsAnswer(BaseModel):
    status: str
    status_message: str = ""
    data: YtsData | list = YtsData()  # an error answer sends `"data": []`


def release_name(movie: YtsMovie, torrent: YtsTorrent) -> str:
    tags = [torrent.quality, SOURCES.get(torrent.type.lower(), torrent.type), torrent.video_codec]
    if torrent.audio_channels and torrent.audio_channels != "2.0":
        tags.append(torrent.audio_channels)
    if torrent.is_repack == "1":
        tags.append("REPACK")
    title = movie.title_english or movie.title
    return f"{title} ({movie.year}) " + " ".join(f"[{t}]" for t in tags if t) + " [YTS.MX]"


class YtsProvider(JsonProvider):
    name = PROVIDER_NAMES["yts"]
    caps_ = Caps(
        search=SearchMode(available=True, params=frozenset({"q"})),
        movie_search=SearchMode(available=True, params=frozenset({"q", "imdbid"})),
        categories=frozenset({2000}),
    )
    offers = "movies by IMDb id or title"
    endpoint = "list_movies.json"

    async def search(self, query: SearchQuery) -> list[Release]:
        if query.media_type != MediaType.MOVIE:
            return []
        imdb_id = normalise_imdb_id(query.imdb_id)
        # `query_term` matches an IMDb code exactly, or title words otherwise.
        answer = await self._get(
            self.endpoint, {"query_term": imdb_id or query.title, "limit": LIMIT}, YtsAnswer
        )
        return self._releases(answer, imdb_id)

    async def sample(self) -> list[Release]:
        # Without a `query_term` YTS lists the movies it added last.
        return self._releases(await self._get(self.endpoint, {"limit": SAMPLE}, YtsAnswer), None)

    def _releases(self, answer: YtsAnswer, imdb_id: str | None) -> list[Release]:
        if answer.status != "ok" or not isinstance(answer.data, YtsData):
            raise IndexerError(f"YTS: {answer.status_message or answer.status}")
        return [
            self._release(movie, torrent)
            for movie in answer.data.movies
            if imdb_id is None or normalise_imdb_id(movie.imdb_code) == imdb_id
            for torrent in movie.torrents
            if normalise_info_hash(torrent.hash)
        ]

    def _release(self, movie: YtsMovie, torrent: YtsTorrent) -> Release:
        name = release_name(movie, torrent)
        info_hash = normalise_info_hash(torrent.hash)
        assert info_hash is not None
        published = (
            datetime.fromtimestamp(torrent.date_uploaded_unix, UTC) if torrent.date_uploaded_unix else None
        )
        return Release(
            name=name,
            indexer=self.name,
            guid=torrent.url or f"{movie.url}#{torrent.quality}-{torrent.type}",
            size=torrent.size_bytes or None,
            seeders=max(torrent.seeds, 0),
            leechers=max(torrent.peers, 0),
            magnet_uri=magnet(info_hash, name, TRACKERS),
            torrent_url=torrent.url if torrent.url.startswith(("http://", "https://")) else None,
            info_hash=info_hash,
            imdb_id=normalise_imdb_id(movie.imdb_code),
            published_at=published,
        )
