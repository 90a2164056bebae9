"""The TMDB answer cache, on SQLite and PostgreSQL."""

import logging
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from catalog.cache import ResponseCache
from catalog.errors import TmdbError, TmdbKeyRejected
from catalog.tables import CachedAnswer
from catalog.tmdb.client import CacheLifetimes, TmdbClient
from sqlalchemy import select, update

from niluflix.contracts.catalog import GetTitle, ListTitles, SearchTitles
from niluflix.db import make_async_engine
from niluflix.testing.tmdb_server import TmdbServer

NO_LIFETIME = CacheLifetimes(lists=0, search=0, details=0)


def cached_client(
    http: httpx.AsyncClient,
    tmdb: TmdbServer,
    cache: ResponseCache,
    **kwargs,
) -> TmdbClient:
    kwargs.setdefault("api_key", tmdb.api_key)
    kwargs.setdefault("base_url", tmdb.base_url)
    return TmdbClient(http, cache=cache, **kwargs)


async def test_a_second_call_is_served_without_asking_tmdb(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache
) -> None:
    tmdb_client = cached_client(http, tmdb, cache)

    first = await tmdb_client.details(GetTitle(tmdb_id=45745))
    second = await tmdb_client.details(GetTitle(tmdb_id=45745))
    await tmdb_client.search(SearchTitles(query="sintel"))
    await tmdb_client.search(SearchTitles(query="sintel", page=2))

    assert second == first
    assert tmdb.count("/movie/45745") == 1
    assert tmdb.count("/search/movie") == 2  # another page is another request


async def test_the_cache_survives_a_restart(http: httpx.AsyncClient, tmdb: TmdbServer, migrated) -> None:
    for _ in range(2):  # two service lifetimes on one database
        engine = make_async_engine(migrated.url, schema=migrated.schema)
        try:
            page = await cached_client(http, tmdb, ResponseCache(engine, keep=3600)).popular(ListTitles())
        finally:
            await engine.dispose()
        assert page.results[0].title == "Big Buck Bunny"

    assert tmdb.count("/movie/popular") == 1


async def test_an_expired_answer_is_fetched_again(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache
) -> None:
    tmdb_client = cached_client(http, tmdb, cache, lifetimes=NO_LIFETIME)

    await tmdb_client.popular(ListTitles())
    tmdb.add_movie({"id": 1, "title": "Newcomer", "popularity": 99.0})
    page = await tmdb_client.popular(ListTitles())

    assert page.results[0].title == "Newcomer"
    assert tmdb.count("/movie/popular") == 2


async def test_a_stale_answer_is_served_while_tmdb_is_down(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache, caplog: pytest.LogCaptureFixture
) -> None:
    tmdb_client = cached_client(http, tmdb, cache, lifetimes=NO_LIFETIME)
    fresh = await tmdb_client.details(GetTitle(tmdb_id=45745))
    tmdb.stop()

    with caplog.at_level(logging.WARNING, logger="catalog"):
        stale = await tmdb_client.details(GetTitle(tmdb_id=45745))

    assert stale == fresh
    assert "TMDB failed" in caplog.text and "/movie/45745" in caplog.text
    assert tmdb.api_key not in caplog.text
    # Nothing stale to serve for a movie never asked for: the failure shows.
    with pytest.raises(TmdbError, match="cannot be reached"):
        await tmdb_client.details(GetTitle(tmdb_id=10378))


async def test_a_stale_answer_is_served_through_a_rate_limit(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache
) -> None:
    tmdb_client = cached_client(http, tmdb, cache, lifetimes=NO_LIFETIME)
    await tmdb_client.trending(ListTitles())
    tmdb.rate_limit_next(1, retry_after="600")

    page = await tmdb_client.trending(ListTitles())

    assert page.results[0].title == "Tears of Steel"


async def test_a_rejected_key_is_not_hidden_by_stale_answers(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache
) -> None:
    tmdb_client = cached_client(http, tmdb, cache, lifetimes=NO_LIFETIME)
    await tmdb_client.popular(ListTitles())
    tmdb.api_key = "revoked"  # TMDB no longer accepts the key the client holds

    with pytest.raises(TmdbKeyRejected):
        await tmdb_client.popular(ListTitles())


async def test_another_key_or_base_url_does_not_get_this_sources_answers(
    http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache
) -> None:
    await cached_client(http, tmdb, cache).popular(ListTitles())

    with TmdbServer([{"id": 7, "title": "Elsewhere"}], api_key=tmdb.api_key) as other:
        elsewhere = await cached_client(http, other, cache).popular(ListTitles())
    by_token = await cached_client(http, tmdb, cache, api_key=tmdb.read_token).popular(ListTitles())

    assert [t.title for t in elsewhere.results] == ["Elsewhere"]
    assert by_token.results[0].title == "Big Buck Bunny"
    assert tmdb.count("/movie/popular") == 2


async def test_the_key_is_not_stored(http: httpx.AsyncClient, tmdb: TmdbServer, cache: ResponseCache) -> None:
    await cached_client(http, tmdb, cache).popular(ListTitles())
    await cached_client(http, tmdb, cache, api_key=tmdb.read_token).details(GetTitle(tmdb_id=45745))

    async with cache._engine.connect() as conn:
        rows = (await conn.execute(select(CachedAnswer))).all()

    assert len(rows) == 2
    stored = " ".join(f"{r.source} {r.request} {r.body}" for r in rows)
    assert tmdb.api_key not in stored and tmdb.read_token not in stored
    assert "/movie/popular?page=1" in stored


async def test_old_entries_are_forgotten(http: httpx.AsyncClient, tmdb: TmdbServer, migrated) -> None:
    engine = make_async_engine(migrated.url, schema=migrated.schema)
    try:
        cache = ResponseCache(engine, keep=24 * 3600)
        tmdb_client = cached_client(http, tmdb, cache)
        await tmdb_client.popular(ListTitles())
        await tmdb_client.trending(ListTitles())
        async with engine.begin() as conn:
            await conn.execute(
                update(CachedAnswer)
                .where(CachedAnswer.request.startswith("/movie/popular"))
                .values(fetched_at=datetime.now(UTC) - timedelta(days=2))
            )

        assert await cache.prune() == 1
        async with engine.connect() as conn:
            left = (await conn.execute(select(CachedAnswer.request))).scalars().all()
        assert left == ["/trending/movie/week?page=1"]
    finally:
        await engine.dispose()
