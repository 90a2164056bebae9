"""A TV fan downloads a season and an episode, then follows the show and the next episode arrives by itself:
every service as its own process, driven through the gateway only, with real torrents."""

import filecmp
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from niluflix.demo.swarm import MiB, SeededTorrent, Swarm
from niluflix.demo.torznab import DEMO_TV_SEARCH, TorznabServer
from niluflix.runtime.stack import Stack
from niluflix.testing.tmdb_server import TmdbEpisode, TmdbSeason, TmdbServer, TmdbShow
from niluflix.testing.torrent_daemons import qbittorrent_daemon, transmission_daemon

from .conftest import get_job, loopback_stacks, offered, wait_for

TODAY = datetime.now(UTC).date()
TVDB = 424242
NAMES = {(1, 1): "Pilot", (1, 2): "The Llama", (1, 3): "Home", (2, 1): "Return", (2, 2): "The Bridge"}


def open_show() -> TmdbShow:
    def episode(season: int, number: int, aired) -> TmdbEpisode:
        return TmdbEpisode(number=number, name=NAMES[(season, number)], air_date=aired, runtime=25)

    return TmdbShow(
        id=4242,
        name="Open Show",
        first_air_date="2021-03-01",
        status="Returning Series",
        tvdb_id=TVDB,
        imdb_id="tt4242424",
        episode_run_time=[25],
        seasons=[
            TmdbSeason(number=1, episodes=[episode(1, n, f"2021-03-{n:02d}") for n in (1, 2, 3)]),
            TmdbSeason(
                number=2,
                episodes=[episode(2, 1, TODAY - timedelta(days=10)), episode(2, 2, None)],  # E02: no date yet
            ),
        ],
    )


@dataclass
class TvWorld:
    tmdb: TmdbServer
    show: TmdbShow
    indexer: TorznabServer
    swarm: Swarm
    pack: SeededTorrent
    single: SeededTorrent


def item(release: SeededTorrent, seeders: int, season: int | None = None, episode: int | None = None, **tags):
    return offered(
        release, seeders, tvdb_id=tags.pop("tvdb_id", TVDB), season=season, episode=episode, category=5040
    )


@pytest.fixture
def tv_world(tmp_path: Path) -> Iterator[TvWorld]:
    show = open_show()
    with Swarm(tmp_path / "swarm") as swarm, TmdbServer() as tmdb:
        tmdb.add_show(show)
        suffix = "1080p.WEB.x264-NILU"
        files = {f"Open.Show.S01E{n:02d}.{suffix}.mkv": 2 * MiB + n for n in (1, 2, 3)}
        files["Sample/open.show.s01.sample.mkv"] = MiB // 4
        files["Open.Show.S01E01.en.srt"] = 300
        pack = swarm.seed(f"Open.Show.S01.{suffix}", files=files, nfo=True)
        # Single episodes of season 1: a season request must take the pack instead, one torrent, not three.
        singles = [swarm.create(f"Open.Show.S01E{n:02d}.720p.WEB.x264-NILU", 2 * MiB) for n in (1, 2, 3)]
        single = swarm.seed("Open.Show.S02E01.1080p.WEB.x264-NILU", 2 * MiB)
        other_show = swarm.create("Open.Show.Reloaded.S02E01.1080p.WEB.x264-NILU", 2 * MiB)
        items = [item(pack, 30, 1), item(single, 25, 2, 1), item(other_show, 90, 2, 1, tvdb_id=TVDB + 1)]
        items += [item(s, 40, 1, n) for n, s in enumerate(singles, start=1)]
        with TorznabServer(items, tv_search=DEMO_TV_SEARCH) as indexer:
            yield TvWorld(tmdb=tmdb, show=show, indexer=indexer, swarm=swarm, pack=pack, single=single)


# New episodes are looked for within seconds, not the 15 minutes a user's NiluFlix waits.
QUICK = {
    "NILUFLIX_SEARCH_RSS_INTERVAL": "1",
    "NILUFLIX_DOWNLOADER_MONITOR_INTERVAL": "2",
    "NILUFLIX_CATALOG_CACHE_SHOW_AIRING_TTL": "1",
}


@pytest.fixture
def tv_stack_with(tmp_path: Path, clean_nats: str, tv_world: TvWorld) -> Iterator[Callable[..., Stack]]:
    """`tv_stack_with(torrent_client, database_url=None)`: the whole stack as processes, on this world."""
    with loopback_stacks(tmp_path, clean_nats, tv_world.tmdb, tv_world.indexer) as make:
        yield lambda client, database_url=None: make(client, database_url=database_url, env=QUICK)


@pytest.fixture
def tv_stack(tv_stack_with: Callable[..., Stack]) -> Stack:
    return tv_stack_with({"kind": "embedded"})


@contextmanager
def torrent_client(kind: str, tmp_path: Path) -> Iterator[dict]:
    if kind == "embedded":
        yield {"kind": "embedded"}
        return
    daemon_of = transmission_daemon if kind == "transmission" else qbittorrent_daemon
    with daemon_of(tmp_path / kind) as daemon:
        yield {"kind": kind, "url": daemon.url, "username": daemon.username, "password": daemon.password}


def api(stack: Stack, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(method, f"{stack.gateway_url}{path}", timeout=30, **kwargs)


def states(stack: Stack, season: int) -> dict[int, str]:
    reply = api(stack, "GET", f"/api/tv/4242/season/{season}")
    reply.raise_for_status()
    return {e["episode"]: e["state"] for e in reply.json()["episodes"]}


def completed(stack: Stack, job_id: str) -> dict:
    def done() -> dict | None:
        job = get_job(stack, job_id)
        assert job["state"] not in ("failed", "cancelled"), job
        return job if job["state"] == "completed" else None

    return wait_for(f"download {job_id} to complete", done)


def library_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.e2e
@pytest.mark.parametrize("client", ["embedded", "transmission", "qbittorrent"])
def test_a_season_pack_and_an_episode_land_in_the_library(
    client: str, tv_stack_with, tv_world: TvWorld, tmp_path: Path, request: pytest.FixtureRequest
):
    with torrent_client(client, tmp_path) as config:
        # Transmission's run also keeps its records in PostgreSQL.
        database = request.getfixturevalue("e2e_postgres") if client == "transmission" else None
        stack = tv_stack_with(config, database)
        check_season_pack(stack, tv_world, tmp_path)
        # The second torrent from the same seeder: added by its .torrent file, so no client waits for
        # peers to send its metadata.
        check_single_episode(stack, tv_world, tmp_path)


def check_season_pack(stack: Stack, tv_world: TvWorld, tmp_path: Path) -> None:
    library = tmp_path / "library"
    assert states(stack, 1) == {1: "missing", 2: "missing", 3: "missing"}

    reply = api(stack, "POST", "/api/tv/4242/download", json={"seasons": [1]})
    assert reply.status_code == 202, reply.text
    [job] = reply.json()["jobs"]
    assert (job["season"], job["episodes"]) == (1, [1, 2, 3])
    done = completed(stack, job["id"])
    assert done["release_name"] == tv_world.pack.name, "one pack, not three single episodes"
    assert done["title"] == "Open Show"

    show = "TV Shows/Open Show (2021)"
    wait_for(
        "the season in the library",
        lambda: states(stack, 1) == {1: "in_library", 2: "in_library", 3: "in_library"},
    )
    assert library_files(library) == [
        f"{show}/Season 01/Open Show (2021) - S01E01 - Pilot.en.srt",
        f"{show}/Season 01/Open Show (2021) - S01E01 - Pilot.mkv",
        f"{show}/Season 01/Open Show (2021) - S01E02 - The Llama.mkv",
        f"{show}/Season 01/Open Show (2021) - S01E03 - Home.mkv",
        f"{show}/metadata.json",
    ]
    source = next(f for f in tv_world.pack.files if Path(f.path).name.startswith("Open.Show.S01E02"))
    assert filecmp.cmp(
        library / show / "Season 01/Open Show (2021) - S01E02 - The Llama.mkv", source.source, shallow=False
    )


def check_single_episode(stack: Stack, tv_world: TvWorld, tmp_path: Path) -> None:
    library, show = tmp_path / "library", "TV Shows/Open Show (2021)"
    # One episode by its TMDB id, as the show page's button sends it.
    season_two = api(stack, "GET", "/api/tv/4242/season/2").json()
    assert [e["state"] for e in season_two["episodes"]] == ["missing", "not_aired"]
    reply = api(stack, "POST", f"/api/episodes/{season_two['episodes'][0]['episode_id']}/download")
    assert reply.status_code == 202, reply.text
    done = completed(stack, reply.json()["id"])
    assert done["release_name"] == tv_world.single.name, "the show's own episode, not another show's"
    wait_for("the episode in the library", lambda: states(stack, 2)[1] == "in_library")
    assert (library / show / "Season 02" / "Open Show (2021) - S02E01 - Return.mkv").is_file()

    # Asked again: everything is there, nothing downloads twice.
    reply = api(stack, "POST", "/api/tv/4242/download", json={"seasons": [1, 2]})
    assert reply.status_code == 202 and reply.json()["jobs"] == []
    assert {(s["season"], s["episode"], s["reason"].split(" (")[0]) for s in reply.json()["skipped"]} == {
        (1, 1, "in the library"),
        (1, 2, "in the library"),
        (1, 3, "in the library"),
        (2, 1, "in the library"),
        (2, 2, "not aired yet"),
    }
    shows = api(stack, "GET", "/api/library/tv-shows").json()
    assert [(s["title"], s["seasons"], s["episode_files"]) for s in shows] == [
        ("Open Show", {"1": [1, 2, 3], "2": [1]}, 4)
    ]


@pytest.mark.e2e
def test_a_followed_shows_new_episode_arrives_by_itself(tv_stack: Stack, tv_world: TvWorld, tmp_path: Path):
    stack = tv_stack
    reply = api(stack, "PUT", "/api/tv/4242/follow", json={"mode": "seasons", "seasons": [2]})
    assert reply.status_code == 200, reply.text
    # Following takes what already aired in the chosen season: S02E01.
    wait_for("S02E01 to arrive", lambda: states(stack, 2)[1] == "in_library", timeout=180)
    assert states(stack, 2)[2] == "not_aired"

    # The next episode airs (TMDB gets its date), and its release shows up in the indexer's feed.
    release = tv_world.swarm.seed("Open.Show.S02E02.1080p.WEB.x264-NILU", 2 * MiB)
    tv_world.show.seasons[1].episodes[1].air_date = TODAY - timedelta(days=2)
    tv_world.indexer.add(item(release, 20, 2, 2))

    wait_for("S02E02 to arrive with no user action", lambda: states(stack, 2)[2] == "in_library", timeout=180)
    path = (
        tmp_path
        / "library"
        / "TV Shows/Open Show (2021)/Season 02/Open Show (2021) - S02E02 - The Bridge.mkv"
    )
    assert path.is_file()
    jobs = api(stack, "GET", "/api/downloads/history").json()["jobs"]
    assert release.name in [j["release_name"] for j in jobs]


@pytest.mark.e2e
def test_a_release_picked_for_one_episode_brings_its_pack_named_in_full(
    tv_stack: Stack, tv_world: TvWorld, tmp_path: Path
):
    stack = tv_stack
    # The season's releases, as the show page lists them for a season.
    found = api(stack, "GET", "/api/search/releases", params={"tmdb_id": 4242, "type": "tv", "season": 1})
    assert found.status_code == 200, found.text
    # NiluFlix alone takes a single episode for an episode (a pack brings episodes nobody asked for);
    # the user picks the pack for S01E02.
    [pack] = [r for r in found.json()["releases"] if r["name"] == tv_world.pack.name]

    reply = api(
        stack,
        "POST",
        "/api/tv/4242/download",
        json={"episodes": [{"season": 1, "episode": 2}], "release": pack},
    )
    assert reply.status_code == 202, reply.text
    [job] = reply.json()["jobs"]
    assert (job["season"], job["episodes"], job["release_name"]) == (1, [2], tv_world.pack.name)
    completed(stack, job["id"])

    # The episodes the job did not ask for are filed too (the show lacked them), with their titles.
    wait_for(
        "the pack's episodes in the library",
        lambda: states(stack, 1) == {1: "in_library", 2: "in_library", 3: "in_library"},
    )
    season = tmp_path / "library" / "TV Shows/Open Show (2021)/Season 01"
    assert sorted(p.name for p in season.glob("*.mkv")) == [
        "Open Show (2021) - S01E01 - Pilot.mkv",
        "Open Show (2021) - S01E02 - The Llama.mkv",
        "Open Show (2021) - S01E03 - Home.mkv",
    ]
