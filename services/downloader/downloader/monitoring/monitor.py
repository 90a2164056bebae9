"""New episodes of followed shows, found two ways and downloaded with no one asking.

- The check (every few minutes, and at start): for each followed show, the episodes out, wanted and not
  had are searched for; an episode that finds nothing is searched again later (1 h, 6 h, then daily).
- RSS: the indexers' newest releases (`search.v1.events.releases_seen`) are matched by show name, season and
  episode against the same wanted episodes; a match is judged by search for the follow's profile.

Either way an accepted release becomes a `downloads.v1.create` with that release, so nothing found is never
a failed download, and an episode already on its way answers with its job.
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from downloader.jobs.coverage import by_other_numbers
from downloader.jobs.episode_numbers import EpisodeNumbers, from_season
from downloader.monitoring.peers import Peers
from downloader.monitoring.store import FollowStore, Key
from downloader.monitoring.titles import normalise
from downloader.monitoring.wanted import had, is_out, missing, seasons_to_check
from downloader.tables import utcnow
from niluflix.contracts.catalog import EpisodeDetails, SeasonDetails, TitleDetails
from niluflix.contracts.common import ErrorCode, HealthCheck, MediaType
from niluflix.contracts.downloads import CreateDownload, Job
from niluflix.contracts.follows import Follow, FollowMode
from niluflix.contracts.search import FindReleases, Release, ReleasesSeen
from niluflix.errors import RemoteError, Unavailable
from niluflix.loops import Leadership, Loop

log = logging.getLogger("downloader.monitor")

PACK = 0  # the episode number a whole-season search is remembered by
# Search answers these when it cannot look at all (no indexer, every indexer failed): the round stops there.
SEARCH_DOWN = (ErrorCode.UNAVAILABLE, ErrorCode.UPSTREAM)


class SearchDown(Unavailable):
    """Search cannot look for any show now; the next round tries again."""


@dataclass
class ShowState:
    follow: Follow
    details: TitleDetails
    seasons: list[SeasonDetails]
    have: set[Key]
    wanted: list[EpisodeDetails] = field(default_factory=list)

    def season(self, number: int) -> SeasonDetails | None:
        return next((s for s in self.seasons if s.season == number), None)


def _holds_episode(release: Release, episode: int) -> bool:
    """The release holds the episode: by its name's number, or as search read a release named by absolute
    number or date (`Show - 33` is not episode 33 of the season)."""
    covers = release.covers
    if covers is not None and (covers.absolute_episodes or covers.air_date):
        return episode in by_other_numbers(release)
    return release.parsed is None or episode in release.parsed.episodes


def _names_an_episode(release: Release) -> bool:
    """A season, or (anime, daily shows) episodes or a day without one."""
    parsed = release.parsed
    assert parsed is not None
    return parsed.season is not None or bool(parsed.episodes) or parsed.air_date is not None


def label(title: str, season: int, episodes: list[int]) -> str:
    if not episodes:
        return f"{title} season {season}"
    return f"{title} S{season:02d}" + "".join(f"E{e:02d}" for e in episodes)


def downloadable(release: Release) -> bool:
    return bool(release.magnet_uri or release.torrent_url)


class Monitor:
    def __init__(
        self,
        follows: FollowStore,
        peers: Peers,
        *,
        every: float,
        searches_per_check: int = 50,
        lease: Leadership | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.follows = follows
        self.peers = peers
        self._searches_per_check = searches_per_check
        self._clock = clock
        # Every name a followed show goes by, normalised, as catalog last gave them: RSS matches on them.
        self._names: dict[int, set[str]] = {}
        self.followed = 0
        self.problem: str | None = None
        self.loop = Loop("monitor", self.check, every=every, lease=lease, on_stop=self._stop_show_checks)
        self._show_checks: set[asyncio.Task[list[Job]]] = set()
        # One check of a show at a time (the round and a just-followed show's own): the second then sees the
        # first's searches in the back-off and does not ask the indexers again.
        self._show_locks: dict[int, asyncio.Lock] = {}

    # The check

    async def check(self) -> list[Job]:
        """One round over every followed show; returns the downloads it made."""
        follows = await self.follows.all()
        self.followed = len(follows)
        if not follows:
            self._note(None)
            return []
        try:
            jobs = await self.peers.active_jobs()
        except (RemoteError, Unavailable) as exc:
            self._note(f"the downloads could not be listed: {exc.message}")
            return []
        made: list[Job] = []
        budget = [self._searches_per_check]
        failures = []
        for follow in follows:
            if budget[0] <= 0:
                log.info("search budget of this check spent; the other shows wait for the next one")
                break
            try:
                async with self._lock(follow.tmdb_id):
                    made += await self._search_wanted(await self.state(follow, jobs), budget)
            except SearchDown as exc:
                self._note(exc.message)  # the same for every show: said once, not once per show
                return made
            except (RemoteError, Unavailable) as exc:
                log.warning("could not check %s for new episodes: %s", follow.title, exc.message)
                failures.append(f"{follow.title}: {exc.message}")
        self._note("; ".join(failures) if failures and len(failures) == len(follows) else None)
        return made

    def check_soon(self, tmdb_id: int) -> None:
        """Check one show now, in the background: a show just followed gets what already aired at once,
        without a round over every followed show (following 500 shows one by one must not cost 500 rounds)."""
        task = asyncio.create_task(self.check_show(tmdb_id), name=f"monitor-{tmdb_id}")
        self._show_checks.add(task)
        task.add_done_callback(self._show_checks.discard)

    async def check_show(self, tmdb_id: int) -> list[Job]:
        follow = await self.follows.get(tmdb_id)
        if follow is None:
            return []
        try:
            async with self._lock(tmdb_id):
                jobs = await self.peers.active_jobs()
                return await self._search_wanted(await self.state(follow, jobs), [self._searches_per_check])
        except SearchDown as exc:
            self._note(exc.message)
        except (RemoteError, Unavailable) as exc:
            log.warning("could not check %s for episodes: %s; the next round will", follow.title, exc.message)
        except Exception:
            log.exception("checking %s for episodes failed; the next round will", follow.title)
        return []

    def _lock(self, tmdb_id: int) -> asyncio.Lock:
        return self._show_locks.setdefault(tmdb_id, asyncio.Lock())

    async def _stop_show_checks(self) -> None:
        for task in list(self._show_checks):
            task.cancel()
        await asyncio.gather(*self._show_checks, return_exceptions=True)

    def _note(self, problem: str | None) -> None:
        """Remember why the last round could not look (another service away), logged when it starts and ends.

        Not a failure of this service: its health stays ok and says why episodes are not arriving; the
        missing service's own health is where the fault shows.
        """
        if problem is not None and problem != self.problem:
            log.warning("followed shows not checked: %s; trying again at the next check", problem)
        elif problem is None and self.problem is not None:
            log.info("followed shows are checked again")
        self.problem = problem

    def health(self) -> HealthCheck:
        shows = "1 show" if self.followed == 1 else f"{self.followed} shows"
        detail = f"following {shows}" + (
            f"; last check could not look: {self.problem}" if self.problem else ""
        )
        return HealthCheck(name="monitor", kind="background", ok=True, detail=detail)

    async def state(self, follow: Follow, jobs: list[Job], only: set[int] | None = None) -> ShowState:
        details = await self.peers.show(follow.tmdb_id)
        self._remember_names(follow, details)
        if only is None:
            numbers = seasons_to_check(follow, details)
        else:
            numbers = sorted(s for s in only if follow.mode != FollowMode.SEASONS or s in follow.seasons)
        seasons = [await self.peers.season(follow.tmdb_id, n) for n in numbers]
        library = await self.peers.library(follow.tmdb_id)
        show_jobs = [j for j in jobs if j.tmdb_id == follow.tmdb_id and j.media_type == MediaType.TV]
        have = had(library, show_jobs)
        state = ShowState(follow, details, seasons, have)
        state.wanted = missing(follow, seasons, have, self._clock())
        return state

    async def _search_wanted(self, state: ShowState, budget: list[int]) -> list[Job]:
        if not state.wanted:
            return []
        now = self._clock()
        waiting = await self.follows.waiting(state.follow.tmdb_id, now)
        made: list[Job] = []
        by_season: dict[int, list[EpisodeDetails]] = {}
        for episode in state.wanted:
            by_season.setdefault(episode.season, []).append(episode)
        for number, episodes in by_season.items():
            season = state.season(number)
            numbers = [e.episode for e in episodes]
            # A season out in full with several episodes missing: one pack rather than many episodes.
            if (
                len(episodes) > 1
                and season is not None
                and all(is_out(e, now) for e in season.episodes)
                and (number, PACK) not in waiting
                and budget[0] > 0
            ):
                budget[0] -= 1
                job = await self._search_and_take(state, number, None, numbers)
                if job is not None:
                    made.append(job)
                    continue
            for episode in episodes:
                if (number, episode.episode) in waiting or (number, episode.episode) in state.have:
                    continue
                if budget[0] <= 0:
                    return made
                budget[0] -= 1
                job = await self._search_and_take(state, number, episode.episode, [episode.episode])
                if job is not None:
                    made.append(job)
        return made

    async def _search_and_take(
        self, state: ShowState, season: int, episode: int | None, episodes: list[int]
    ) -> Job | None:
        follow = state.follow
        what = label(follow.title, season, [] if episode is None else episodes)
        # the episodes' absolute numbers and air date: anime and daily releases are named by them
        details = state.season(season)
        numbers = from_season(details, episodes) if details is not None else EpisodeNumbers()
        query = FindReleases.for_title(
            state.details,
            season=season,
            episode=episode,
            episodes=episodes if numbers.absolute and episode is None else [],
            absolute_episodes=list(numbers.absolute),
            air_date=numbers.air_date,
            profile=follow.profile,
        )
        try:
            found = await self.peers.search(query)
        except Unavailable as exc:
            raise SearchDown(f"search: {exc.message}") from exc
        except RemoteError as exc:
            if exc.code in SEARCH_DOWN:
                raise SearchDown(f"search: {exc.message}") from exc
            raise
        if episode is None:
            # Only a release of the whole season counts here (or a batch search read by absolute numbers as
            # every episode wanted); single episodes are searched one by one.
            candidates = [
                r
                for r in found.releases
                if r.parsed is None or not r.parsed.episodes or set(episodes) <= set(by_other_numbers(r))
            ]
        else:
            candidates = [r for r in found.releases if _holds_episode(r, episode)]
        chosen = next((r for r in candidates if downloadable(r)), None)
        key = (season, PACK if episode is None else episode)
        if chosen is None:
            again = await self.follows.nothing_found(follow.tmdb_id, key, self._clock())
            log.info(
                "no release of %s yet; searching again at %s", what, again.strftime("%Y-%m-%d %H:%M UTC")
            )
            return None
        return await self._take(state, season, episodes, chosen, how="a search")

    async def _take(
        self, state: ShowState, season: int, episodes: list[int], release: Release, how: str
    ) -> Job:
        follow = state.follow
        job = await self.peers.download(
            CreateDownload(
                tmdb_id=follow.tmdb_id,
                media_type=MediaType.TV,
                season=season,
                episodes=episodes,
                release=release,
                profile=follow.profile,
                origin="a followed show",
            )
        )
        state.have.update((season, e) for e in episodes)
        keys = [(season, e) for e in episodes] + [(season, PACK)]
        await self.follows.found(follow.tmdb_id, keys)
        log.info(
            "new episode of a followed show: %s, release %s found by %s (job %s)",
            label(follow.title, season, episodes), release.name, how, job.id,
        )  # fmt: skip
        return job

    # RSS

    def _remember_names(self, follow: Follow, details: TitleDetails) -> None:
        names = [follow.title, details.title, details.original_title or "", *details.alternative_titles]
        self._names[follow.tmdb_id] = {n for n in map(normalise, names) if n}

    def _matching(self, follows: list[Follow], title: str) -> list[Follow]:
        name = normalise(title)
        return [f for f in follows if name in self._names.get(f.tmdb_id, {normalise(f.title)})]

    async def releases_seen(self, event: ReleasesSeen) -> list[Job]:
        """Releases new in an indexer's feed: any that is a wanted episode of a followed show is taken."""
        candidates = [r for r in event.releases if r.parsed and r.parsed.title and _names_an_episode(r)]
        if not candidates:
            return []
        follows = await self.follows.all()
        if not follows:
            return []
        made: list[Job] = []
        jobs: list[Job] | None = None
        states: dict[tuple[int, int | None], ShowState] = {}
        for release in candidates:
            parsed = release.parsed
            assert parsed is not None and parsed.title is not None
            for follow in self._matching(follows, parsed.title):
                try:
                    if jobs is None:
                        jobs = await self.peers.active_jobs()
                    # a release named by absolute number or date says no season: every wanted one is looked at
                    key = (follow.tmdb_id, parsed.season)
                    if key not in states:
                        only = None if parsed.season is None else {parsed.season}
                        states[key] = await self.state(follow, jobs, only=only)
                    if parsed.season is None:
                        job = await self._consider_by_other_numbers(states[key], release)
                    else:
                        job = await self._consider(states[key], release)
                except (RemoteError, Unavailable) as exc:
                    # Not redelivered: the regular check searches for the episode anyway, and a sighting
                    # retried while a peer is away would only spin.
                    log.warning(
                        "%s from the %s feed not looked at: %s", release.name, release.indexer, exc.message
                    )
                    continue
                if job is not None:
                    made.append(job)
        return made

    async def _consider(self, state: ShowState, release: Release) -> Job | None:
        parsed = release.parsed
        assert parsed is not None and parsed.season is not None
        season = parsed.season
        wanted = {
            e.episode for e in state.wanted if e.season == season and (season, e.episode) not in state.have
        }
        if parsed.episodes:
            episodes = sorted(parsed.episodes)
            if not set(episodes) <= wanted:
                return None
        else:
            details = state.season(season)
            now = self._clock()
            if details is None or not details.episodes or not all(is_out(e, now) for e in details.episodes):
                return None
            episodes = sorted(e.episode for e in details.episodes)
            if not set(episodes) <= wanted:
                return None  # a pack of episodes partly had already: the missing ones come one by one
        return await self._judge_and_take(state, release, season, episodes, EpisodeNumbers())

    async def _consider_by_other_numbers(self, state: ShowState, release: Release) -> Job | None:
        """A release that names no season: an anime's by absolute numbers (`Show - 33`), a daily show's by
        date. Taken when every episode it names is wanted, all of one season."""
        parsed = release.parsed
        assert parsed is not None
        wanted = [e for e in state.wanted if (e.season, e.episode) not in state.have]
        if parsed.air_date is not None:
            found = [e for e in wanted if e.air_date == parsed.air_date]
        else:
            by_absolute = {e.absolute_number: e for e in wanted if e.absolute_number is not None}
            if not parsed.episodes or not set(parsed.episodes) <= by_absolute.keys():
                return None
            found = [by_absolute[n] for n in sorted(set(parsed.episodes))]
        if not found or len({e.season for e in found}) != 1:
            return None
        season, episodes = found[0].season, sorted(e.episode for e in found)
        details = state.season(season)
        numbers = from_season(details, episodes) if details is not None else EpisodeNumbers()
        return await self._judge_and_take(state, release, season, episodes, numbers)

    async def _judge_and_take(
        self, state: ShowState, release: Release, season: int, episodes: list[int], numbers: EpisodeNumbers
    ) -> Job | None:
        """Search's judgement of the release for these episodes (by their other numbers too); taken when
        accepted."""
        one = len(episodes) == 1
        query = FindReleases.for_title(
            state.details,
            season=season,
            episode=episodes[0] if one else None,
            episodes=episodes if numbers.absolute and not one else [],
            absolute_episodes=list(numbers.absolute),
            air_date=numbers.air_date,
            profile=state.follow.profile,
        )
        judged = await self.peers.judge(query, [release])
        accepted = next((r for r in judged.releases if downloadable(r)), None)
        if accepted is None:
            reasons = "; ".join(str(x) for r in judged.rejected for x in r.rejections) or "not accepted"
            log.info("%s from the %s feed not taken: %s", release.name, release.indexer, reasons)
            return None
        return await self._take(state, season, episodes, accepted, how=f"the {release.indexer} feed")
