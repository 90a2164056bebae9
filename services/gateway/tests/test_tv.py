"""TV endpoints against stand-in catalog, downloader and organizer responders speaking their contracts."""

import asyncio
from datetime import UTC, datetime, time, timedelta
from uuid import uuid4

import httpx

from niluflix.contracts import catalog, downloads, follows, library
from niluflix.contracts.catalog import (
    EpisodeDetails,
    GetEpisode,
    GetSeason,
    GetTitle,
    ListTitles,
    SearchTitles,
    SeasonDetails,
    SeasonSummary,
    TitleDetails,
    TitlePage,
    TitleSummary,
)
from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import (
    CreateDownload,
    DownloadStarted,
    Job,
    JobList,
    JobState,
    ListDownloads,
)
from niluflix.contracts.follows import Follow, FollowList, FollowRef, ListFollows, SetFollow
from niluflix.contracts.library import (
    LibraryItem,
    LibraryItemAdded,
    LibraryList,
    ListLibrary,
    RemovedFromLibrary,
    RemoveFromLibrary,
)
from niluflix.errors import NotFound
from niluflix.messaging import rpc_queue

SHOW = 1399
NOW = datetime.now(UTC)
TODAY = NOW.date()


def episode(season: int, number: int, aired_days_ago: int | None) -> EpisodeDetails:
    """An episode that aired that many days ago (negative: airs later; None: no date yet)."""
    day = None if aired_days_ago is None else TODAY - timedelta(days=aired_days_ago)
    return EpisodeDetails(
        episode_id=season * 1000 + number,
        show_id=SHOW,
        season=season,
        episode=number,
        name=f"Episode {number}",
        air_date=day,
        # as the catalog sets it: noon UTC the day after the air date
        airs_at=None if day is None else datetime.combine(day + timedelta(days=1), time(12), UTC),
    )


SEASONS = {
    0: [episode(0, 1, 400)],
    1: [episode(1, 1, 30), episode(1, 2, 23), episode(1, 3, 16), episode(1, 4, 9)],
    2: [episode(2, 1, 2), episode(2, 2, -5), episode(2, 3, None)],
}
EPISODES = {e.episode_id: e for season in SEASONS.values() for e in season}


def show_details(tmdb_id: int) -> TitleDetails:
    if tmdb_id != SHOW:
        raise NotFound(f"TMDB has no show {tmdb_id}")
    return TitleDetails(
        tmdb_id=SHOW,
        media_type=MediaType.TV,
        title="Open Show",
        year=2024,
        status="Returning Series",
        seasons=[
            SeasonSummary(season=n, episode_count=len(e), air_date=e[0].air_date) for n, e in SEASONS.items()
        ],
        last_episode=SEASONS[2][0],
        next_episode=SEASONS[2][1],
    )


def library_file(season: int, episodes: list[int], tmdb_id: int = SHOW) -> LibraryItem:
    return LibraryItem(
        id=uuid4(),
        media_type=MediaType.TV,
        tmdb_id=tmdb_id,
        title="Open Show",
        year=2024,
        folder="/media/TV Shows/Open Show (2024)",
        path=f"/media/TV Shows/Open Show (2024)/Season {season:02d}/x.mkv",
        size=1000,
        added_at=NOW,
        season=season,
        episodes=episodes,
    )


def tv_job(season: int, episodes: list[int], state: JobState = JobState.DOWNLOADING) -> Job:
    return Job(
        id=uuid4(),
        tmdb_id=SHOW,
        media_type=MediaType.TV,
        title="Open Show",
        state=state,
        season=season,
        episodes=episodes,
        created_at=NOW,
        updated_at=NOW,
    )


class Home:
    """The other services as one household: what is in the library, what downloads, what was asked."""

    def __init__(self) -> None:
        self.library: list[LibraryItem] = [library_file(1, [1])]
        self.jobs: list[Job] = [tv_job(1, [2]), tv_job(1, [3], JobState.FAILED)]
        self.created: list[CreateDownload] = []
        self.library_asks: list[ListLibrary] = []
        self.follows: dict[int, Follow] = {}

    def answer(self, peers) -> None:
        @peers.router.subscriber(catalog.DETAILS, queue=rpc_queue("catalog"))
        async def details(req: GetTitle) -> TitleDetails:
            assert req.media_type is MediaType.TV
            return show_details(req.tmdb_id)

        @peers.router.subscriber(catalog.SEASON, queue=rpc_queue("catalog"))
        async def season(req: GetSeason) -> SeasonDetails:
            if req.tmdb_id != SHOW or req.season not in SEASONS:
                raise NotFound(f"TMDB has no season {req.season} of show {req.tmdb_id}")
            return SeasonDetails(tmdb_id=SHOW, season=req.season, episodes=SEASONS[req.season])

        @peers.router.subscriber(catalog.EPISODE, queue=rpc_queue("catalog"))
        async def one_episode(req: GetEpisode) -> EpisodeDetails:
            if req.episode_id not in EPISODES:
                raise NotFound(f"no episode with id {req.episode_id}: open its season first")
            return EPISODES[req.episode_id]

        @peers.router.subscriber(library.LIST, queue=rpc_queue("organizer"))
        async def listing(req: ListLibrary) -> LibraryList:
            self.library_asks.append(req)
            return LibraryList(
                items=[
                    i
                    for i in self.library
                    if req.tmdb_id in (None, i.tmdb_id) and req.media_type == i.media_type
                ]
            )

        @peers.router.subscriber(downloads.LIST, queue=rpc_queue("downloader"))
        async def jobs(req: ListDownloads) -> JobList:
            return JobList(
                jobs=[
                    j
                    for j in self.jobs
                    if (req.states is None or j.state in req.states)
                    and req.tmdb_id in (None, j.tmdb_id)
                    and req.media_type in (None, j.media_type)
                ]
            )

        @peers.router.subscriber(downloads.CREATE, queue=rpc_queue("downloader"))
        async def create(req: CreateDownload) -> Job:
            self.created.append(req)
            return tv_job(req.season or 0, req.episodes, JobState.QUEUED)

        @peers.router.subscriber(follows.SET, queue=rpc_queue("downloader"))
        async def follow(req: SetFollow) -> Follow:
            show = show_details(req.tmdb_id)
            earlier = self.follows.get(req.tmdb_id)
            self.follows[req.tmdb_id] = Follow(
                **req.model_dump(), title=show.title, created_at=earlier.created_at if earlier else NOW
            )
            return self.follows[req.tmdb_id]

        @peers.router.subscriber(follows.REMOVE, queue=rpc_queue("downloader"))
        async def unfollow(req: FollowRef) -> Follow:
            if req.tmdb_id not in self.follows:
                raise NotFound(f"show {req.tmdb_id} is not followed")
            return self.follows.pop(req.tmdb_id)

        @peers.router.subscriber(follows.LIST, queue=rpc_queue("downloader"))
        async def followed(req: ListFollows) -> FollowList:
            return FollowList(follows=list(self.follows.values()))


async def test_lists_and_search_ask_the_catalog_for_shows(peers, client: httpx.AsyncClient) -> None:
    asked: list[ListTitles | SearchTitles] = []
    show = TitleSummary(tmdb_id=SHOW, media_type=MediaType.TV, title="Open Show", year=2024)

    @peers.router.subscriber(catalog.POPULAR, queue=rpc_queue("catalog"))
    async def popular(req: ListTitles) -> TitlePage:
        asked.append(req)
        return TitlePage(results=[show])

    @peers.router.subscriber(catalog.TRENDING, queue=rpc_queue("catalog"))
    async def trending(req: ListTitles) -> TitlePage:
        asked.append(req)
        return TitlePage(results=[show])

    @peers.router.subscriber(catalog.SEARCH, queue=rpc_queue("catalog"))
    async def search(req: SearchTitles) -> TitlePage:
        asked.append(req)
        return TitlePage(results=[show])

    await peers.start()
    assert (await client.get("/api/tv/popular", params={"page": 2})).json()["results"][0][
        "media_type"
    ] == "tv"
    assert (await client.get("/api/tv/trending", params={"window": "day"})).status_code == 200
    assert (await client.get("/api/tv/trending")).status_code == 200
    assert (await client.get("/api/tv/search/open show")).status_code == 200
    assert [(a.media_type, a.page) for a in asked] == [(MediaType.TV, 2)] + [(MediaType.TV, 1)] * 3
    assert [getattr(a, "window", None) for a in asked[1:3]] == ["day", "week"]
    assert asked[3].query == "open show"

    r = await client.get("/api/tv/trending", params={"window": "month"})
    assert r.status_code == 422 and "window" in r.json()["detail"]


async def test_a_season_says_where_each_episode_stands(peers, client: httpx.AsyncClient) -> None:
    home = Home()
    home.answer(peers)
    await peers.start()

    r = await client.get(f"/api/tv/{SHOW}/season/1")
    assert r.status_code == 200
    states = {e["episode"]: (e["state"], e["job_id"]) for e in r.json()["episodes"]}
    assert states == {
        1: ("in_library", None),
        2: ("downloading", str(home.jobs[0].id)),
        3: ("missing", None),  # its download failed: it is missing again, not downloading
        4: ("missing", None),
    }
    r = await client.get(f"/api/tv/{SHOW}/season/2")
    assert [e["state"] for e in r.json()["episodes"]] == ["missing", "not_aired", "not_aired"]
    assert home.library_asks[0].tmdb_id == SHOW and home.library_asks[0].media_type is MediaType.TV


async def test_download_a_season_asks_for_the_aired_missing_episodes(
    peers, client: httpx.AsyncClient
) -> None:
    home = Home()
    home.answer(peers)
    await peers.start()

    r = await client.post(f"/api/tv/{SHOW}/download", json={"seasons": [1]})
    assert r.status_code == 202
    # Episode 1 is in the library; episode 2 is downloading, which the downloader answers with that download.
    assert [(c.season, c.episodes, c.media_type) for c in home.created] == [(1, [2, 3, 4], MediaType.TV)]
    assert r.json()["skipped"] == [{"season": 1, "episode": 1, "reason": "in the library"}]

    home.created.clear()
    r = await client.post(f"/api/tv/{SHOW}/download", json={"seasons": [1], "missing_only": False})
    assert [c.episodes for c in home.created] == [[1, 2, 3, 4]] and r.json()["skipped"] == []


async def test_download_the_whole_show_skips_specials_and_unaired(peers, client: httpx.AsyncClient) -> None:
    home = Home()
    home.answer(peers)
    await peers.start()

    r = await client.post(f"/api/tv/{SHOW}/download")
    assert r.status_code == 202
    assert [(c.season, c.episodes) for c in home.created] == [(1, [2, 3, 4]), (2, [1])]
    assert len(r.json()["jobs"]) == 2
    reasons = {(s["season"], s["episode"]): s["reason"] for s in r.json()["skipped"]}
    assert reasons == {
        (1, 1): "in the library",
        (2, 2): f"not aired yet (airs {(TODAY + timedelta(days=5)).isoformat()})",
        (2, 3): "not aired yet (no air date)",
    }

    home.created.clear()
    r = await client.post(
        f"/api/tv/{SHOW}/download", json={"seasons": [0], "episodes": [{"season": 2, "episode": 1}]}
    )
    assert [(c.season, c.episodes) for c in home.created] == [(0, [1]), (2, [1])]


async def test_download_episodes_by_number_and_by_id(peers, client: httpx.AsyncClient) -> None:
    home = Home()
    home.answer(peers)
    await peers.start()

    r = await client.post(
        f"/api/tv/{SHOW}/download",
        json={"episodes": [{"season": 1, "episode": 4}, {"season": 1, "episode": 3}], "profile": "standard"},
    )
    assert r.status_code == 202
    assert [(c.season, c.episodes, c.profile) for c in home.created] == [(1, [3, 4], "Standard")]

    home.created.clear()
    r = await client.post("/api/episodes/2001/download")
    assert r.status_code == 202 and r.json()["season"] == 2 and r.json()["episodes"] == [1]
    assert [(c.tmdb_id, c.season, c.episodes) for c in home.created] == [(SHOW, 2, [1])]

    r = await client.post("/api/episodes/1001/download")
    assert r.status_code == 409 and r.json()["detail"] == "S01E01: in the library"
    r = await client.post("/api/episodes/1001/download", params={"replace": "true"})
    assert r.status_code == 202
    r = await client.post("/api/episodes/2002/download")
    assert r.status_code == 409
    assert r.json()["detail"] == f"S02E02: not aired yet (airs {(TODAY + timedelta(days=5)).isoformat()})"
    r = await client.post(f"/api/tv/{SHOW}/download", json={"episodes": [{"season": 2, "episode": 3}]})
    assert r.status_code == 409 and r.json()["detail"] == "not aired yet: S02E03 (no air date)"
    assert [(c.season, c.episodes, c.replace) for c in home.created] == [(2, [1], False), (1, [1], True)]


async def test_download_a_season_or_an_episode_by_a_picked_release(peers, client: httpx.AsyncClient) -> None:
    home = Home()
    home.answer(peers)
    await peers.start()
    pack = {
        "name": "Open.Show.S01.1080p.WEB.x264-GRP",
        "indexer": "Demo",
        "magnet_uri": "magnet:?xt=urn:btih:" + "a" * 40,
    }

    r = await client.post(f"/api/tv/{SHOW}/download", json={"seasons": [1], "release": pack})
    assert r.status_code == 202, r.text
    r = await client.post(
        f"/api/tv/{SHOW}/download", json={"episodes": [{"season": 1, "episode": 3}], "release": pack}
    )
    assert r.status_code == 202, r.text
    assert [(c.season, c.episodes, c.release.name if c.release else None) for c in home.created] == [
        (1, [2, 3, 4], pack["name"]),
        (1, [3], pack["name"]),
    ]

    # One release is one download: it cannot stand for several seasons, or for the whole show.
    for body in (
        {"release": pack},
        {"seasons": [1, 2], "release": pack},
        {"seasons": [1], "episodes": [{"season": 2, "episode": 1}], "release": pack},
    ):
        r = await client.post(f"/api/tv/{SHOW}/download", json=body)
        assert r.status_code == 422, body
        assert "a picked release downloads one season or episodes of one season" in r.json()["detail"]
    assert len(home.created) == 2


async def test_bad_shows_seasons_and_episodes_get_a_reason(peers, client: httpx.AsyncClient) -> None:
    home = Home()
    home.answer(peers)
    await peers.start()

    r = await client.get("/api/tv/7/season/1")
    assert r.status_code == 404 and r.json()["detail"] == "TMDB has no season 1 of show 7"
    r = await client.get(f"/api/tv/{SHOW}/season/9")
    assert r.status_code == 404
    r = await client.post(f"/api/tv/{SHOW}/download", json={"seasons": [9]})
    assert r.status_code == 404 and r.json()["detail"] == "Open Show has no season 9 (seasons: 0, 1, 2)"
    r = await client.post(f"/api/tv/{SHOW}/download", json={"episodes": [{"season": 1, "episode": 40}]})
    assert r.status_code == 404 and r.json()["detail"] == "Open Show has no episode S01E40"
    r = await client.post("/api/tv/7/download")
    assert r.status_code == 404 and r.json()["detail"] == "TMDB has no show 7"
    r = await client.post("/api/episodes/99999/download")
    assert r.status_code == 404 and "open its season first" in r.json()["detail"]
    for path in (f"/api/tv/{SHOW}/season/-1", "/api/tv/0", "/api/tv/abc/season/1", "/api/tv/search/%20"):
        r = await client.get(path)
        assert r.status_code == 422, path
    r = await client.post(f"/api/tv/{SHOW}/download", json={"episodes": [{"season": 1, "episode": 0}]})
    assert r.status_code == 422 and "episode" in r.json()["detail"]
    r = await client.post(f"/api/tv/{SHOW}/download", json={"profile": "Ultra"})
    assert r.status_code == 422 and "Ultra" in r.json()["detail"]
    assert home.created == []


async def test_library_groups_episode_files_by_show(peers, client: httpx.AsyncClient) -> None:
    home = Home()
    home.library = [library_file(1, [2]), library_file(1, [1]), library_file(2, [1, 2]), library_file(0, [1])]
    other = library_file(1, [5], tmdb_id=42).model_copy(
        update={"title": "Another Show", "folder": "/media/TV Shows/Another Show (2001)", "year": 2001}
    )
    home.library.append(other)
    home.answer(peers)
    await peers.start()

    r = await client.get("/api/library/tv-shows")
    assert r.status_code == 200
    assert [(s["title"], s["seasons"], s["episode_files"], s["size"]) for s in r.json()] == [
        ("Another Show", {"1": [5]}, 1, 1000),
        ("Open Show", {"0": [1], "1": [1, 2], "2": [1, 2]}, 4, 4000),
    ]


async def test_the_season_view_follows_download_and_library_events(peers, client: httpx.AsyncClient) -> None:
    """The show page polls: the gateway answers from memory, and an event about the show refreshes it."""
    home = Home()
    home.answer(peers)
    await peers.start()

    async def states() -> dict[int, str]:
        r = await client.get(f"/api/tv/{SHOW}/season/1")
        return {e["episode"]: e["state"] for e in r.json()["episodes"]}

    assert (await states())[3] == "missing"
    started = tv_job(1, [3])
    home.jobs.append(started)
    assert (await states())[3] == "missing"  # nothing said so yet: the answer in memory stands

    await peers.broker.publish(DownloadStarted(job=started), downloads.STARTED)
    assert await _eventually(lambda: states(), lambda s: s[3] == "downloading")

    home.jobs.remove(started)
    home.library.append(library_file(1, [3]))
    item = home.library[-1]
    await peers.broker.publish(LibraryItemAdded(item=item), library.ADDED)
    assert await _eventually(lambda: states(), lambda s: s[3] == "in_library")


async def _eventually(get, check, seconds: float = 5.0) -> bool:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        if check(await get()):
            return True
        await asyncio.sleep(0.05)
    return False


async def test_remove_from_the_library(peers, client: httpx.AsyncClient) -> None:
    home = Home()
    asked: list[RemoveFromLibrary] = []

    @peers.router.subscriber(library.REMOVE, queue=rpc_queue("organizer"))
    async def remove(req: RemoveFromLibrary) -> RemovedFromLibrary:
        asked.append(req)
        if req.item_ids and req.item_ids[0] not in {i.id for i in home.library}:
            raise NotFound(f"no library item with id {req.item_ids[0]}")
        removed = [i for i in home.library if i.id in req.item_ids or i.tmdb_id == req.tmdb_id]
        home.library = [i for i in home.library if i not in removed]
        return RemovedFromLibrary(
            removed=removed, deleted_files=[i.path for i in removed] if req.delete_files else []
        )

    home.answer(peers)
    await peers.start()
    assert (await client.get(f"/api/tv/{SHOW}/season/1")).json()["episodes"][0]["state"] == "in_library"

    item = home.library[0]
    r = await client.delete(f"/api/library/items/{item.id}", params={"delete_files": "true"})
    assert r.status_code == 204
    assert (asked[-1].item_ids, asked[-1].delete_files) == ([item.id], True)
    # The show page shows it missing at once: the gateway forgot what it kept of the show.
    assert (await client.get(f"/api/tv/{SHOW}/season/1")).json()["episodes"][0]["state"] == "missing"

    r = await client.delete(f"/api/library/items/{uuid4()}")
    assert r.status_code == 404 and "no library item" in r.json()["detail"]
    r = await client.delete("/api/library/items/not-an-id")
    assert r.status_code == 422 and "item_id" in r.json()["detail"]

    r = await client.delete(f"/api/library/tv-shows/{SHOW}")
    assert r.status_code == 204
    assert (asked[-1].tmdb_id, asked[-1].media_type, asked[-1].delete_files) == (SHOW, MediaType.TV, False)


async def test_follow_a_show_and_see_what_it_wants(peers, client: httpx.AsyncClient) -> None:
    home = Home()
    home.answer(peers)
    await peers.start()

    r = await client.get(f"/api/tv/{SHOW}/follow")
    assert r.json() == {"following": False, "mode": None, "seasons": [], "profile": None}
    r = await client.put(f"/api/tv/{SHOW}/follow", json={"mode": "seasons", "seasons": [2], "profile": "4k"})
    assert r.status_code == 200 and (r.json()["mode"], r.json()["seasons"], r.json()["profile"]) == (
        "seasons",
        [2],
        "4K",
    )
    # Season 1 is not followed: its aired, missing episodes stay "missing"; season 2's are "wanted".
    r = await client.get(f"/api/tv/{SHOW}/season/1")
    assert [e["state"] for e in r.json()["episodes"]] == ["in_library", "downloading", "missing", "missing"]
    r = await client.get(f"/api/tv/{SHOW}/season/2")
    assert [e["state"] for e in r.json()["episodes"]] == ["wanted", "not_aired", "not_aired"]
    r = await client.get(f"/api/tv/{SHOW}/follow")
    assert r.json() == {"following": True, "mode": "seasons", "seasons": [2], "profile": "4K"}
    assert [f["tmdb_id"] for f in (await client.get("/api/tv/followed")).json()["follows"]] == [SHOW]

    r = await client.put(f"/api/tv/{SHOW}/follow", json={"mode": "seasons"})
    assert r.status_code == 422 and "needs at least one season" in r.json()["detail"]
    r = await client.put(f"/api/tv/{SHOW}/follow", json={"mode": "sometimes"})
    assert r.status_code == 422 and "mode" in r.json()["detail"]
    r = await client.put("/api/tv/7/follow", json={})
    assert r.status_code == 404 and r.json()["detail"] == "TMDB has no show 7"

    assert (await client.delete(f"/api/tv/{SHOW}/follow")).status_code == 204
    r = await client.get(f"/api/tv/{SHOW}/season/2")
    assert r.json()["episodes"][0]["state"] == "missing"
    r = await client.delete(f"/api/tv/{SHOW}/follow")
    assert r.status_code == 404 and "not followed" in r.json()["detail"]


async def test_the_calendar_lists_followed_shows_episodes_around_today(
    peers, client: httpx.AsyncClient
) -> None:
    home = Home()
    home.answer(peers)
    await peers.start()
    assert (await client.get("/api/calendar")).json()["episodes"] == []

    await client.put(f"/api/tv/{SHOW}/follow", json={"mode": "all"})
    r = await client.get("/api/calendar", params={"days_back": 20, "days_ahead": 7})
    assert r.status_code == 200
    assert r.json()["start"] == (TODAY - timedelta(days=20)).isoformat()
    assert [(e["season"], e["episode"], e["state"], e["show_title"]) for e in r.json()["episodes"]] == [
        (1, 3, "wanted", "Open Show"),
        (1, 4, "wanted", "Open Show"),
        (2, 1, "wanted", "Open Show"),
        (2, 2, "not_aired", "Open Show"),
    ]
    r = await client.get("/api/calendar", params={"days_back": 0, "days_ahead": 0})
    assert r.json()["episodes"] == []
    r = await client.get("/api/calendar", params={"days_ahead": 365})
    assert r.status_code == 422 and "days_ahead" in r.json()["detail"]
