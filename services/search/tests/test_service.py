"""The search service as other services see it: requests over a real NATS server, typed replies and errors."""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from faststream import TestApp
from faststream.nats import NatsBroker
from search.main import create_app
from search.settings import SearchSettings

from niluflix.contracts.common import ErrorCode, HealthRequest, MediaType, ServiceHealth, health_subject
from niluflix.contracts.search import RELEASES, FindReleases, RejectionCode, ReleaseList
from niluflix.contracts.settings import IndexerSettings, SharedSettings
from niluflix.errors import RemoteError
from niluflix.messaging import ERROR_HEADER, make_broker, request
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings

SINTEL = FindReleases(tmdb_id=45745, title="Sintel", year=2010, imdb_id="tt1727587")
HEALTH = health_subject("search")


@pytest.fixture
def running(private_nats: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable:
    """Start the service (as `python -m search` would, minus the process) and a client broker beside it."""
    monkeypatch.setenv("NILUFLIX_SECRET_KEY", Fernet.generate_key().decode())

    @asynccontextmanager
    async def run(indexers: list[dict] | None = None, **overrides) -> AsyncIterator[NatsBroker]:
        monkeypatch.setenv("NILUFLIX_INDEXERS", json.dumps(indexers or []))
        overrides.setdefault("watch_settings", False)
        settings = SearchSettings(nats_url=private_nats, data_dir=tmp_path, indexer_timeout=1, **overrides)
        async with TestApp(create_app(settings)), make_broker(private_nats, name="test-client") as client:
            yield client

    return run


async def test_releases_are_found_ranked_and_explained(running, torznab, make_item) -> None:
    good = torznab(
        [
            make_item("Sintel.2010.720p.BluRay.x264-DEMO", seeders=80, imdb_id="tt1727587"),
            make_item("Sintel.2010.1080p.BluRay.x264-DEMO", seeders=8, imdb_id="tt1727587"),
            make_item("Sintel.2010.1080p.WEB-DL-DEAD", seeders=0, imdb_id="tt1727587"),
        ]
    )
    locked = torznab(
        [make_item("Sintel.2010.1080p.BluRay.x264-LOCKED", imdb_id="tt1727587")], api_key="other"
    )
    indexers = [
        {"name": "Demo", "url": good.url, "api_key": "niluflix-demo"},
        {"name": "Locked", "url": locked.url, "api_key": "niluflix-demo"},
    ]
    async with running(indexers) as client:
        reply = await request(client, RELEASES, SINTEL, ReleaseList, timeout=10)

    assert [r.name for r in reply.releases] == [
        "Sintel.2010.1080p.BluRay.x264-DEMO",
        "Sintel.2010.720p.BluRay.x264-DEMO",
    ]
    best = reply.releases[0]
    assert best.info_hash and best.magnet_uri and best.parsed.resolution == "1080p" and best.seeders == 8
    # typed on the wire: the code for programs, the words for people
    assert [(r.name, [(x.code, x.message) for x in r.rejections]) for r in reply.rejected] == [
        ("Sintel.2010.1080p.WEB-DL-DEAD", [(RejectionCode.NO_SEEDERS, "no seeders")])
    ]
    assert [(r.indexer, r.ok, r.count, r.error) for r in reply.indexers] == [
        ("Demo", True, 3, None),
        ("Locked", False, 0, "Invalid API Key (Torznab error 100)"),
    ]


async def test_health_lists_each_indexer(running, torznab) -> None:
    server = torznab()
    indexers = [
        {"name": "Demo", "url": server.url, "api_key": "niluflix-demo"},
        {"name": "Off", "url": server.url, "enabled": False},
    ]
    async with running(indexers) as client:
        health = await request(client, HEALTH, HealthRequest(), ServiceHealth, timeout=10)
    assert (health.service, health.ok) == ("search", True)
    assert [(c.name, c.kind, c.ok, c.detail) for c in health.checks] == [
        ("indexer:Demo", "indexer", True, "ready: movie search by IMDb id"),
        ("indexer:Off", "indexer", True, "disabled"),
    ]


async def test_no_indexer_yet_is_healthy_and_says_what_to_do(running, torznab) -> None:
    """A fresh install has no indexer: that is a step to take in Settings, not a broken service."""
    async with running([]) as client:
        health = await request(client, HEALTH, HealthRequest(), ServiceHealth, timeout=10)
    assert (health.service, health.ok) == ("search", True)
    assert [(c.name, c.ok, c.detail) for c in health.checks] == [
        ("indexers", True, "no indexer yet: add an indexer in Settings")
    ]
    server = torznab()
    async with running([{"name": "Off", "url": server.url, "enabled": False}]) as client:
        health = await request(client, HEALTH, HealthRequest(), ServiceHealth, timeout=10)
    assert health.ok and [(c.name, c.detail) for c in health.checks] == [
        ("indexers", "no indexer yet: add an indexer in Settings"),
        ("indexer:Off", "disabled"),
    ]


@pytest.mark.parametrize(
    ("payload", "code", "message"),
    [
        (SINTEL.model_dump(mode="json"), ErrorCode.UNAVAILABLE, "no indexer is configured"),
        ({"tmdb_id": 1, "title": " "}, ErrorCode.INVALID_REQUEST, "a title is needed"),
        ({"tmdb_id": "not a number"}, ErrorCode.INVALID_REQUEST, "title"),
    ],
    ids=["no-indexers", "blank-title", "malformed"],
)
async def test_bad_requests_get_typed_error_replies(
    running, payload: dict, code: ErrorCode, message: str
) -> None:
    async with running([]) as client:
        reply = await client.request(json.dumps(payload).encode(), RELEASES, timeout=10)
    assert reply.headers[ERROR_HEADER] == code.value
    assert message in json.loads(reply.body)["message"]


async def test_all_indexers_failing_is_an_upstream_error(running, torznab) -> None:
    server = torznab(api_key="right")
    async with running([{"name": "Demo", "url": server.url, "api_key": "wrong"}]) as client:
        with pytest.raises(RemoteError) as caught:
            await request(client, RELEASES, SINTEL, ReleaseList, timeout=10)
    assert caught.value.code == ErrorCode.UPSTREAM
    assert caught.value.message == "every indexer failed (Demo: Invalid API Key (Torznab error 100))"


async def test_indexers_saved_in_the_shared_settings_are_used_without_a_restart(
    running, torznab, make_item, private_nats: str, tmp_path: Path
) -> None:
    server = torznab([make_item("Sintel.2010.1080p.BluRay.x264-DEMO", imdb_id="tt1727587")])
    async with running([], watch_settings=True) as client:
        with pytest.raises(RemoteError) as caught:
            await request(client, RELEASES, SINTEL, ReleaseList, timeout=10)
        assert caught.value.code == ErrorCode.UNAVAILABLE

        # What the gateway does when the user adds an indexer in Settings.
        settings_js = (await client.connect()).jetstream()
        editor = LiveSettings(settings_js, SecretBox.from_env_or_file(tmp_path))
        await editor.start()
        try:
            indexer = IndexerSettings(name="Demo", url=server.url, api_key="niluflix-demo")
            await editor.save(SharedSettings(indexers=[indexer]))
        finally:
            await editor.stop()

        health = await request(client, HEALTH, HealthRequest(), ServiceHealth, timeout=10)
        for _ in range(100):  # the watch delivers in about a millisecond; give it plenty
            if health.checks and health.checks[0].name == "indexer:Demo":
                break
            await asyncio.sleep(0.05)
            health = await request(client, HEALTH, HealthRequest(), ServiceHealth, timeout=10)
        assert [(c.name, c.ok) for c in health.checks] == [("indexer:Demo", True)]
        reply = await request(client, RELEASES, SINTEL, ReleaseList, timeout=10)
    assert [r.name for r in reply.releases] == ["Sintel.2010.1080p.BluRay.x264-DEMO"]


FARGO = FindReleases(
    tmdb_id=60622,
    media_type=MediaType.TV,
    title="Fargo",
    year=2014,
    imdb_id="tt2802850",
    tvdb_id=269613,
    runtime=53,
    season=1,
    episodes=[2, 3],
    season_episodes=10,
)


async def test_a_shows_episodes_are_found_with_what_each_release_covers(running, torznab, make_item) -> None:
    def item(title: str, size: float, **tags):
        return make_item(title, size=int(size * 1e9), category=5040, **tags)

    server = torznab(
        [
            item("Fargo.S01.1080p.BluRay.x264-ROVERS", 30, tvdb_id=269613),
            item("Fargo.S01E01-E03.1080p.WEB-DL.DD5.1.H.264-NTb", 6, tvdb_id=269613),
            item("Fargo.S01E03.1080p.WEB-DL.DD5.1.H.264-NTb", 2, tvdb_id=269613, season=1, episode=3),
            item("Fargo.S01E05.1080p.WEB-DL.DD5.1.H.264-NTb", 2, tvdb_id=269613, season=1, episode=5),
            item("Fargo.North.Dakota.S01E02.1080p.WEB-DL.DD5.1.H.264-NTb", 2),
            item("Fargo.S01E02.2160p.WEB-DL.x265-FAKE", 0.2, tvdb_id=269613),
            item("Fargo.S01E02.1080p.WEB-DL.x264-OTHER", 2, tvdb_id=81189),
        ],
        tv_search="q,season,ep,tvdbid,imdbid",
    )
    async with running([{"name": "Demo", "url": server.url, "api_key": "niluflix-demo"}]) as client:
        reply = await request(client, RELEASES, FARGO, ReleaseList, timeout=10)

    # several episodes wanted: a season search brings the pack and the single episodes alike; by the ids
    # first (nothing here is tagged with the IMDb id too), then by the title
    # (the service also reads the feed of newest releases at start: not a search for this show)
    searches = [q for q in server.queries if q["t"] != "caps" and q.get("q") != ""]
    assert [{k: v for k, v in q.items() if k not in ("cat", "limit")} for q in searches] == [
        {"t": "tvsearch", "imdbid": "2802850", "tvdbid": "269613", "season": "1"},
        {"t": "tvsearch", "q": "Fargo", "season": "1"},
    ]
    assert [(r.name, r.covers.season_pack, r.covers.wanted) for r in reply.releases] == [
        ("Fargo.S01.1080p.BluRay.x264-ROVERS", True, [2, 3]),
        ("Fargo.S01E01-E03.1080p.WEB-DL.DD5.1.H.264-NTb", False, [2, 3]),
        ("Fargo.S01E03.1080p.WEB-DL.DD5.1.H.264-NTb", False, [3]),
    ]
    assert reply.releases[2].tvdb_id == 269613 and reply.releases[2].episode == 3
    assert {r.name: [(x.code, x.message) for x in r.rejections] for r in reply.rejected} == {
        "Fargo.S01E05.1080p.WEB-DL.DD5.1.H.264-NTb": [
            (RejectionCode.WRONG_EPISODE, "another episode: S01E05")
        ],
        "Fargo.North.Dakota.S01E02.1080p.WEB-DL.DD5.1.H.264-NTb": [
            (RejectionCode.TITLE_MISMATCH, "another show: Fargo North Dakota")
        ],
        "Fargo.S01E02.2160p.WEB-DL.x265-FAKE": [
            (RejectionCode.FAKE, "fake 2160p: 200 MB for 53 min"),
            (RejectionCode.TOO_SMALL, "too small for 2160p: 200 MB for 53 min"),
        ],
        "Fargo.S01E02.1080p.WEB-DL.x264-OTHER": [
            (RejectionCode.WRONG_ID, "the indexer says it is TVDB 81189, not TVDB 269613")
        ],
    }


async def test_a_film_search_never_picks_the_show_of_its_name(running, torznab, make_item) -> None:
    server = torznab(
        [
            # tagged with the film's IMDb id by a careless indexer: still the show's season, never the film
            make_item(
                "Fargo.S01.1080p.BluRay.x264-ROVERS", size=30_000_000_000, seeders=900, imdb_id="tt0116282"
            ),
            make_item(
                "Fargo.1996.1080p.BluRay.x264-AMIABLE", size=9_000_000_000, seeders=20, imdb_id="tt0116282"
            ),
        ]
    )
    film = FindReleases(tmdb_id=275, title="Fargo", year=1996, imdb_id="tt0116282", runtime=98)
    async with running([{"name": "Demo", "url": server.url, "api_key": "niluflix-demo"}]) as client:
        reply = await request(client, RELEASES, film, ReleaseList, timeout=10)
    assert [r.name for r in reply.releases] == ["Fargo.1996.1080p.BluRay.x264-AMIABLE"]
    assert reply.releases[0].covers is None
    assert [(r.name, [x.message for x in r.rejections]) for r in reply.rejected] == [
        (
            "Fargo.S01.1080p.BluRay.x264-ROVERS",
            ["a show's season S01, not a film", "too big for 1080p: 30.0 GB for 98 min"],
        )
    ]
