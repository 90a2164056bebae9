"""Quality profiles as the other services meet them: chosen per request, edited in the shared settings."""

import asyncio
import json
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from faststream import TestApp
from search.main import create_app
from search.settings import SearchSettings

from niluflix.contracts.common import ErrorCode
from niluflix.contracts.search import RELEASES, FindReleases, RejectionCode, ReleaseList
from niluflix.contracts.settings import IndexerSettings, QualityProfile, SharedSettings
from niluflix.errors import RemoteError
from niluflix.messaging import make_broker, request
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings

SINTEL = FindReleases(tmdb_id=45745, title="Sintel", year=2010, runtime=15)


async def test_a_profile_edited_in_the_settings_judges_the_next_search(
    private_nats: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, torznab, make_item
) -> None:
    monkeypatch.setenv("NILUFLIX_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("NILUFLIX_INDEXERS", json.dumps([]))
    server = torznab(
        [
            make_item("Sintel.2010.1080p.BluRay.x264-DEMO", seeders=40, size=900_000_000),
            make_item("Sintel.2010.720p.BluRay.x264-DEMO", seeders=8, size=500_000_000),
            make_item("Sintel.2010.2160p.UHD.BluRay.x265-FAKE", seeders=900, size=100_000_000),
        ]
    )
    settings = SearchSettings(
        nats_url=private_nats, data_dir=tmp_path, indexer_timeout=2, watch_settings=True
    )
    async with TestApp(create_app(settings)), make_broker(private_nats, name="test-client") as client:
        editor = LiveSettings((await client.connect()).jetstream(), SecretBox.from_env_or_file(tmp_path))
        await editor.start()
        try:
            small = QualityProfile(name="Small screen", qualities=["720p"], allow_other_qualities=False)
            await editor.save(
                SharedSettings(
                    indexers=[IndexerSettings(name="Demo", url=server.url, api_key="niluflix-demo")],
                    quality_profiles=[QualityProfile(name="Standard"), small],
                )
            )
        finally:
            await editor.stop()

        for _ in range(100):  # the watch delivers in about a millisecond; give it plenty
            try:
                chosen = await request(
                    client,
                    RELEASES,
                    SINTEL.model_copy(update={"profile": "small screen"}),
                    ReleaseList,
                    timeout=10,
                )
                break
            except RemoteError:
                await asyncio.sleep(0.05)
        default = await request(client, RELEASES, SINTEL, ReleaseList, timeout=10)
        with pytest.raises(RemoteError) as caught:
            await request(
                client, RELEASES, SINTEL.model_copy(update={"profile": "4K"}), ReleaseList, timeout=10
            )

    assert chosen.profile == "Small screen"
    assert [r.name for r in chosen.releases] == ["Sintel.2010.720p.BluRay.x264-DEMO"]
    assert {r.name: [(x.code, x.message) for x in r.rejections] for r in chosen.rejected} == {
        "Sintel.2010.1080p.BluRay.x264-DEMO": [
            (RejectionCode.QUALITY_NOT_ALLOWED, "1080p is not in profile Small screen")
        ],
        "Sintel.2010.2160p.UHD.BluRay.x265-FAKE": [
            (RejectionCode.QUALITY_NOT_ALLOWED, "2160p is not in profile Small screen"),
            (RejectionCode.FAKE, "fake 2160p: 100 MB for 15 min"),
            (RejectionCode.TOO_SMALL, "too small for 2160p: 100 MB for 15 min"),
        ],
    }
    assert default.profile == "Standard"
    assert [r.name for r in default.releases] == [
        "Sintel.2010.1080p.BluRay.x264-DEMO",
        "Sintel.2010.720p.BluRay.x264-DEMO",
    ]
    assert caught.value.code == ErrorCode.INVALID_REQUEST
    assert "no quality profile named '4K'" in caught.value.message
