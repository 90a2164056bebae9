"""The demo joins a Compose stack by itself: its indexer and profile go into the shared settings in NATS,
once, without overwriting what the user saved."""

import nats
from cryptography.fernet import Fernet
from pydantic import SecretStr

from niluflix import nats_auth
from niluflix.contracts.settings import KEY, IndexerSettings
from niluflix.demo.profile import DEMO_PROFILE
from niluflix.demo.stack_settings import DEMO_INDEXER, add_demo_to_settings
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings, open_bucket
from niluflix.testing.nats_server import embedded_nats

URL = "http://demo:7990/api"


async def test_a_fresh_stack_gets_the_demo_indexer_and_profile_as_default(clean_nats):
    box = SecretBox(Fernet.generate_key())
    nc = await nats.connect(clean_nats)
    try:
        live = LiveSettings(nc.jetstream(), box)
        await live.start()
        assert await add_demo_to_settings(clean_nats, box, URL, "niluflix-demo") is True

        kv = await open_bucket(nc.jetstream())
        raw = (await kv.get(KEY)).value
        assert b"niluflix-demo" not in raw, "the indexer key is sealed like every secret"
        await live.stop()
        fresh = LiveSettings(nc.jetstream(), box)
        await fresh.start()
        settings = fresh.value
        (indexer,) = settings.indexers
        assert (indexer.name, indexer.url, indexer.api_key.get_secret_value()) == (
            DEMO_INDEXER,
            URL,
            "niluflix-demo",
        )
        assert settings.default_profile == DEMO_PROFILE
        assert settings.profile(DEMO_PROFILE).size_limits == [], "the demo's small files must pass"
        # the starting values from the environment come along, so nothing else changes for the services
        assert settings.quality_profiles[1:] == LiveSettings(nc.jetstream(), box).value.quality_profiles

        assert await add_demo_to_settings(clean_nats, box, URL, "niluflix-demo") is False
        assert (await kv.get(KEY)).revision == fresh.revision, "a second start writes nothing"
        await fresh.stop()
    finally:
        await nc.close()


async def test_saved_settings_are_kept_and_the_default_profile_stays_the_users(clean_nats):
    box = SecretBox(Fernet.generate_key())
    nc = await nats.connect(clean_nats)
    try:
        live = LiveSettings(nc.jetstream(), box)
        await live.start()
        mine = IndexerSettings(name="Prowlarr", url="http://prowlarr:9696/1/api", api_key=SecretStr("k"))
        await live.save(live.value.model_copy(update={"indexers": [mine], "default_profile": "4K"}))

        assert await add_demo_to_settings(clean_nats, box, URL, "niluflix-demo") is True

        await live.stop()
        after = LiveSettings(nc.jetstream(), box)
        await after.start()
        assert [i.name for i in after.value.indexers] == ["Prowlarr", DEMO_INDEXER]
        assert after.value.indexers[0].api_key.get_secret_value() == "k"
        assert after.value.default_profile == "4K"
        assert after.value.profile(DEMO_PROFILE) is not None
        await after.stop()
    finally:
        await nc.close()


async def test_the_demo_joins_a_stack_whose_nats_admits_only_niluflix(tmp_path):
    # Compose's NATS asks for the user and password init made; the demo reads them like the services.
    credentials = nats_auth.load_or_create(tmp_path / "nats-credentials.json")
    box = SecretBox(Fernet.generate_key())
    with embedded_nats(credentials=credentials) as url:
        assert await add_demo_to_settings(url, box, URL, "niluflix-demo", credentials=credentials) is True
        nc = await nats.connect(url, user=credentials.user, password=credentials.password)
        try:
            live = LiveSettings(nc.jetstream(), box)
            await live.start()
            assert [i.name for i in live.value.indexers] == [DEMO_INDEXER]
            await live.stop()
        finally:
            await nc.close()
