"""What request handlers get from the running gateway, as `Annotated` dependencies."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, TypeVar

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from faststream.nats import NatsBroker
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import HTTPConnection

from gateway.auth.guard import API_KEY_HEADER, check_access
from gateway.auth.throttle import Throttle
from gateway.indexer_links import HiddenLinks
from gateway.live.hub import Hub
from gateway.settings import GatewaySettings
from gateway.shared_settings import changed_fields
from gateway.show_cache import ShowCache
from niluflix.contracts.common import ServiceHealth
from niluflix.contracts.settings import IndexerSettings, SharedSettings
from niluflix.errors import Unavailable, UpstreamError
from niluflix.messaging import request
from niluflix.settings_store import Change, LiveSettings

if TYPE_CHECKING:
    from gateway.remote.access import RemoteAccess

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)


@dataclass
class GatewayState:
    """Everything the lifespan opens; filled in as it starts."""

    settings: GatewaySettings
    broker: NatsBroker
    hub: Hub
    own_health: Callable[[], Awaitable[ServiceHealth]]
    engine: AsyncEngine | None = None
    live: LiveSettings | None = None
    api_key: str = ""
    # The trusted-client credential the UI sends (niluflix.client_credential).
    client_key: str = ""
    # Wrong owner passwords per browser, and wrong API keys per client address, to slow guessing down.
    sign_in_throttle: Throttle = field(default_factory=Throttle)
    api_key_throttle: Throttle = field(init=False)
    # One settings change at a time in this gateway; between replicas the stored revision decides.
    settings_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # The release links whose indexer keys this gateway hid in interactive search, to put back on download.
    links: HiddenLinks = field(default_factory=HiddenLinks)
    # Seasons, library files and downloads per show, for the show page's polling (kept fresh by events).
    shows: ShowCache = field(default_factory=ShowCache)
    # Remote access through the user's Supabase project (gateway/remote/); there once the lifespan loaded it.
    remote: "RemoteAccess | None" = None

    def __post_init__(self) -> None:
        self.api_key_throttle = Throttle("wrong API keys", free=self.settings.api_key_attempts)

    def live_settings(self) -> LiveSettings:
        """The shared settings store; until the lifespan has loaded it, a request for it is a 503."""
        if self.live is None:
            raise Unavailable("settings are not loaded yet")
        return self.live

    async def change_settings(self, change: Change, *, what: str | Callable[[], str]) -> SharedSettings:
        """The one way the gateway changes the shared settings; returns them as saved.

        `change` maps the current settings to the new ones, or raises to refuse (a 4xx). It may run again
        on newer settings when another gateway saved meanwhile, so neither change is lost. `what` says what the
        user did, in words, for the log (a callable when only the change itself can tell).
        """
        live = self.live_settings()
        async with self.settings_lock:
            before, after, revision = await live.update(change)
        log.info(
            "%s: saved as settings revision %d; changed: %s",
            what() if callable(what) else what,
            revision,
            ", ".join(changed_fields(before, after)) or "nothing",
        )
        return after

    async def call(
        self, subject: str, payload: BaseModel, reply: type[T], *, timeout: float | None = None
    ) -> T:
        """Ask a peer service; its ErrorReply comes back as RemoteError, silence as Unavailable."""
        try:
            return await request(
                self.broker, subject, payload, reply, timeout=timeout or self.settings.request_timeout
            )
        except ValidationError as exc:
            raise UpstreamError(
                f"the reply on {subject} does not match its contract: {exc.error_count()} errors"
            ) from exc


def configured_indexers(state: GatewayState) -> list[IndexerSettings]:
    """The Torznab indexers as saved, keys included: for the gateway's own use, never for a reply."""
    return state.live_settings().value.indexers


def get_state(conn: HTTPConnection) -> GatewayState:
    return conn.app.state.gateway


StateDep = Annotated[GatewayState, Depends(get_state)]


_api_key_header = APIKeyHeader(
    name=API_KEY_HEADER, auto_error=False, description="Needed by every host but this machine"
)


async def require_access(
    request: Request, state: StateDep, offered: Annotated[str | None, Security(_api_key_header)]
) -> None:
    check_access(
        request, state.api_key, offered=offered, client_key=state.client_key, throttle=state.api_key_throttle
    )
