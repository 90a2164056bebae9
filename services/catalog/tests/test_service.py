"""The catalog service over real NATS, on SQLite and PostgreSQL, as other services and the gateway see it."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from catalog.main import create_app
from catalog.settings import CatalogSettings
from faststream import TestApp
from faststream.nats import NatsBroker
from pydantic import SecretStr

from niluflix.contracts import catalog as contract
from niluflix.contracts.catalog import (
    EpisodeDetails,
    GetEpisode,
    GetSeason,
    GetTitle,
    ListTitles,
    SearchTitles,
    SeasonDetails,
    TitleDetails,
    TitlePage,
)
from niluflix.contracts.common import ErrorCode, HealthRequest, ServiceHealth, health_subject
from niluflix.contracts.settings import SharedSettings
from niluflix.errors import RemoteError
from niluflix.messaging import ERROR_HEADER, request
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings
from niluflix.testing.tmdb_server import TmdbServer, TmdbShow

TIMEOUT = 10


@pytest.fixture
def settings(private_nats: str, migrated, tmp_path: Path) -> CatalogSettings:
    return CatalogSettings(
        nats_url=private_nats,
        data_dir=tmp_path / "data",
        database_url=migrated.url,
        database_schema=migrated.schema,
    )


@asynccontextmanager
async def running(settings: CatalogSettings) -> AsyncIterator[NatsBroker]:
    """The catalog service, and a NATS client to talk to it."""
    async with TestApp(create_app(settings)), NatsBroker(settings.nats_url) as client:
        yield client


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    # Settings reach the service through a KV watch: wait for it, without asserting how fast.
    for _ in range(200):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


async def popular_titles(client: NatsBroker) -> list[str]:
    page = await request(client, contract.POPULAR, ListTitles(), TitlePage, timeout=TIMEOUT)
    return [t.title for t in page.results]


async def test_each_subject_answers_from_the_sample_without_a_key(settings: CatalogSettings) -> None:
    async with running(settings) as client:
        popular = await request(client, contract.POPULAR, ListTitles(), TitlePage, timeout=TIMEOUT)
        trending = await request(client, contract.TRENDING, ListTitles(), TitlePage, timeout=TIMEOUT)
        found = await request(
            client, contract.SEARCH, SearchTitles(query="tears"), TitlePage, timeout=TIMEOUT
        )
        sintel = await request(
            client, contract.DETAILS, GetTitle(tmdb_id=45745), TitleDetails, timeout=TIMEOUT
        )
        health = await request(
            client, health_subject("catalog"), HealthRequest(), ServiceHealth, timeout=TIMEOUT
        )

    assert popular.total_results == 10 and popular.results[0].title == "Big Buck Bunny"
    assert trending.total_results == 10
    assert [t.title for t in found.results] == ["Tears of Steel"]
    assert (sintel.title, sintel.imdb_id) == ("Sintel", "tt1727587")
    assert health.ok and health.service == "catalog"
    assert [c.name for c in health.checks] == ["database", "source"]
    assert "sample catalog" in health.checks[1].detail


async def test_shows_from_the_sample_without_a_key(settings: CatalogSettings) -> None:
    async with running(settings) as client:
        popular = await request(
            client, contract.POPULAR, ListTitles(media_type="tv"), TitlePage, timeout=TIMEOUT
        )
        found = await request(
            client, contract.SEARCH, SearchTitles(query="camin", media_type="tv"), TitlePage, timeout=TIMEOUT
        )
        show = await request(
            client,
            contract.DETAILS,
            GetTitle(tmdb_id=9_000_102, media_type="tv"),
            TitleDetails,
            timeout=TIMEOUT,
        )
        season = await request(
            client, contract.SEASON, GetSeason(tmdb_id=9_000_102, season=2), SeasonDetails, timeout=TIMEOUT
        )
        episode = await request(
            client,
            contract.EPISODE,
            GetEpisode(episode_id=season.episodes[0].episode_id),
            EpisodeDetails,
            timeout=TIMEOUT,
        )

    assert {t.title for t in popular.results} == {"Caminandes", "Blender Studio Shorts"}
    assert all(t.media_type == "tv" for t in popular.results)
    assert [t.title for t in found.results] == ["Caminandes"]
    assert (show.status, [s.season for s in show.seasons]) == ("Returning Series", [1, 2])
    assert [e.name for e in season.episodes] == ["Coffee Run", "Wing It!"]
    assert (episode.name, episode.season, episode.episode, episode.absolute_number) == ("Coffee Run", 2, 1, 4)


async def test_shows_seasons_and_episodes_from_tmdb(
    settings: CatalogSettings, tmdb: TmdbServer, pioneer_one: TmdbShow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NILUFLIX_TMDB_API_KEY", tmdb.api_key)
    monkeypatch.setenv("NILUFLIX_TMDB_BASE_URL", tmdb.base_url)
    third_id = pioneer_one.seasons[0].episodes[2].id
    assert third_id is not None

    async with running(settings) as client:
        trending = await request(
            client, contract.TRENDING, ListTitles(media_type="tv", window="day"), TitlePage, timeout=TIMEOUT
        )
        show = await request(
            client, contract.DETAILS, GetTitle(tmdb_id=30804, media_type="tv"), TitleDetails, timeout=TIMEOUT
        )
        with pytest.raises(RemoteError) as unseen:
            await request(
                client, contract.EPISODE, GetEpisode(episode_id=third_id), EpisodeDetails, timeout=TIMEOUT
            )
        season = await request(
            client, contract.SEASON, GetSeason(tmdb_id=30804, season=1), SeasonDetails, timeout=TIMEOUT
        )
        with pytest.raises(RemoteError) as no_season:
            await request(
                client, contract.SEASON, GetSeason(tmdb_id=30804, season=9), SeasonDetails, timeout=TIMEOUT
            )
    async with running(settings) as client:  # a restart keeps the episodes it has seen
        third = await request(
            client,
            contract.EPISODE,
            GetEpisode(episode_id=third_id),
            EpisodeDetails,
            timeout=TIMEOUT,
        )

    assert trending.results[0].title == "Pioneer One"
    assert (show.title, show.tvdb_id, show.status) == ("Pioneer One", 170551, "Ended")
    assert unseen.value.code is ErrorCode.NOT_FOUND
    assert "ask for its show's season first" in unseen.value.message
    assert len(season.episodes) == 6
    assert (no_season.value.code, no_season.value.message) == (
        ErrorCode.NOT_FOUND,
        "TMDB has no season 9 of Pioneer One",
    )
    assert (third.name, third.episode) == ("Part 3", 3)


@pytest.mark.parametrize(
    ("subject", "payload", "code", "message"),
    [
        (contract.DETAILS, GetTitle(tmdb_id=4242), ErrorCode.NOT_FOUND, "no movie with id 4242"),
        (
            contract.DETAILS,
            GetTitle(tmdb_id=4242, media_type="tv"),
            ErrorCode.NOT_FOUND,
            "the sample catalog has no show with id 4242",
        ),
        (
            contract.SEASON,
            GetSeason(tmdb_id=9_000_101, season=9),
            ErrorCode.NOT_FOUND,
            "the sample catalog has no season 9 of Caminandes",
        ),
        (contract.EPISODE, GetEpisode(episode_id=77), ErrorCode.NOT_FOUND, "no episode with id 77"),
    ],
)
async def test_typed_errors(
    settings: CatalogSettings, subject: str, payload: object, code: ErrorCode, message: str
) -> None:
    async with running(settings) as client:
        with pytest.raises(RemoteError) as caught:
            await request(client, subject, payload, TitlePage, timeout=TIMEOUT)

    assert caught.value.code is code
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (contract.POPULAR, {"page": 0}),
        (contract.TRENDING, {"window": "month"}),
        (contract.SEARCH, {"query": ""}),
        (contract.DETAILS, {"tmdb_id": "x"}),
        (contract.SEASON, {"tmdb_id": 1, "season": -1}),
        (contract.EPISODE, {"episode_id": 0}),
    ],
)
async def test_malformed_requests_get_invalid_request(
    settings: CatalogSettings, subject: str, body: dict
) -> None:
    async with running(settings) as client:
        reply = await client.request(body, subject, timeout=TIMEOUT)

    assert reply.headers[ERROR_HEADER] == ErrorCode.INVALID_REQUEST


async def test_tmdb_from_the_environment_and_a_cache_that_survives_a_restart(
    settings: CatalogSettings, tmdb: TmdbServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NILUFLIX_TMDB_API_KEY", tmdb.api_key)
    monkeypatch.setenv("NILUFLIX_TMDB_BASE_URL", tmdb.base_url)

    async with running(settings) as client:
        first = await popular_titles(client)
        details = await request(
            client, contract.DETAILS, GetTitle(tmdb_id=10378), TitleDetails, timeout=TIMEOUT
        )
        health = await request(
            client, health_subject("catalog"), HealthRequest(), ServiceHealth, timeout=TIMEOUT
        )
    async with running(settings) as client:
        again = await popular_titles(client)
        with pytest.raises(RemoteError) as caught:
            await request(client, contract.DETAILS, GetTitle(tmdb_id=4242), TitleDetails, timeout=TIMEOUT)

    assert first == again == ["Big Buck Bunny", "Sintel", "Tears of Steel"]
    assert details.poster_url == "https://image.tmdb.org/t/p/w500/bbb.jpg"
    assert health.ok and health.checks[1].detail == f"TMDB at {tmdb.base_url}"
    assert tmdb.count("/movie/popular") == 1  # the second service lifetime answered from the cache
    assert caught.value.code is ErrorCode.NOT_FOUND


async def test_a_key_saved_in_settings_switches_the_source_live(
    settings: CatalogSettings, tmdb: TmdbServer
) -> None:
    box = SecretBox.from_env_or_file(settings.data_dir)
    async with running(settings) as client:
        shared = LiveSettings((await client.connect()).jetstream(), box)
        await shared.start()
        try:
            sample = await popular_titles(client)

            await shared.save(
                SharedSettings(tmdb_api_key=SecretStr(tmdb.read_token), tmdb_base_url=tmdb.base_url)
            )
            await eventually(
                lambda: _answers(client, "Big Buck Bunny", "Sintel", "Tears of Steel"), "TMDB answers"
            )
            health = await request(
                client, health_subject("catalog"), HealthRequest(), ServiceHealth, timeout=TIMEOUT
            )

            await shared.save(SharedSettings(tmdb_api_key=SecretStr("wrong"), tmdb_base_url=tmdb.base_url))
            await eventually(lambda: _fails(client, "TMDB rejected the API key"), "the wrong key is reported")

            await shared.save(SharedSettings(tmdb_api_key=None, tmdb_base_url=tmdb.base_url))
            await eventually(lambda: _answers(client, *sample), "the sample is back")
            back = await popular_titles(client)
        finally:
            await shared.stop()

    assert "Sprite Fright" in sample
    assert health.checks[1].detail == f"TMDB at {tmdb.base_url}"
    assert tmdb.requests[0].auth == "bearer"
    assert back == sample


async def _answers(client: NatsBroker, *titles: str) -> bool:
    try:
        return await popular_titles(client) == list(titles)
    except RemoteError:
        return False


async def _fails(client: NatsBroker, message: str) -> bool:
    try:
        await popular_titles(client)
    except RemoteError as exc:
        return exc.code is ErrorCode.UPSTREAM and message in exc.message
    return False
