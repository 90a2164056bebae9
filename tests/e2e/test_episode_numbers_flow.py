"""Episodes known by other numbers than S02E05 arrive and are filed right: an anime's episode from a fansub
release named by its absolute number, a daily show's from a release named by the day it aired. Every
service as its own process, driven through the gateway only, with real torrents."""

import filecmp
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from niluflix.demo.swarm import MiB, SeededTorrent, Swarm
from niluflix.demo.torznab import DEMO_TV_SEARCH, TorznabServer
from niluflix.runtime.stack import Stack
from niluflix.testing.tmdb_server import TmdbEpisode, TmdbSeason, TmdbServer, TmdbShow

from .conftest import get_job, loopback_stacks, offered, wait_for

TODAY = datetime.now(UTC).date()
ANIME, DAILY = 5151, 6161
ANIME_TVDB, DAILY_TVDB = 515151, 616161


def anime_show() -> TmdbShow:
    """Four episodes in season 1, five in season 2: S02E05 is the show's ninth, by its "Absolute" group."""
    first = [TmdbEpisode(number=n, name=f"Journey {n}", air_date=f"2023-10-{n + 1:02d}") for n in range(1, 5)]
    second = [
        TmdbEpisode(number=n, name=f"Second Journey {n}", air_date=TODAY - timedelta(days=7 * (6 - n)))
        for n in range(1, 6)
    ]
    second[4].name = "The Fifth Step"
    return TmdbShow(
        id=ANIME,
        name="Frieren",
        original_name="葬送のフリーレン",
        original_language="ja",
        first_air_date="2023-09-29",
        genres=["Animation"],
        tvdb_id=ANIME_TVDB,
        episode_run_time=[24],
        seasons=[TmdbSeason(number=1, episodes=first), TmdbSeason(number=2, episodes=second)],
        absolute_order=[(1, n) for n in range(1, 5)] + [(2, n) for n in range(1, 6)],
    )


def daily_show() -> TmdbShow:
    days = [date(2024, 3, 13), date(2024, 3, 14), date(2024, 3, 15)]
    return TmdbShow(
        id=DAILY,
        name="Nightly Talk",
        first_air_date="2015-09-08",
        genres=["Talk"],
        tvdb_id=DAILY_TVDB,
        episode_run_time=[30],
        seasons=[
            TmdbSeason(
                number=9,
                episodes=[
                    TmdbEpisode(number=n, name=f"Guest {n}", air_date=d) for n, d in enumerate(days, 1)
                ],
            )
        ],
    )


@dataclass
class NumbersWorld:
    tmdb: TmdbServer
    indexer: TorznabServer
    fansub: SeededTorrent
    dated: SeededTorrent


def item(release: SeededTorrent, seeders: int, **tags):
    return offered(release, seeders, category=5070 if tags.get("tvdb_id") is None else 5040, **tags)


@pytest.fixture
def numbers_world(tmp_path: Path) -> Iterator[NumbersWorld]:
    with Swarm(tmp_path / "swarm") as swarm, TmdbServer() as tmdb:
        tmdb.add_show(anime_show())
        tmdb.add_show(daily_show())
        # A fansub names no season and no TVDB id: only asking by its absolute number finds it.
        fansub = swarm.seed("[SubsPlease] Frieren - 09 (1080p) [ABCD1234]", 2 * MiB, single_file=True)
        # `- 05` is the show's fifth episode, S02E01: never the S02E05 asked for.
        fifth = swarm.create("[SubsPlease] Frieren - 05 (1080p) [DCBA4321]", 2 * MiB, single_file=True)
        dated = swarm.seed(
            "Nightly.Talk.2024.03.15.Guest.Name.1080p.WEB.h264-NILU", 2 * MiB, single_file=True
        )
        # The day before, tagged with the show's season as indexers do: found beside it, and another day.
        day_before = swarm.create("Nightly.Talk.2024.03.14.Other.Guest.1080p.WEB.h264-NILU", 2 * MiB)
        items = [
            item(fifth, 200),
            item(fansub, 20),
            item(day_before, 200, tvdb_id=DAILY_TVDB, season=9),
            item(dated, 20, tvdb_id=DAILY_TVDB, season=9),
        ]
        with TorznabServer(items, tv_search=DEMO_TV_SEARCH) as indexer:
            yield NumbersWorld(tmdb=tmdb, indexer=indexer, fansub=fansub, dated=dated)


@pytest.fixture
def numbers_stack(tmp_path: Path, clean_nats: str, numbers_world: NumbersWorld) -> Iterator[Stack]:
    with loopback_stacks(tmp_path, clean_nats, numbers_world.tmdb, numbers_world.indexer) as make:
        yield make({"kind": "embedded"})


def api(stack: Stack, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(method, f"{stack.gateway_url}{path}", timeout=30, **kwargs)


def download_episode(stack: Stack, show: int, season: int, episode: int) -> dict:
    reply = api(
        stack, "POST", f"/api/tv/{show}/download", json={"episodes": [{"season": season, "episode": episode}]}
    )
    assert reply.status_code == 202, reply.text
    [job] = reply.json()["jobs"]

    def done() -> dict | None:
        found = get_job(stack, job["id"])
        assert found["state"] not in ("failed", "cancelled"), found
        return found if found["state"] == "completed" else None

    return wait_for(f"download {job['id']} to complete", done)


def states(stack: Stack, show: int, season: int) -> dict[int, str]:
    reply = api(stack, "GET", f"/api/tv/{show}/season/{season}")
    reply.raise_for_status()
    return {e["episode"]: e["state"] for e in reply.json()["episodes"]}


def library_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.e2e
def test_an_anime_episode_by_absolute_number_and_a_daily_episode_by_date_land_in_the_library(
    numbers_stack: Stack, numbers_world: NumbersWorld, tmp_path: Path
):
    stack, library = numbers_stack, tmp_path / "library"

    done = download_episode(stack, ANIME, 2, 5)
    assert done["release_name"] == numbers_world.fansub.name, "the show's ninth episode, not its fifth"
    wait_for("S02E05 in the library", lambda: states(stack, ANIME, 2)[5] == "in_library")
    anime_file = "TV Shows/Frieren (2023)/Season 02/Frieren (2023) - S02E05 - The Fifth Step.mkv"
    assert filecmp.cmp(library / anime_file, numbers_world.fansub.files[0].source, shallow=False)

    done = download_episode(stack, DAILY, 9, 3)
    assert done["release_name"] == numbers_world.dated.name, "the episode's own day, not the day before"
    wait_for("the 15 March episode in the library", lambda: states(stack, DAILY, 9)[3] == "in_library")
    daily_file = "TV Shows/Nightly Talk (2015)/Season 09/Nightly Talk (2015) - 2024-03-15 - Guest 3.mkv"

    assert library_files(library) == [
        anime_file,
        "TV Shows/Frieren (2023)/metadata.json",
        daily_file,
        "TV Shows/Nightly Talk (2015)/metadata.json",
    ]
    items = api(stack, "GET", "/api/library/tv-shows").json()
    assert sorted((s["title"], s["seasons"]) for s in items) == [
        ("Frieren", {"2": [5]}),
        ("Nightly Talk", {"9": [3]}),
    ]
