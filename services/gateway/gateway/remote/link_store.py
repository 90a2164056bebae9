"""The remote link as kept in the gateway's table: the refresh token sealed with the secret box."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.tables import RemoteLinkRow
from niluflix.db import make_sessionmaker
from niluflix.secretbox import SecretBox, SecretKeyError

ROW = "default"


@dataclass
class RemoteLink:
    desktop_app_id: str
    enabled: bool = False
    supabase_url: str | None = None
    anon_key: str | None = None
    email: str | None = None
    display_name: str | None = None
    remote_ui_url: str | None = None
    refresh_token: str | None = None  # unsealed, in memory only


class LinkStore:
    def __init__(self, engine: AsyncEngine, box: SecretBox) -> None:
        self._sessions = make_sessionmaker(engine)
        self._box = box

    async def load(self) -> RemoteLink:
        """The saved link; made on first use with a new `desktop_app_id` (once per install)."""
        for _ in range(3):
            async with self._sessions() as session:
                row = await session.get(RemoteLinkRow, ROW)
                if row is not None:
                    return self._link(row)
                row = RemoteLinkRow(
                    name=ROW, desktop_app_id=f"home-{secrets.token_hex(8)}", enabled=False, updated_at=_now()
                )
                session.add(row)
                try:
                    await session.commit()
                except IntegrityError:
                    continue  # another replica made it first: use theirs
                return self._link(row)
        raise RuntimeError("could not read or store the remote link")

    async def save(self, link: RemoteLink) -> None:
        async with self._sessions() as session:
            row = await session.get(RemoteLinkRow, ROW)
            assert row is not None  # load() made it
            row.enabled = link.enabled
            row.supabase_url = link.supabase_url
            row.anon_key = link.anon_key
            row.email = link.email
            row.display_name = link.display_name
            row.remote_ui_url = link.remote_ui_url
            row.sealed_refresh_token = self._seal(link.refresh_token)
            row.updated_at = _now()
            await session.commit()

    async def save_token(self, token: str | None) -> None:
        """The newest refresh token: the one before it is spent (refresh tokens are single-use)."""
        async with self._sessions() as session:
            row = await session.get(RemoteLinkRow, ROW)
            assert row is not None
            row.sealed_refresh_token = self._seal(token)
            row.updated_at = _now()
            await session.commit()

    def _seal(self, token: str | None) -> str | None:
        return self._box.encrypt(token) if token else None

    def _link(self, row: RemoteLinkRow) -> RemoteLink:
        token = None
        if row.sealed_refresh_token:
            try:
                token = self._box.decrypt(row.sealed_refresh_token)
            except SecretKeyError:
                token = None  # a changed secret key: the user signs in again
        return RemoteLink(
            desktop_app_id=row.desktop_app_id,
            enabled=row.enabled,
            supabase_url=row.supabase_url,
            anon_key=row.anon_key,
            email=row.email,
            display_name=row.display_name,
            remote_ui_url=row.remote_ui_url,
            refresh_token=token,
        )


def _now() -> datetime:
    return datetime.now(UTC)
