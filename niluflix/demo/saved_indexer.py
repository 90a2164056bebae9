"""When the demo's indexer had to take another port, the saved settings follow it.

Until someone saves settings, every service takes the demo indexer from `NILUFLIX_INDEXERS`, which the
supervisor fills with the current URL. Once settings are saved (any change in Settings), the saved copy keeps
the URL of that day; if that port is taken at a later start, the demo listens elsewhere and the saved URL
would point at nothing. So the demo, before it says it is ready (and so before the services start), moves
every saved indexer that points at one of its earlier addresses to the new one: a change conditioned on the
settings' revision (`LiveSettings.update`), so it never overwrites a save made meanwhile.
"""

import asyncio
import logging
from pathlib import Path

import nats

from niluflix.contracts.settings import SharedSettings
from niluflix.nats_auth import NatsCredentials, connect_options
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings

log = logging.getLogger(__name__)

TIMEOUT = 15.0  # seconds; after that the demo starts anyway and says why the saved URL is left as it is


def repointed(settings: SharedSettings, old_urls: set[str], new_url: str) -> SharedSettings:
    indexers = [i.model_copy(update={"url": new_url}) if i.url in old_urls else i for i in settings.indexers]
    return settings.model_copy(update={"indexers": indexers})


async def _follow(
    nats_url: str, credentials: NatsCredentials | None, data_dir: Path, old_urls: set[str], new_url: str
) -> list[str]:
    auth = connect_options(nats_url, credentials)
    nc = await nats.connect(nats_url, connect_timeout=5, allow_reconnect=False, **auth)
    try:
        box = await asyncio.to_thread(SecretBox.from_env_or_file, data_dir)
        live = LiveSettings(nc.jetstream(), box)
        await live.start()
        try:
            if live.revision == 0 or not any(i.url in old_urls for i in live.value.indexers):
                return []  # nothing saved, or nothing saved points at the demo's old address
            _, after, _ = await live.update(lambda current: repointed(current, old_urls, new_url))
            return [i.name for i in after.indexers if i.url == new_url]
        finally:
            await live.stop()
    finally:
        await nc.close()


def follow_new_port(
    nats_url: str | None,
    data_dir: Path,
    old_urls: set[str],
    new_url: str,
    *,
    credentials: NatsCredentials | None = None,
) -> None:
    """Point saved indexers at `old_urls` to `new_url`; never keeps the demo from starting."""
    old_urls = old_urls - {new_url}
    if not old_urls or not nats_url:
        return
    try:
        moved = asyncio.run(
            asyncio.wait_for(_follow(nats_url, credentials, data_dir, old_urls, new_url), TIMEOUT)
        )
    except Exception as exc:  # noqa: BLE001 - the demo runs anyway; the log says what to fix by hand
        log.warning("could not point the saved demo indexer at %s (edit it in Settings): %s", new_url, exc)
        return
    if moved:
        log.info("the saved indexer(s) %s now point at %s (the demo's port moved)", ", ".join(moved), new_url)
