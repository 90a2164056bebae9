"""'Test connection' as the gateway asks it: `search.v1.indexers.test` over real NATS, answered in words."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from faststream import TestApp
from faststream.nats import NatsBroker
from search.main import create_app
from search.settings import SearchSettings

from niluflix.contracts.search import TEST_INDEXER, IndexerTestResult, TestIndexer
from niluflix.contracts.settings import IndexerSettings
from niluflix.messaging import make_broker, request
from niluflix.testing.net import free_port


@pytest.fixture
async def client(
    private_nats: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[NatsBroker]:
    monkeypatch.setenv("NILUFLIX_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("NILUFLIX_INDEXERS", "[]")
    settings = SearchSettings(
        nats_url=private_nats, data_dir=tmp_path, indexer_timeout=1, watch_settings=False
    )
    async with TestApp(create_app(settings)), make_broker(private_nats, name="test-client") as broker:
        yield broker


async def test_connection(client: NatsBroker, url: str, api_key: str | None) -> IndexerTestResult:
    indexer = IndexerSettings(name="New", url=url, api_key=api_key)
    return await request(client, TEST_INDEXER, TestIndexer(indexer=indexer), IndexerTestResult, timeout=10)


test_connection.__test__ = False  # a helper, not a test


async def test_a_working_indexer_says_what_it_can_and_what_it_found(client, torznab, make_item) -> None:
    server = torznab(
        [make_item("Sintel.2010.1080p.BluRay.x264-DEMO"), make_item("Big.Buck.Bunny.2008.720p-DEMO")],
        api_key="only-this-key",
    )

    result = await test_connection(client, server.url, "only-this-key")

    assert result.ok
    assert result.message == "Works: movie search by IMDb id; 2 releases in a sample search"
    assert result.releases == 2 and 2000 in result.categories
    assert [q["t"] for q in server.queries] == ["caps", "search"]


async def test_a_wrong_key_or_a_dead_address_is_said_in_words(client, torznab) -> None:
    server = torznab([], api_key="right")

    wrong = await test_connection(client, server.url, "wrong")
    dead = await test_connection(client, f"http://127.0.0.1:{free_port()}/api", "right")

    assert not wrong.ok
    assert wrong.message == "Failed while reading its capabilities: Invalid API Key (Torznab error 100)"
    assert not dead.ok and dead.message.startswith(
        "Failed while reading its capabilities: cannot reach the indexer"
    )
    assert "right" not in dead.message


async def test_a_slow_indexer_fails_the_test_within_the_timeout(client, torznab) -> None:
    server = torznab([], delay=3)
    result = await test_connection(client, server.url, "niluflix-demo")
    assert (result.ok, result.message) == (
        False,
        "Failed while reading its capabilities: no answer within 1 s",
    )
