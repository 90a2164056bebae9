"""The shared settings in the NATS key-value bucket: load, save, and watch for changes.

Stored as JSON where every secret is replaced by `{"$encrypted": <Fernet token>}`: each `SecretStr`, and
each URL that carries a credential (`http://user:pass@host`, `?apikey=...`, see `niluflix.url_secrets`),
which is read back as the same string. Until someone saves
settings, the values come from the `NILUFLIX_*` environment (`SharedSettingsFromEnv`).
"""

import asyncio
import contextlib
import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from nats.js.api import KeyValueConfig
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue
from pydantic import BaseModel, SecretStr

from niluflix.config import SharedSettingsFromEnv
from niluflix.contracts.settings import BUCKET, KEY, STORED, SharedSettings
from niluflix.errors import Conflict
from niluflix.secretbox import SecretBox
from niluflix.url_secrets import has_secrets

log = logging.getLogger(__name__)

ENCRYPTED = "$encrypted"
Listener = Callable[[SharedSettings], Awaitable[None]]
# A change maps the current settings to the new ones (it may raise to refuse); it may be a coroutine.
Change = Callable[[SharedSettings], SharedSettings | Awaitable[SharedSettings]]
# Saves that lose the race to another writer, one after another, before the change is given up.
MAX_CONFLICTS = 10


def _seal(value: Any, box: SecretBox) -> Any:
    if isinstance(value, SecretStr):
        return {ENCRYPTED: box.encrypt(value.get_secret_value())}
    if isinstance(value, str) and has_secrets(value):
        return {ENCRYPTED: box.encrypt(value)}
    if isinstance(value, BaseModel):
        return {k: _seal(getattr(value, k), box) for k in type(value).model_fields}
    if isinstance(value, list):
        return [_seal(v, box) for v in value]
    if isinstance(value, dict):
        return {k: _seal(v, box) for k, v in value.items()}
    return value


def _open(value: Any, box: SecretBox) -> Any:
    if isinstance(value, dict):
        if set(value) == {ENCRYPTED}:
            return box.decrypt(value[ENCRYPTED])
        return {k: _open(v, box) for k, v in value.items()}
    if isinstance(value, list):
        return [_open(v, box) for v in value]
    return value


def encode_settings(settings: SharedSettings, box: SecretBox) -> bytes:
    sealed = _seal(settings, box)
    return json.dumps(sealed, default=str).encode()


def decode_settings(raw: bytes, box: SecretBox) -> SharedSettings:
    return SharedSettings.model_validate(_open(json.loads(raw), box), context=STORED)


def env_settings() -> SharedSettings:
    return SharedSettings.model_validate(SharedSettingsFromEnv().model_dump())


async def open_bucket(js: Any) -> KeyValue:
    try:
        return await js.key_value(BUCKET)
    except Exception:  # noqa: BLE001 - nats-py raises BucketNotFoundError or a plain NotFoundError by version
        return await js.create_key_value(KeyValueConfig(bucket=BUCKET, history=10))


class LiveSettings:
    """The current shared settings of one service, kept up to date by a watch on the bucket."""

    def __init__(self, js: Any, box: SecretBox) -> None:
        self._js = js
        self._box = box
        self._kv: KeyValue | None = None
        self._listeners: list[Listener] = []
        self._task: asyncio.Task | None = None
        self.value: SharedSettings = env_settings()
        self.revision = 0
        self._stopping = False

    def on_change(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def start(self) -> None:
        self._kv = await open_bucket(self._js)
        try:
            entry = await self._kv.get(KEY)
        except KeyNotFoundError:
            entry = None
        if entry is not None and entry.value:
            self.value = decode_settings(entry.value, self._box)
            self.revision = entry.revision or 0
        self._task = asyncio.create_task(self._watch(), name="settings-watch")

    async def stop(self) -> None:
        self._stopping = True
        if self._task:
            # nats-py can swallow a cancel that lands while the watch is being set up: repeat it, a few
            # times only, so a stuck watch can never hold a service's shutdown hostage.
            for _ in range(10):
                if self._task.done():
                    break
                self._task.cancel()
                await asyncio.wait({self._task}, timeout=0.5)
            else:
                log.warning("settings watch did not stop; leaving it")
                return
            # shutting down: how the watch ended is no longer anyone's concern
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def save(self, settings: SharedSettings) -> int:
        """Store these settings whole, whatever is stored now; returns the new revision."""
        _, _, revision = await self.update(lambda _current: settings)
        return revision

    async def update(self, change: Change) -> tuple[SharedSettings, SharedSettings, int]:
        """Store `change(current settings)`, never losing a save another writer made meanwhile.

        The write is conditioned on the revision the current value was read at (a create when nothing is
        stored yet). When another writer (a second gateway) saved in between, the newest value is read
        and `change` applied to it again. Returns the settings before and after, and the new revision.
        """
        assert self._kv is not None, "start() first"
        before, revision = self.value, self.revision
        for _ in range(MAX_CONFLICTS):
            after = change(before)
            if inspect.isawaitable(after):
                after = await after
            raw = encode_settings(after, self._box)
            try:
                if revision:
                    saved = await self._kv.update(KEY, raw, last=revision)
                else:
                    saved = await self._kv.create(KEY, raw)
            except KeyWrongLastSequenceError:
                log.info(
                    "settings changed since revision %d; applying the change to the newer ones", revision
                )
                before, revision = await self._read()
                continue
            await self._apply(after, saved)
            return before, after, saved
        raise Conflict("the settings kept changing while this change was saved; try again")

    async def _read(self) -> tuple[SharedSettings, int]:
        """The stored settings and their revision, straight from the bucket (the watch may lag)."""
        assert self._kv is not None
        try:
            entry = await self._kv.get(KEY)
        except KeyNotFoundError:  # never saved, or deleted: create it
            return env_settings(), 0
        settings = decode_settings(entry.value or b"{}", self._box)
        await self._apply(settings, entry.revision or 0)
        return settings, entry.revision or 0

    async def _apply(self, settings: SharedSettings, revision: int) -> None:
        if revision <= self.revision:
            return
        self.value, self.revision = settings, revision
        for listener in self._listeners:
            try:
                await listener(settings)
            except Exception:
                log.exception("settings listener failed")

    async def _watch(self) -> None:
        assert self._kv is not None
        while not self._stopping:
            try:
                watcher = await self._kv.watch(KEY)
                async for entry in watcher:
                    if (
                        entry is None
                        or entry.value is None
                        or entry.operation is not None
                        and entry.operation != "PUT"
                    ):
                        continue
                    try:
                        settings = decode_settings(entry.value, self._box)
                    except Exception:
                        log.exception("ignoring unreadable settings revision %s", entry.revision)
                        continue
                    await self._apply(settings, entry.revision or 0)
            except asyncio.CancelledError:
                raise
            except Exception:
                if self._stopping:
                    return
                log.warning("settings watch interrupted; watching again", exc_info=True)
                await asyncio.sleep(1)
