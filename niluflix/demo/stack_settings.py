"""The offline demo makes itself known to a running stack: its indexer and its quality profile go into the
shared settings in NATS, so a Compose user runs `--profile demo` and downloads without configuring anything.

Only what is missing is added, and a user's own settings are never overwritten: the demo indexer is added
when no indexer has its name, the demo profile when no profile has its name. On a stack whose settings were
never saved the demo profile also becomes the default, as in the demo `niluflix up` runs (there through
the settings' starting values). The save is conditioned on the revision read, so a change made at the same
moment elsewhere is read again, never lost.
"""

import logging

import nats
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from pydantic import SecretStr

from niluflix.contracts.settings import KEY, IndexerSettings, QualityProfile, SharedSettings
from niluflix.demo.profile import DEMO_PROFILE
from niluflix.nats_auth import NatsCredentials, connect_options
from niluflix.secretbox import SecretBox
from niluflix.settings_store import decode_settings, encode_settings, env_settings, open_bucket

log = logging.getLogger(__name__)

DEMO_INDEXER = "NiluFlix Demo"
_ATTEMPTS = 10


def with_demo(
    settings: SharedSettings, indexer_url: str, api_key: str | None, *, fresh: bool
) -> SharedSettings:
    """`settings` with the demo's indexer and profile added where missing (the same object when nothing is)."""
    changes: dict[str, object] = {}
    if not any(i.name.casefold() == DEMO_INDEXER.casefold() for i in settings.indexers):
        indexer = IndexerSettings(
            name=DEMO_INDEXER, url=indexer_url, api_key=SecretStr(api_key) if api_key else None
        )
        changes["indexers"] = [*settings.indexers, indexer]
    if settings.profile(DEMO_PROFILE) is None:
        changes["quality_profiles"] = [
            QualityProfile(name=DEMO_PROFILE, size_limits=[]),
            *settings.quality_profiles,
        ]
        if fresh:
            changes["default_profile"] = DEMO_PROFILE
    if not changes:
        return settings
    return settings.model_copy(update=changes)


async def add_demo_to_settings(
    nats_url: str,
    box: SecretBox,
    indexer_url: str,
    api_key: str | None,
    *,
    credentials: NatsCredentials | None = None,
) -> bool:
    """Add the demo to the shared settings of the stack at `nats_url`; False when it was already there."""
    auth = connect_options(nats_url, credentials)
    nc = await nats.connect(nats_url, connect_timeout=5, max_reconnect_attempts=3, **auth)
    try:
        kv = await open_bucket(nc.jetstream())
        for _ in range(_ATTEMPTS):
            try:
                entry = await kv.get(KEY)
            except KeyNotFoundError:
                entry = None
            fresh = entry is None or not entry.value
            current = env_settings() if fresh else decode_settings(entry.value, box)  # type: ignore[union-attr]
            wanted = with_demo(current, indexer_url, api_key, fresh=fresh)
            if wanted is current:
                log.info("the demo indexer and profile are already in the settings")
                return False
            raw = encode_settings(wanted, box)
            try:
                if fresh and entry is None:
                    await kv.create(KEY, raw)
                else:
                    await kv.update(KEY, raw, last=entry.revision)  # type: ignore[union-attr]
            except KeyWrongLastSequenceError:
                continue  # someone saved in between: read their settings and add to those
            log.info(
                "added the demo indexer %s and the profile %r to the settings", indexer_url, DEMO_PROFILE
            )
            return True
        raise RuntimeError(f"the settings kept changing; gave up adding the demo after {_ATTEMPTS} tries")
    finally:
        await nc.close()
