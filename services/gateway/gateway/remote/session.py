"""A signed-in supabase-py client, as the home keeps one.

supabase-py keeps its session in a storage it is given; ours keeps the session in memory and saves the
refresh token, sealed, after every change (sign-in, each refresh): refresh tokens are single-use, so the one
saved before a refresh is spent once the refresh is done. The password is used for the one sign-in and
forgotten.

The refreshing is ours, not supabase-py's timer: its auto-refresh stops silently after about 100 s of network
failures, and a timer racing our own refresh would spend the same single-use token twice (the loser is told
"Already Used", which looks like a revoked login). So every request first makes sure the JWT has 30 s left,
refreshing under one lock, and a request PostgREST still refuses as expired or invalid (PGRST303, PGRST301) is
retried once after a refresh (skipped when another request refreshed meanwhile).
"""

import asyncio
import base64
import binascii
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from postgrest.exceptions import APIError
from supabase import AsyncClient, AsyncClientOptions
from supabase_auth import AsyncSupportedStorage
from supabase_auth.errors import AuthApiError, AuthError, AuthRetryableError, AuthSessionMissingError

from niluflix.errors import InvalidRequest, UpstreamError

log = logging.getLogger(__name__)

T = TypeVar("T")
SaveToken = Callable[[str | None], Awaitable[None]]
EXPIRED_JWT = {"PGRST301", "PGRST303"}
REQUEST_TIMEOUT = 15.0
FRESH_FOR = 30.0  # seconds a JWT must still be valid for before a request goes out with it


class SecretKeyRefused(InvalidRequest):
    """A service-role key: it bypasses row-level security, so the home never keeps one."""


class LoginRefused(InvalidRequest):
    """Supabase refused the email and password (or the saved refresh token): its reason, in words."""


class ProjectUnreachable(UpstreamError):
    """The Supabase project did not answer, or answered with something that is not Supabase."""


def check_public_key(key: str) -> None:
    """Refuse a key that bypasses row-level security: `sb_secret_…`, or a JWT whose role is service_role."""
    key = key.strip()
    if key.startswith("sb_secret_"):
        raise SecretKeyRefused(
            "this is a secret (sb_secret_) key, which bypasses row-level security: enter the project's "
            "publishable or anon key"
        )
    if _jwt_role(key) == "service_role":
        raise SecretKeyRefused(
            "this is the service_role key, which bypasses row-level security: enter the project's anon key"
        )


def _jwt_role(key: str) -> str | None:
    parts = key.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    return claims.get("role") if isinstance(claims, dict) else None


class SealedTokenStorage(AsyncSupportedStorage):
    def __init__(self, save_token: SaveToken) -> None:
        self._items: dict[str, str] = {}
        self._save_token = save_token
        self._saved: str | None = None

    async def get_item(self, key: str) -> str | None:
        return self._items.get(key)

    async def set_item(self, key: str, value: str) -> None:
        self._items[key] = value
        token = json.loads(value).get("refresh_token")
        if token and token != self._saved:
            await self._save_token(token)
            self._saved = token

    async def remove_item(self, key: str) -> None:
        # supabase-py also calls this when it finds nothing stored: the saved token stays until disable.
        self._items.pop(key, None)

    def current(self) -> dict | None:
        """The session as supabase-py saved it last (access and refresh token, expires_at)."""
        for value in self._items.values():
            return json.loads(value)
        return None


class RemoteSession:
    """One signed-in client; `user_id` is the Supabase user the rows belong to."""

    def __init__(self, client: AsyncClient, storage: SealedTokenStorage, user_id: str) -> None:
        self.client = client
        self.user_id = user_id
        self._storage = storage
        self._refreshing = asyncio.Lock()

    @classmethod
    async def sign_in(
        cls, url: str, key: str, email: str, password: str, save_token: SaveToken
    ) -> "RemoteSession":
        client, storage = await _client(url, key, save_token)
        try:
            found = await client.auth.sign_in_with_password({"email": email, "password": password})
        except AuthRetryableError as exc:
            await _close(client)
            raise ProjectUnreachable(f"the Supabase project at {url} did not answer: {exc.message}") from exc
        except AuthError as exc:
            await _close(client)
            raise LoginRefused(f"Supabase refused the sign-in: {exc.message}") from exc
        except (httpx.HTTPError, ValueError) as exc:
            await _close(client)
            raise ProjectUnreachable(f"{url} does not answer as a Supabase project: {exc}") from exc
        assert found.user is not None
        return cls(client, storage, found.user.id)

    @classmethod
    async def resume(cls, url: str, key: str, refresh_token: str, save_token: SaveToken) -> "RemoteSession":
        """The saved login again, by its refresh token (which this spends and replaces)."""
        client, storage = await _client(url, key, save_token)
        try:
            found = await client.auth.refresh_session(refresh_token)
        except BaseException:
            await _close(client)
            raise
        assert found.user is not None
        return cls(client, storage, found.user.id)

    async def run(self, request: Callable[[AsyncClient], Awaitable[T]]) -> T:
        """`request` built on the client and sent; once more after a refresh when the JWT has expired."""
        await self.fresh()
        used = self._access_token()
        try:
            return await request(self.client)
        except APIError as exc:
            if exc.code not in EXPIRED_JWT:
                raise
            log.info("remote access: Supabase says the session expired (%s); refreshing it", exc.code)
        await self.refresh(stale=used)
        return await request(self.client)

    async def fresh(self) -> None:
        """Refresh now when the JWT expires within FRESH_FOR seconds (realtime needs a valid one too)."""
        current = self._storage.current()
        if current is None or (current.get("expires_at") or 0) - time.time() <= FRESH_FOR:
            await self.refresh(stale=self._access_token())

    async def refresh(self, *, stale: str | None = None) -> None:
        """A new JWT (and refresh token). With `stale`: only if the JWT is still that one (another request
        may have refreshed it meanwhile)."""
        async with self._refreshing:
            current = self._storage.current()
            if current is None:
                raise AuthSessionMissingError()
            if stale is not None and current.get("access_token") != stale:
                return
            if current.get("expires_at", 0) - time.time() > FRESH_FOR and stale is None:
                return
            await self.client.auth.refresh_session(current["refresh_token"])

    def _access_token(self) -> str | None:
        current = self._storage.current()
        return current.get("access_token") if current else None

    async def sign_out(self) -> None:
        try:
            await self.client.auth.sign_out()
        except (AuthError, httpx.HTTPError) as exc:
            log.info(
                "remote access: signing out at Supabase did not work (%s); the token is forgotten here", exc
            )
        await self.close()

    async def close(self) -> None:
        await _close(self.client)


async def _client(url: str, key: str, save_token: SaveToken) -> tuple[AsyncClient, SealedTokenStorage]:
    storage = SealedTokenStorage(save_token)
    options = AsyncClientOptions(
        storage=storage,
        # One connection pool for auth and PostgREST, closed with the session (supabase-py makes a PostgREST
        # client per token otherwise, and closes none of them).
        httpx_client=httpx.AsyncClient(timeout=REQUEST_TIMEOUT),
        auto_refresh_token=False,  # see the module's docstring
        persist_session=True,
        # The default 5 tries (about 15 s) give up for good; polling stays the source of truth either way.
        realtime={"max_retries": 10000},
        postgrest_client_timeout=REQUEST_TIMEOUT,
    )
    try:
        return await AsyncClient.create(url.rstrip("/"), key, options), storage
    except Exception as exc:  # supabase-py's own checks of the URL and key
        await options.httpx_client.aclose()
        raise InvalidRequest(f"cannot use this Supabase project: {exc}") from exc


async def _close(client: AsyncClient) -> None:
    timer = client.auth._refresh_token_timer
    if timer is not None:
        timer.cancel()
    try:
        await client.remove_all_channels()
        await client.realtime.close()
    except Exception:
        log.debug("remote access: closing realtime", exc_info=True)
    await client.auth.close()  # the shared pool


def is_login_refused(exc: BaseException) -> bool:
    """Supabase answered that the saved login is no good (revoked, spent, user gone): only a new sign-in helps."""
    return isinstance(exc, AuthApiError) and not isinstance(exc, AuthRetryableError)
