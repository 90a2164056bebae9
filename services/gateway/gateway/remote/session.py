"""A signed-in supabase-py client, as the home keeps one.

supabase-py keeps its session in a storage it is given; ours keeps the session in memory and saves the
refresh token, sealed, after every change (sign-in, each refresh): refresh tokens are single-use, so the one
saved before a refresh is spent once the refresh is done. The password is used for the one sign-in and
forgotten. A request PostgREST refuses because the JWT expired or is invalid (PGRST303, PGRST301: supabase-py's
auto-refresh stops silently after about 100 s of network failures) is retried once after a refresh.
"""

import base64
import binascii
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from postgrest.exceptions import APIError
from supabase import AsyncClient, AsyncClientOptions
from supabase_auth import AsyncSupportedStorage
from supabase_auth.errors import AuthApiError, AuthError, AuthRetryableError

from niluflix.errors import InvalidRequest, UpstreamError

log = logging.getLogger(__name__)

T = TypeVar("T")
SaveToken = Callable[[str | None], Awaitable[None]]
EXPIRED_JWT = {"PGRST301", "PGRST303"}
REQUEST_TIMEOUT = 15.0


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


class RemoteSession:
    """One signed-in client; `user_id` is the Supabase user the rows belong to."""

    def __init__(self, client: AsyncClient, user_id: str) -> None:
        self.client = client
        self.user_id = user_id

    @classmethod
    async def sign_in(
        cls, url: str, key: str, email: str, password: str, save_token: SaveToken
    ) -> "RemoteSession":
        client = await _client(url, key, save_token)
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
        return cls(client, found.user.id)

    @classmethod
    async def resume(cls, url: str, key: str, refresh_token: str, save_token: SaveToken) -> "RemoteSession":
        """The saved login again, by its refresh token (which this spends and replaces)."""
        client = await _client(url, key, save_token)
        try:
            found = await client.auth.refresh_session(refresh_token)
        except BaseException:
            await _close(client)
            raise
        assert found.user is not None
        return cls(client, found.user.id)

    async def run(self, request: Callable[[AsyncClient], Awaitable[T]]) -> T:
        """`request` built on the client and sent; once more after a refresh when the JWT has expired."""
        try:
            return await request(self.client)
        except APIError as exc:
            if exc.code not in EXPIRED_JWT:
                raise
            log.info("remote access: Supabase says the session expired (%s); refreshing it", exc.code)
        await self.refresh()
        return await request(self.client)

    async def refresh(self) -> None:
        # refresh_session, not get_session: a JWT refused as invalid (PGRST301) may not look expired here.
        await self.client.auth.refresh_session()

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


async def _client(url: str, key: str, save_token: SaveToken) -> AsyncClient:
    options = AsyncClientOptions(
        storage=SealedTokenStorage(save_token),
        # One connection pool for auth and PostgREST, closed with the session (supabase-py makes a PostgREST
        # client per token otherwise, and closes none of them).
        httpx_client=httpx.AsyncClient(timeout=REQUEST_TIMEOUT),
        auto_refresh_token=True,
        persist_session=True,
        # The default 5 tries (about 15 s) give up for good; polling stays the source of truth either way.
        realtime={"max_retries": 10000},
        postgrest_client_timeout=REQUEST_TIMEOUT,
    )
    try:
        return await AsyncClient.create(url.rstrip("/"), key, options)
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
