"""From a `CreateDownload` to a committed job: the checks a request passes before the store commits it.

A movie already downloaded is refused unless the request says replace: our own completed job says so, and
so does the organizer's library when it answers (asked over NATS; its tables are its own). A movie with an
active job gets that job either way. A show's request names a season; its episodes come from catalog (a
whole season: the episodes out so far, by `airs_at`) with their names, air dates and absolute numbers, which
the job's searches and the completion carry on (the organizer files a release named by date or absolute
number by them). A job whose torrent may be a pack (several episodes, or a given release that holds more)
keeps every episode of the season, and of a given pack's other seasons, so each episode of it is named.
"""

import logging
from datetime import UTC, datetime

from downloader.errors import InvalidDownload, UnknownTitle
from downloader.jobs.episode_numbers import episode_facts
from downloader.jobs.releases import ReleaseFinder, TitleRefused
from downloader.jobs.store import JobStore
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import CreateDownload, Job
from niluflix.contracts.search import Release

log = logging.getLogger(__name__)


def holds_more(release: Release | None, episodes: list[int]) -> bool:
    """Whether a release given with the request may hold more than these episodes: a pack, a complete
    series, other episodes, or a name search did not read (a job of one episode searched by itself takes a
    release of exactly that episode)."""
    if release is None:
        return False
    covers = release.covers
    if covers is None:
        return True
    return (
        covers.season_pack
        or covers.complete_series
        or len(covers.seasons) > 1
        or bool(set(covers.episodes) - set(episodes))
    )


def _numbers(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _holding_nul(value: object, where: str = "") -> str | None:
    """The first field whose text holds a NUL character (`release.name`), else None."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        items = [(f"{where}.{k}" if where else str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(f"{where}.{i}", v) for i, v in enumerate(value)]
    else:
        return None
    return next((found for key, v in items if (found := _holding_nul(v, key))), None)


class Intake:
    def __init__(self, store: JobStore, finder: ReleaseFinder) -> None:
        self._store = store
        self._finder = finder

    async def create(self, req: CreateDownload) -> Job:
        # Asked again with the same key (the caller crashed before it recorded our answer): the same answer,
        # before any check that could now say otherwise (the movie it queued is in the library by now).
        if (
            req.request_id is not None
            and (made := await self._store.find_request(req.request_id)) is not None
        ):
            log.info("create request %s was answered before: job %s", req.request_id, made.id)
            return made
        if held := _holding_nul(req.model_dump()):
            # PostgreSQL keeps no NUL in text: refused here with the field, not a failed insert later.
            raise InvalidDownload(f"{held}: text must not contain a NUL character")
        if req.media_type is MediaType.MOVIE:
            return await self._movie(req)
        return await self._show(req)

    async def _movie(self, req: CreateDownload) -> Job:
        if req.season is not None or req.episodes:
            raise InvalidDownload("a movie has no season or episodes")
        in_library = False if req.replace else bool(await self._finder.in_library(req.tmdb_id))
        return await self._store.create(req, in_library=in_library)

    async def _show(self, req: CreateDownload) -> Job:
        if req.season is None:
            raise InvalidDownload(
                "a show's download names a season (and its episodes, or none for all of it)"
            )
        try:
            details = await self._finder.details(req.tmdb_id, MediaType.TV)
            season = await self._finder.season(req.tmdb_id, req.season)
        except TitleRefused as exc:
            raise UnknownTitle(exc.message) from exc
        known = {e.episode: e for e in season.episodes}
        if req.episodes:
            missing = sorted(set(req.episodes) - known.keys())
            if missing:
                have = f"it has {min(known)}-{max(known)}" if known else "catalog lists no episode of it"
                raise InvalidDownload(f"season {req.season} has no episode {_numbers(missing)} ({have})")
            wanted = [known[n] for n in sorted(set(req.episodes))]
        else:
            now = datetime.now(UTC)
            wanted = [e for e in season.episodes if e.is_out(now)]
            if not wanted:
                raise InvalidDownload(f"no episode of season {req.season} of {details.title} has aired yet")
        if len(wanted) > 1 or holds_more(req.release, [e.episode for e in wanted]):
            # Its torrent may be a pack: every episode of it is named by these when it is filed.
            kept = [episode_facts(e) for e in season.episodes]
            if req.release is not None:
                kept += await self._finder.other_seasons(req.tmdb_id, req.season, details, req.release)
        else:
            kept = [episode_facts(e) for e in wanted]
        job = await self._store.create_show(req, details, [episode_facts(e) for e in wanted], kept)
        if job.episodes != [e.episode for e in wanted]:
            log.info(
                "some of episodes %s of season %d were on their way already: job %s brings %s",
                _numbers([e.episode for e in wanted]),
                req.season,
                job.id,
                _numbers(job.episodes),
            )
        return job
