"""Remote access as a whole: turned on and off from the UI's Remote page, its status, its background loops.

Four loops, each a `niluflix.loops.Loop` run by the service runner:
- heartbeat (every minute; `is_online=false` on a clean stop),
- mirror (woken by the download and library events the gateway relays, debounced, progress at most every few
  seconds; a full resync at start and every few minutes),
- commands (every 15 s; every 60 s while realtime is subscribed; at once when realtime tells of an INSERT or
  after each (re)subscribe; the first round of a session finishes commands a crash left `processing`),
- realtime (a watchdog: the channel is (re)built whenever it is not joined).
An error stops nothing: the status says it in words, the loops back off (with jitter, up to 5 minutes), and one
log line names the cause when it starts. A login Supabase refuses (revoked, spent) is dropped: the status says
to sign in again.
"""

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Literal

import httpx
from postgrest.exceptions import APIError
from pydantic import BaseModel, Field, SecretStr
from realtime import RealtimeSubscribeStates
from realtime._async.channel import AsyncRealtimeChannel
from sqlalchemy.ext.asyncio import AsyncEngine
from supabase_auth.errors import AuthError, AuthRetryableError

from gateway.deps import GatewayState
from gateway.remote.commands import CommandRecord, Commands
from gateway.remote.heartbeat import beat
from gateway.remote.link_store import LinkStore, RemoteLink
from gateway.remote.mirror import Mirror
from gateway.remote.session import (
    ProjectUnreachable,
    RemoteSession,
    check_public_key,
    is_login_refused,
)
from gateway.settings import GatewaySettings
from niluflix.errors import Conflict, InvalidRequest, ServiceError, UpstreamError
from niluflix.loops import Loop
from niluflix.secretbox import SecretBox

log = logging.getLogger(__name__)

State = Literal["off", "connecting", "online", "error"]
SIGN_IN_AGAIN = "Supabase refused the saved login: sign in again"
MAX_BACKOFF = 300.0
WATCHDOG_SECONDS = 10.0
SUBSCRIBE_TIMEOUT = 10.0
EVENT_DEBOUNCE = 1.0


class EnableRemote(BaseModel):
    supabase_url: str = Field(
        min_length=1, max_length=500, description="The project's URL, https://….supabase.co"
    )
    anon_key: str = Field(min_length=1, max_length=4000, description="The project's anon or publishable key")
    email: str = Field(min_length=3, max_length=320)
    password: SecretStr = Field(description="Used for this one sign-in, stored nowhere")
    display_name: str | None = Field(None, max_length=100, description="This home's name on the phone")
    remote_ui_url: str | None = Field(None, max_length=500, description="Where the remote web UI is served")


class RemoteStatus(BaseModel):
    enabled: bool
    state: State
    supabase_url: str | None = None
    email: str | None = None
    desktop_app_id: str | None = None
    display_name: str | None = None
    remote_ui_url: str | None = None
    last_sync: datetime | None = None
    last_error: str | None = Field(None, description="What went wrong, in words")
    realtime: bool = Field(False, description="Subscribed to new commands (else found by polling alone)")
    mirrored_items: int = 0
    commands_run: int = 0


class RemoteAccess:
    def __init__(
        self,
        state: GatewayState,
        settings: GatewaySettings,
        engine: AsyncEngine,
        box: SecretBox,
        version: str | None,
    ) -> None:
        self._state = state
        self._settings = settings
        self._version = version
        self._store = LinkStore(engine, box)
        self.link: RemoteLink | None = None
        self.session: RemoteSession | None = None
        self.mirror = Mirror(state)
        self.commands = Commands(state, CommandRecord(engine))
        self._lock = asyncio.Lock()
        self._state_word: State = "off"
        self.last_error: str | None = None
        self.last_sync: datetime | None = None
        self._failures = 0
        self._retry_at = 0.0
        self._recovered = False
        self._last_full = 0.0
        self._last_poll = 0.0
        self._poll_now = False
        self._mirror_timer: asyncio.TimerHandle | None = None
        self._mirror_due = 0.0
        self._channel: AsyncRealtimeChannel | None = None
        self.subscribed = False
        self._realtime_error: str | None = None
        self.heartbeat_loop = Loop(
            "remote heartbeat",
            self._heartbeat,
            every=settings.remote_heartbeat_seconds,
            on_stop=self._went_off,
        )
        self.mirror_loop = Loop("remote mirror", self._mirror, every=settings.remote_resync_seconds)
        self.command_loop = Loop("remote commands", self._poll, every=settings.remote_poll_seconds)
        self.realtime_loop = Loop("remote realtime", self._watch_realtime, every=WATCHDOG_SECONDS)

    # Lifecycle

    async def load(self) -> None:
        self.link = await self._store.load()
        self._state_word = "connecting" if self.link.enabled else "off"

    def loops(self) -> list[Loop]:
        """Heartbeat first: it stops last, so its offline mark goes out after the others ended."""
        return [self.heartbeat_loop, self.mirror_loop, self.command_loop, self.realtime_loop]

    async def _went_off(self) -> None:
        """A clean stop: the home marked offline, the session closed (its token stays saved)."""
        if self._mirror_timer is not None:
            self._mirror_timer.cancel()
        session, link = self.session, self.link
        if session is None or link is None:
            return
        await self._say_offline(session, link)
        await self._drop_session()

    # The routes

    def status(self) -> RemoteStatus:
        link = self.link
        enabled = bool(link and link.enabled)
        return RemoteStatus(
            enabled=enabled,
            state=self._state_word if enabled else "off",
            supabase_url=link.supabase_url if link else None,
            email=link.email if link else None,
            desktop_app_id=link.desktop_app_id if link else None,
            display_name=link.display_name if link else None,
            remote_ui_url=link.remote_ui_url if link else None,
            last_sync=self.last_sync,
            last_error=self.last_error if enabled else None,
            realtime=self.subscribed,
            mirrored_items=self.mirror.mirrored,
            commands_run=self.commands.ran,
        )

    async def enable(self, asked: EnableRemote) -> RemoteStatus:
        url = asked.supabase_url.strip().rstrip("/")
        if not url.startswith(("https://", "http://")):
            raise InvalidRequest("the Supabase URL must start with https:// (e.g. https://abcd.supabase.co)")
        key = asked.anon_key.strip()
        check_public_key(key)
        ui_url = (asked.remote_ui_url or "").strip() or None
        if ui_url and not ui_url.startswith(("https://", "http://")):
            raise InvalidRequest("the remote UI's URL must start with https:// or http://")
        link = await self._link()
        # Until the new login is saved whole, its refresh token stays here: a failed enable keeps the old link.
        signed_in: dict[str, str | None] = {"token": None}
        saved = False

        async def save_token(token: str | None) -> None:
            if saved:
                await self._save_token(token)
            else:
                signed_in["token"] = token

        async with self._lock:
            session = await RemoteSession.sign_in(
                url, key, asked.email.strip(), asked.password.get_secret_value(), save_token
            )
            display_name = (asked.display_name or "").strip() or link.display_name or "NiluFlix"
            try:
                await beat(session, link.desktop_app_id, display_name=display_name, app_version=self._version)
            except (APIError, httpx.HTTPError) as exc:
                await session.sign_out()
                raise UpstreamError(
                    f"signed in, but the project refused this home's row: {_words(exc)}"
                ) from exc
            await self._drop_session(sign_out=True)  # the login before, if any
            link.enabled = True
            link.supabase_url, link.anon_key, link.email = url, key, asked.email.strip()
            link.display_name, link.remote_ui_url = display_name, ui_url
            link.refresh_token = signed_in["token"]
            await self._store.save(link)
            saved = True
            self.session = session
            self._fresh_session()
            self.last_sync = datetime.now(UTC)
            self._worked()
        log.info("remote access on: %s as %s, this home is %s", url, link.email, link.desktop_app_id)
        self._wake_all()
        return self.status()

    async def disable(self) -> RemoteStatus:
        link = await self._link()
        async with self._lock:
            session = self.session
            if session is not None:
                await self._say_offline(session, link)
            await self._drop_session(sign_out=True)
            was_on = link.enabled
            link.enabled = False
            link.refresh_token = None
            await self._store.save(link)
            self.last_error = None
            self._state_word = "off"
        if was_on:
            log.info("remote access off: signed out of %s; the saved login is forgotten", link.supabase_url)
        return self.status()

    def link_url(self) -> str:
        link = self.link
        if link is None or not link.enabled or not link.supabase_url or not link.anon_key:
            raise Conflict("remote access is off: turn it on on the Remote page first")
        if not link.remote_ui_url:
            raise Conflict(
                "no remote UI URL is set: enter where the remote web UI is served on the Remote page"
            )
        from urllib.parse import urlencode

        joiner = "&" if "?" in link.remote_ui_url else "?"
        return (
            link.remote_ui_url
            + joiner
            + urlencode({"supabase_url": link.supabase_url, "anon_key": link.anon_key})
        )

    # What the relay tells

    def noticed(self, kind: str) -> None:
        """A download or library event (`kind` "progress" for a tick): mirror soon, progress not too often."""
        if self.link is None or not self.link.enabled:
            return
        delay = self._settings.remote_progress_seconds if kind == "progress" else EVENT_DEBOUNCE
        loop = asyncio.get_running_loop()
        due = loop.time() + delay
        pending = self._mirror_timer is not None and self._mirror_due > loop.time()
        if pending and self._mirror_due <= due:
            return  # a round is due sooner already
        if self._mirror_timer is not None:
            self._mirror_timer.cancel()
        self._mirror_due = due
        self._mirror_timer = loop.call_at(due, self.mirror_loop.wake)

    # The loops' steps

    async def _heartbeat(self) -> None:
        async def step(session: RemoteSession, link: RemoteLink) -> None:
            await beat(
                session, link.desktop_app_id, display_name=link.display_name, app_version=self._version
            )
            self.last_sync = datetime.now(UTC)

        await self._guarded(step)

    async def _mirror(self) -> None:
        async def step(session: RemoteSession, link: RemoteLink) -> None:
            full = time.monotonic() - self._last_full >= self._settings.remote_resync_seconds
            await self.mirror.sync(session, link.desktop_app_id, full=full)
            if full:
                self._last_full = time.monotonic()

        await self._guarded(step)

    async def _poll(self) -> None:
        async def step(session: RemoteSession, link: RemoteLink) -> None:
            if not self._recovered:
                await self.commands.recover(session, link.desktop_app_id)
                self._recovered = True
            since = time.monotonic() - self._last_poll
            if (
                self.subscribed
                and not self._poll_now
                and since < self._settings.remote_poll_subscribed_seconds
            ):
                return  # realtime tells of new commands; this is only the safety net
            self._poll_now = False
            self._last_poll = time.monotonic()
            while await self.commands.poll(session, link.desktop_app_id):
                pass  # a full batch: more may be behind it

        await self._guarded(step)

    async def _watch_realtime(self) -> None:
        async def step(session: RemoteSession, link: RemoteLink) -> None:
            channel = self._channel
            if channel is not None and (channel.is_joined or channel.is_joining):
                return
            if channel is not None:
                log.info("remote access: the realtime channel is %s; building it again", channel.state)
                self.subscribed = False
                with contextlib.suppress(Exception):
                    await session.client.remove_channel(channel)
            self._channel = channel = session.client.channel(f"commands-{link.desktop_app_id}")
            channel.on_postgres_changes(
                "INSERT",
                self._on_insert,
                table="remote_downloads",
                schema="public",
                filter=f"desktop_app_id=eq.{link.desktop_app_id}",
            )
            try:
                async with asyncio.timeout(SUBSCRIBE_TIMEOUT):
                    await channel.subscribe(self._on_subscribe)
            except TimeoutError:
                log.info(
                    "remote access: realtime did not answer in %g s; polling meanwhile", SUBSCRIBE_TIMEOUT
                )
                self._channel = None
                with contextlib.suppress(Exception):
                    await session.client.realtime.close()

        async def keep_fresh(session: RemoteSession, _link: RemoteLink) -> None:
            await session.fresh()  # the channel's JWT too: an idle home refreshes before it expires

        await self._guarded(keep_fresh)
        # Realtime only lowers latency: its failures are not the remote's state.
        link = self.link
        session = self.session
        if session is None or link is None or not link.enabled or not self._settings.remote_realtime:
            return
        try:
            await step(session, link)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - polling covers for it
            if _words(exc) != self._realtime_error:
                self._realtime_error = _words(exc)
                log.info(
                    "remote access: realtime is unavailable (%s); polling every %g s",
                    self._realtime_error,
                    self._settings.remote_poll_seconds,
                )
            self._channel = None

    def _on_insert(self, _payload: object) -> None:
        self._poll_now = True
        self.command_loop.wake()

    def _on_subscribe(self, status: RealtimeSubscribeStates, error: Exception | None) -> None:
        was = self.subscribed
        self.subscribed = status is RealtimeSubscribeStates.SUBSCRIBED
        if self.subscribed:
            self._realtime_error = None
            # Realtime does not replay what was inserted while it was down: look now.
            self._poll_now = True
            self.command_loop.wake()
            if not was:
                log.info("remote access: subscribed to new commands")
        elif was:
            log.info(
                "remote access: realtime %s (%s); polling every %g s",
                status.value,
                error,
                self._settings.remote_poll_seconds,
            )
            self.realtime_loop.wake()

    # Connecting, failing, backing off

    async def _guarded(self, step: Callable[[RemoteSession, RemoteLink], Awaitable[None]]) -> None:
        session = await self._connected()
        link = self.link
        if session is None or link is None:
            return
        try:
            await step(session, link)
        except asyncio.CancelledError:
            raise
        except ServiceError as exc:
            # The home's own services (the library, the downloader) did not answer: not the remote's fault.
            log.warning("remote access: %s", exc.message)
        except Exception as exc:  # noqa: BLE001 - every failure is shown and backed off from
            if session is not self.session:
                return  # dropped meanwhile (a refused login, a disable): its requests' errors say nothing more
            await self._failed(exc)
        else:
            if session is self.session:
                self._worked()

    async def _connected(self) -> RemoteSession | None:
        link = self.link
        if link is None or not link.enabled or time.monotonic() < self._retry_at:
            return None
        if self.session is not None:
            return self.session
        async with self._lock:
            if self.session is not None or not link.enabled:
                return self.session
            if not link.refresh_token:
                await self._failed(None)
                return None
            assert link.supabase_url and link.anon_key
            try:
                self.session = await RemoteSession.resume(
                    link.supabase_url, link.anon_key, link.refresh_token, self._save_token
                )
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                await self._failed(exc)
                return None
            self._fresh_session()
            log.info("remote access: signed in to %s again with the saved login", link.supabase_url)
            return self.session

    def _fresh_session(self) -> None:
        self.mirror.forget()
        self._recovered = False
        self._last_full = 0.0
        self._channel = None
        self.subscribed = False
        self._poll_now = True

    async def _save_token(self, token: str | None) -> None:
        if self.link is not None:
            self.link.refresh_token = token
        await self._store.save_token(token)

    def _worked(self) -> None:
        if self._state_word == "error":
            log.info("remote access works again")
        self._failures = 0
        self._retry_at = 0.0
        self._state_word = "online"
        self.last_error = None

    async def _failed(self, exc: BaseException | None) -> None:
        if exc is None or is_login_refused(exc):
            reason = f"{exc.message}" if isinstance(exc, AuthError) else "no saved login"
            message = SIGN_IN_AGAIN
            await self._drop_session()
        else:
            reason = message = _words(exc)
        self._failures += 1
        delay = min(MAX_BACKOFF, 2.0**self._failures) * random.uniform(0.5, 1.0)
        self._retry_at = time.monotonic() + delay
        if message != self.last_error:
            cause = f" ({reason})" if reason != message else ""
            log.warning(
                "remote access failed: %s%s; trying again in %.0f s, backing off", message, cause, delay
            )
        self._state_word = "error"
        self.last_error = message

    async def _say_offline(self, session: RemoteSession, link: RemoteLink) -> None:
        """The heartbeat's last word, so the phone shows the home offline at once; best effort, briefly:
        a stop must not wait on Supabase (the phone falls back on `last_sync`'s age anyway)."""
        with contextlib.suppress(Exception):
            async with asyncio.timeout(5):
                await beat(
                    session,
                    link.desktop_app_id,
                    display_name=link.display_name,
                    app_version=self._version,
                    online=False,
                )

    async def _drop_session(self, *, sign_out: bool = False) -> None:
        session, self.session = self.session, None
        self._channel = None
        self.subscribed = False
        if session is not None:
            await (session.sign_out() if sign_out else session.close())

    async def _link(self) -> RemoteLink:
        if self.link is None:
            await self.load()
        assert self.link is not None
        return self.link

    def _wake_all(self) -> None:
        for loop in self.loops():
            loop.wake()


def _words(exc: BaseException) -> str:
    if isinstance(exc, APIError):
        if exc.code == "PGRST205":
            return f"the project lacks NiluFlix's tables ({exc.message}): apply infra/supabase/migrations"
        return f"Supabase refused a request: {exc.message} ({exc.code})"
    if isinstance(exc, AuthRetryableError | httpx.TransportError | OSError):
        return f"the Supabase project does not answer ({str(exc) or type(exc).__name__})"
    if isinstance(exc, ProjectUnreachable | ServiceError):
        return exc.message
    if isinstance(exc, AuthError):
        return f"Supabase refused: {exc.message}"
    return f"{type(exc).__name__}: {exc}"
