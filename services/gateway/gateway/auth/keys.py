"""The API key: from `NILUFLIX_API_KEY`, else generated once and kept encrypted in the gateway's table."""

import logging
import secrets
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.tables import ApiKeyRow
from niluflix.db import make_sessionmaker
from niluflix.secretbox import SecretBox, SecretKeyError

log = logging.getLogger(__name__)

DEFAULT = "default"


def new_key() -> str:
    return secrets.token_hex(16)


async def load_or_create_key(engine: AsyncEngine, box: SecretBox) -> str:
    """The stored key, creating it on first start; safe when several replicas start at once."""
    sessions = make_sessionmaker(engine)
    for _ in range(3):
        async with sessions() as session:
            row = await session.get(ApiKeyRow, DEFAULT)
            if row is not None:
                try:
                    return box.decrypt(row.encrypted_key)
                except SecretKeyError:
                    # A changed secret key makes the old key unreadable for good; a new one keeps the
                    # gateway usable, and the settings page shows it.
                    log.warning(
                        "the stored API key cannot be decrypted (the secret key changed): made a new one"
                    )
                    key = new_key()
                    row.encrypted_key = box.encrypt(key)
                    row.created_at = datetime.now(UTC)
                    await session.commit()
                    return key
            key = new_key()
            session.add(ApiKeyRow(name=DEFAULT, encrypted_key=box.encrypt(key), created_at=datetime.now(UTC)))
            try:
                await session.commit()
            except IntegrityError:
                continue  # another replica stored its key first: use that one
            log.info("generated the API key (shown on the settings page)")
            return key
    raise RuntimeError("could not read or store the API key")
