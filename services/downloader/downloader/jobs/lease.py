"""One replica at a time runs the tick: it holds a key in a NATS key-value bucket whose entries expire.

The holder renews the key every tick with a compare-and-set on its revision; when it dies, the key
expires after the bucket's TTL and the next replica to try creates it.
"""

import logging
from typing import Any

from nats.js.api import KeyValueConfig
from nats.js.errors import KeyWrongLastSequenceError
from nats.js.kv import KeyValue

log = logging.getLogger(__name__)


class Lease:
    def __init__(self, js: Any, *, bucket: str, key: str, holder: str, ttl: float) -> None:
        self._js = js
        self._bucket = bucket
        self._key = key
        self._holder = holder.encode()
        self._ttl = ttl
        self._kv: KeyValue | None = None
        self._revision: int | None = None

    @property
    def held(self) -> bool:
        return self._revision is not None

    async def hold(self) -> bool:
        """Take or renew the lease; False while another replica holds it or NATS cannot say."""
        was_held = self.held
        try:
            kv = await self._open()
            if self._revision is not None:
                try:
                    self._revision = await kv.update(self._key, self._holder, last=self._revision)
                    return True
                except KeyWrongLastSequenceError:
                    self._revision = None  # it expired and another replica took it
            try:
                self._revision = await kv.create(self._key, self._holder)
            except KeyWrongLastSequenceError:
                self._revision = None
        except Exception as exc:  # noqa: BLE001 - NATS down: hold nothing, ask again next tick
            if was_held:
                log.warning("lost the tick lease: %s", exc)
            self._revision = None
            return False
        if self.held and not was_held:
            log.info("holding the tick lease (%s)", self._holder.decode())
        elif was_held and not self.held:
            log.warning("another replica took the tick lease")
        return self.held

    async def release(self) -> None:
        if self._revision is None or self._kv is None:
            return
        try:
            await self._kv.delete(self._key, last=self._revision)
        except Exception:
            log.debug("releasing the tick lease failed", exc_info=True)
        self._revision = None

    async def _open(self) -> KeyValue:
        if self._kv is None:
            try:
                self._kv = await self._js.key_value(self._bucket)
            except Exception:  # noqa: BLE001 - nats-py raises BucketNotFoundError or NotFoundError by version
                self._kv = await self._js.create_key_value(
                    KeyValueConfig(bucket=self._bucket, history=1, ttl=self._ttl)
                )
        return self._kv
