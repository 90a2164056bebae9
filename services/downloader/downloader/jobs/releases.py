"""From a job to a torrent: the title's facts from catalog, ranked releases from search, the torrent itself;
and whether the organizer's library has a movie already."""

import logging
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urljoin

import httpx
from faststream.nats import NatsBroker

from downloader.clients.base import InvalidTorrentError, TorrentClient, TorrentClientError, TorrentSource
from downloader.errors import DownloaderError, JobConflict, PeerUnavailable, ReleaseUnusable
from downloader.jobs.episode_numbers import EpisodeNumbers, episode_facts
from niluflix.contracts import catalog, library, search
from niluflix.contracts.catalog import GetSeason, GetTitle, SeasonDetails, TitleDetails
from niluflix.contracts.common import ErrorCode, MediaType
from niluflix.contracts.downloads import EpisodeFacts
from niluflix.contracts.library import LibraryList, ListLibrary
from niluflix.contracts.search import FindReleases, Release, ReleaseList
from niluflix.errors import RemoteError, Unavailable
from niluflix.messaging import request

log = logging.getLogger(__name__)

MAX_TORRENT_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
# Codes after which asking again will not help: the request itself is wrong.
FINAL_CODES = (ErrorCode.NOT_FOUND, ErrorCode.INVALID_REQUEST)


class TitleRefused(JobConflict):
    """Catalog or search refused the title for good (unknown TMDB id): the job cannot go on."""


def _peer_error(subject: str, exc: RemoteError | Unavailable) -> Exception:
    if isinstance(exc, RemoteError) and exc.code in FINAL_CODES:
        return TitleRefused(exc.message)
    return PeerUnavailable(f"{subject}: {exc.message}")


class ReleaseFinder:
    def __init__(self, broker: NatsBroker, *, timeout: float, search_timeout: float) -> None:
        self._broker = broker
        self._timeout = timeout
        self._search_timeout = search_timeout

    async def details(self, tmdb_id: int, media_type: MediaType) -> TitleDetails:
        try:
            return await request(
                self._broker,
                catalog.DETAILS,
                GetTitle(tmdb_id=tmdb_id, media_type=media_type),
                TitleDetails,
                timeout=self._timeout,
            )
        except (RemoteError, Unavailable) as exc:
            raise _peer_error("catalog", exc) from exc

    async def season(self, tmdb_id: int, season: int) -> SeasonDetails:
        try:
            return await request(
                self._broker,
                catalog.SEASON,
                GetSeason(tmdb_id=tmdb_id, season=season),
                SeasonDetails,
                timeout=self._timeout,
            )
        except (RemoteError, Unavailable) as exc:
            raise _peer_error("catalog", exc) from exc

    async def other_seasons(
        self, tmdb_id: int, season: int | None, details: TitleDetails, release: Release
    ) -> list[EpisodeFacts]:
        """The episodes of the seasons other than the job's that a pack holds (`S01-S03`, the complete
        series), so the organizer names them too; catalog caches seasons, and one it cannot give costs only
        its episodes' titles."""
        covers = release.covers
        if season is None or covers is None:
            return []
        seasons = set(covers.seasons)
        if covers.complete_series:
            seasons |= {s.season for s in details.seasons if s.season > 0}
        facts: list[EpisodeFacts] = []
        for number in sorted(seasons - {season}):
            try:
                found = await self.season(tmdb_id, number)
            except (PeerUnavailable, TitleRefused) as exc:
                log.info("season %d of %s is filed without titles: %s", number, release.name, exc.message)
                continue
            facts += [episode_facts(e) for e in found.episodes]
        return facts

    async def in_library(self, tmdb_id: int) -> bool | None:
        """Whether the organizer's library holds this movie; None when the organizer does not answer."""
        try:
            found = await request(
                self._broker,
                library.LIST,
                ListLibrary(media_type=MediaType.MOVIE, tmdb_id=tmdb_id),
                LibraryList,
                timeout=self._timeout,
            )
        except (RemoteError, Unavailable) as exc:
            log.info("could not ask the library whether it holds movie %s: %s", tmdb_id, exc.message)
            return None
        # Filtered here too: an organizer that predates the tmdb_id filter answers with everything.
        return any(item.tmdb_id == tmdb_id for item in found.items)

    async def ranked(
        self,
        details: TitleDetails,
        profile: str | None = None,
        *,
        season: int | None = None,
        episode: int | None = None,
        episodes: Sequence[int] = (),
        numbers: EpisodeNumbers | None = None,
    ) -> list[Release]:
        """Accepted releases, best first: for a movie, a season's `episodes` (packs and episodes) or one
        episode; `numbers` (absolute numbers, an air date) let search match releases named by them."""
        query = FindReleases.for_title(
            details,
            profile=profile,
            season=season,
            episode=episode,
            episodes=list(episodes),
            absolute_episodes=list(numbers.absolute) if numbers else [],
            air_date=numbers.air_date if numbers else None,
        )
        try:
            found = await request(
                self._broker, search.RELEASES, query, ReleaseList, timeout=self._search_timeout
            )
        except (RemoteError, Unavailable) as exc:
            raise _peer_error("search", exc) from exc
        return found.releases


def pick(releases: list[Release], blocked_hashes: set[str], blocked_names: set[str]) -> Release | None:
    """The best release (search ranks them) that has a link and has not failed this job before."""
    for release in releases:
        if not (release.magnet_uri or release.torrent_url):
            continue
        if release.info_hash and release.info_hash.lower() in blocked_hashes:
            continue
        if release.name.casefold() in blocked_names:
            continue
        return release
    return None


def why_picked(chosen: Release, releases: list[Release]) -> str:
    """Why `pick` chose this release, in words, for the log."""
    parsed = chosen.parsed
    facts = [f for f in (parsed.resolution, parsed.source, parsed.codec) if f] if parsed else []
    if chosen.seeders is not None:
        facts.append(f"{chosen.seeders} seeder{'' if chosen.seeders == 1 else 's'}")
    facts.append(f"score {chosen.score:g}")
    rank = releases.index(chosen) + 1
    if len(releases) == 1:
        words = "the only release accepted"
    elif rank == 1:
        words = f"the best of {len(releases)} accepted releases"
    else:
        words = (
            f"number {rank} of {len(releases)} accepted releases (those above failed before or have no link)"
        )
    return f"{words} ({', '.join(facts)})"


async def add_release(
    http: httpx.AsyncClient,
    client: TorrentClient,
    save_dir: Path,
    *,
    magnet_uri: str | None,
    torrent_url: str | None,
    label: str,
) -> str:
    """Add a release to the torrent client, its .torrent file first; returns the info hash.

    A torrent file gives the client the metadata at once: no wait for peers to send it (a magnet can stall
    there when the only seeder is slow to answer), and a private tracker's passkey rides in its announce
    URL. The magnet is the fallback when the indexer cannot serve the file or the client refuses it; when
    both fail the error names both causes, for the log and the job's `waiting_for`. `label` names the job
    in the log line.
    """
    file_error: str | None = None
    if torrent_url:
        try:
            return await client.add(await fetch_source(http, torrent_url), save_dir)
        except (ReleaseUnusable, PeerUnavailable, InvalidTorrentError) as exc:
            if not magnet_uri:
                raise
            file_error = exc.message if isinstance(exc, DownloaderError) else str(exc)
            log.warning(
                "%s: its torrent file could not be used (%s); adding its magnet instead", label, file_error
            )
    if not magnet_uri:
        raise ReleaseUnusable("the release has neither a magnet link nor a torrent URL")
    try:
        return await client.add(TorrentSource(magnet_uri=magnet_uri), save_dir)
    except TorrentClientError as exc:
        if file_error is None:
            raise
        both = f"its torrent file could not be used ({file_error}), nor its magnet ({exc})"
        if isinstance(exc, InvalidTorrentError):
            raise ReleaseUnusable(both) from exc
        # The client did not answer: the same release may work once it does.
        raise PeerUnavailable(both) from exc


async def fetch_source(http: httpx.AsyncClient, torrent_url: str) -> TorrentSource:
    """The .torrent file behind the URL; an indexer may answer the URL with a magnet redirect.

    The URL often carries the indexer's API key, so it never appears in a message or a log line.
    """
    url = torrent_url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            async with http.stream("GET", url, follow_redirects=False) as resp:
                if resp.is_redirect:
                    location = resp.headers.get("location", "")
                    if location.startswith("magnet:"):
                        return TorrentSource(magnet_uri=location)
                    url = urljoin(url, location)
                    continue
                if resp.status_code >= 500 or resp.status_code == 429:
                    raise PeerUnavailable(
                        f"the indexer could not serve the torrent file (HTTP {resp.status_code})"
                    )
                if resp.status_code >= 400:
                    raise ReleaseUnusable(f"the indexer refused the torrent file (HTTP {resp.status_code})")
                body = bytearray()
                async for chunk in resp.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_TORRENT_BYTES:
                        raise ReleaseUnusable("the torrent file is larger than 20 MB")
        except httpx.HTTPError as exc:
            raise PeerUnavailable(
                f"the indexer did not answer for the torrent file ({type(exc).__name__})"
            ) from exc
        if not body.startswith(b"d"):
            raise ReleaseUnusable("the indexer sent something that is not a torrent file")
        return TorrentSource(torrent=bytes(body))
    raise ReleaseUnusable("the torrent URL redirects too many times")
