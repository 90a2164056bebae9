"""The shared settings bucket: secrets sealed at rest, changes reach every watcher."""

import asyncio

import nats
from pydantic import SecretStr

from niluflix.contracts.settings import (
    BUCKET,
    KEY,
    IndexerSettings,
    SharedSettings,
    TorrentClientKind,
    TorrentClientSettings,
)
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings
from niluflix.testing.nats_server import embedded_nats


async def test_saved_settings_reach_another_service_with_secrets_encrypted(clean_nats, tmp_path):
    box = SecretBox.from_env_or_file(tmp_path)
    nc1, nc2 = await nats.connect(clean_nats), await nats.connect(clean_nats)
    try:
        writer, reader = LiveSettings(nc1.jetstream(), box), LiveSettings(nc2.jetstream(), box)
        await writer.start()
        await reader.start()
        seen: list[SharedSettings] = []

        async def listener(s: SharedSettings) -> None:
            seen.append(s)

        reader.on_change(listener)
        new = SharedSettings(
            tmdb_api_key=SecretStr("tmdb-secret-123"),
            library_dir=str(tmp_path / "lib"),
            max_concurrent_downloads=5,
            indexers=[
                IndexerSettings(name="Local", url="http://127.0.0.1:9117/api", api_key=SecretStr("idx-key"))
            ],
        )
        await writer.save(new)
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.02)
        assert reader.value.max_concurrent_downloads == 5
        assert reader.value.tmdb_api_key.get_secret_value() == "tmdb-secret-123"
        assert reader.value.indexers[0].api_key.get_secret_value() == "idx-key"

        raw = (await (await nc1.jetstream().key_value(BUCKET)).get(KEY)).value
        assert b"tmdb-secret-123" not in raw and b"idx-key" not in raw
        assert b"$encrypted" in raw
        await writer.stop()
        await reader.stop()
    finally:
        await nc1.close()
        await nc2.close()


def test_secret_key_file_is_private_and_stable(tmp_path, monkeypatch):
    monkeypatch.delenv("NILUFLIX_SECRET_KEY", raising=False)
    box = SecretBox.from_env_or_file(tmp_path)
    token = box.encrypt("s3cret")
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
    assert SecretBox.from_env_or_file(tmp_path).decrypt(token) == "s3cret"


def test_settings_validation_names_the_field():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="library_dir must be an absolute path"):
        SharedSettings(library_dir="relative/path")
    with pytest.raises(ValidationError, match="needs a url"):
        SharedSettings.model_validate({"torrent_client": {"kind": "transmission"}})


def test_names_with_a_slash_are_refused_but_still_load_when_stored_before():
    import json

    import pytest
    from cryptography.fernet import Fernet
    from pydantic import ValidationError

    from niluflix.settings_store import decode_settings

    named = {
        "quality_profiles": [{"name": "HD/4K"}],
        "default_profile": "HD/4K",
        "indexers": [{"name": "Jackett/1337x", "url": "http://127.0.0.1:9117/api"}],
    }
    with pytest.raises(ValidationError) as refused:
        SharedSettings.model_validate(named)
    assert [e["loc"] for e in refused.value.errors()] == [
        ("indexers", 0, "name"),
        ("quality_profiles", 0, "name"),
    ]
    assert "must not contain '/'" in str(refused.value)
    with pytest.raises(ValidationError, match="must not be '..'"):
        IndexerSettings(name="..", url="http://127.0.0.1:9117/api")

    stored = decode_settings(json.dumps(named).encode(), SecretBox(Fernet.generate_key()))
    assert stored.profile().name == "HD/4K"
    assert stored.indexers[0].name == "Jackett/1337x"


async def test_two_writers_changing_at_once_lose_nothing(tmp_path):
    box = SecretBox.from_env_or_file(tmp_path)
    # A server of its own: no other test's service may write the settings while these two do.
    with embedded_nats(store_dir=tmp_path / "nats") as url:
        await _two_writers(url, box)


async def _two_writers(url: str, box: SecretBox) -> None:
    nc1, nc2 = await nats.connect(url), await nats.connect(url)
    writers = [LiveSettings(nc1.jetstream(), box), LiveSettings(nc2.jetstream(), box)]
    try:
        for writer in writers:
            await writer.start()

        def adding(name: str):
            def change(current: SharedSettings) -> SharedSettings:
                indexer = IndexerSettings(name=name, url=f"http://127.0.0.1:9117/{name}")
                return current.model_copy(update={"indexers": [*current.indexers, indexer]})

            return change

        # Each writer starts from the value it read at start (nothing saved): all but the first save of
        # each round meet a newer revision and must apply their change to it.
        await asyncio.gather(*(writers[n % 2].update(adding(f"i{n}")) for n in range(10)))

        stored = (await (await nc1.jetstream().key_value(BUCKET)).get(KEY)).revision
        _, after, revision = await writers[1].update(lambda current: current)
        assert revision == stored + 1
        assert sorted(i.name for i in after.indexers) == sorted(f"i{n}" for n in range(10))
        for writer in writers:
            await writer.stop()
    finally:
        await nc1.close()
        await nc2.close()


async def test_urls_carrying_credentials_are_sealed_at_rest_and_read_back_whole(clean_nats, tmp_path):
    box = SecretBox.from_env_or_file(tmp_path)
    nc = await nats.connect(clean_nats)
    try:
        live = LiveSettings(nc.jetstream(), box)
        await live.start()
        indexer_url = "http://127.0.0.1:9117/api/v2.0/indexers/x/results/torznab/api?apikey=URL-KEY-123"
        client_url = "http://admin:CLIENT-PASS-456@127.0.0.1:9091/transmission/rpc"
        await live.save(
            SharedSettings(
                library_dir=str(tmp_path / "lib"),
                torrent_client=TorrentClientSettings(kind=TorrentClientKind.TRANSMISSION, url=client_url),
                indexers=[IndexerSettings(name="Jackett", url=indexer_url)],
                tmdb_base_url="https://api.themoviedb.org/3?api_key=TMDB-URL-789",
            )
        )

        raw = (await (await nc.jetstream().key_value(BUCKET)).get(KEY)).value
        for secret in (b"URL-KEY-123", b"CLIENT-PASS-456", b"TMDB-URL-789"):
            assert secret not in raw
        assert b"https://yts.mx/api/v2" in raw  # a URL without a secret stays readable

        reader = LiveSettings(nc.jetstream(), box)
        await reader.start()
        assert reader.value.indexers[0].url == indexer_url
        assert reader.value.torrent_client.url == client_url
        assert reader.value.tmdb_base_url == "https://api.themoviedb.org/3?api_key=TMDB-URL-789"
        await reader.stop()
        await live.stop()
    finally:
        await nc.close()
