"""What the monitor asks other services, over NATS only: catalog, the organizer's library, search, and the
downloader's own job subjects (so it depends on their contracts, not on the job store's insides)."""

from faststream.nats import NatsBroker

from niluflix.contracts import catalog, downloads, library, search
from niluflix.contracts.catalog import GetSeason, GetTitle, SeasonDetails, TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import CreateDownload, Job, JobList, JobState, ListDownloads
from niluflix.contracts.library import LibraryItem, LibraryList, ListLibrary
from niluflix.contracts.search import FindReleases, JudgeReleases, Release, ReleaseList
from niluflix.messaging import request


class Peers:
    def __init__(self, broker: NatsBroker, *, timeout: float, search_timeout: float) -> None:
        self._broker = broker
        self._timeout = timeout
        self._search_timeout = search_timeout

    async def show(self, tmdb_id: int) -> TitleDetails:
        req = GetTitle(tmdb_id=tmdb_id, media_type=MediaType.TV)
        return await request(self._broker, catalog.DETAILS, req, TitleDetails, timeout=self._timeout)

    async def season(self, tmdb_id: int, season: int) -> SeasonDetails:
        req = GetSeason(tmdb_id=tmdb_id, season=season)
        return await request(self._broker, catalog.SEASON, req, SeasonDetails, timeout=self._timeout)

    async def library(self, tmdb_id: int) -> list[LibraryItem]:
        req = ListLibrary(tmdb_id=tmdb_id, media_type=MediaType.TV)
        return (await request(self._broker, library.LIST, req, LibraryList, timeout=self._timeout)).items

    async def active_jobs(self) -> list[Job]:
        req = ListDownloads(states=[JobState.QUEUED, JobState.DOWNLOADING, JobState.PAUSED], limit=5000)
        return (await request(self._broker, downloads.LIST, req, JobList, timeout=self._timeout)).jobs

    async def search(self, query: FindReleases) -> ReleaseList:
        return await request(self._broker, search.RELEASES, query, ReleaseList, timeout=self._search_timeout)

    async def judge(self, query: FindReleases, releases: list[Release]) -> ReleaseList:
        req = JudgeReleases(request=query, releases=releases)
        return await request(self._broker, search.JUDGE, req, ReleaseList, timeout=self._timeout)

    async def download(self, req: CreateDownload) -> Job:
        return await request(self._broker, downloads.CREATE, req, Job, timeout=self._timeout)
