"""NATS wiring shared by every service: one broker factory, one RPC error convention, one request helper.

- Request/reply handlers live on `rpc_router()`, whose middleware turns any exception into an
  `ErrorReply` (header `niluflix-error`), so a caller never waits for a timeout to learn of a failure.
- Event consumers stay on the broker itself: there an exception must reach the ack policy so the
  message is redelivered, not answered.
"""

import logging
from typing import Any, TypeVar

import nats.errors
from faststream import AckPolicy, BaseMiddleware, ExceptionMiddleware
from faststream.nats import ConsumerConfig, NatsBroker, NatsResponse, NatsRouter, PullSub
from faststream.nats.security import NatsUserPassword
from faststream.security import BaseSecurity
from nats.js.api import StreamConfig
from nats.js.errors import BadRequestError, NotFoundError
from pydantic import BaseModel, ValidationError

from niluflix.contracts import downloads, library, search
from niluflix.contracts.common import ErrorCode, ErrorReply
from niluflix.errors import RemoteError, ServiceError, Unavailable
from niluflix.nats_auth import NatsCredentials, connect_options

log = logging.getLogger(__name__)

ERROR_HEADER = "niluflix-error"
T = TypeVar("T", bound=BaseModel)

EVENTS_MAX_AGE = 30 * 24 * 3600  # seconds: a consumer down for a month still gets every event

# Plain configs, not FastStream JStream objects: those remember that they were declared once per process,
# and a second broker in the same process would then get a stream without subjects.
DOWNLOAD_EVENTS = StreamConfig(
    name=downloads.EVENTS_STREAM, subjects=[downloads.EVENTS_SUBJECTS], max_age=EVENTS_MAX_AGE
)
LIBRARY_EVENTS = StreamConfig(
    name=library.EVENTS_STREAM, subjects=[library.EVENTS_SUBJECTS], max_age=EVENTS_MAX_AGE
)
# RSS sightings are worth something only while fresh: a day covers a downloader that was restarted.
SEARCH_EVENTS = StreamConfig(name=search.EVENTS_STREAM, subjects=[search.EVENTS_SUBJECTS], max_age=24 * 3600)


async def ensure_stream(js: Any, config: StreamConfig) -> None:
    """Create a stream if no one has yet; never change an existing one (its owner's settings win).

    The producer calls it so events are kept before any consumer exists; a consumer calls it so its
    durable consumer can be made even if the producer never ran.
    """
    try:
        await js.stream_info(config.name)
        return
    except NotFoundError:
        pass
    try:
        await js.add_stream(config=config)
    except BadRequestError as exc:
        log.debug("stream %s was created meanwhile: %s", config.name, exc)


def make_broker(nats_url: str, *, name: str, credentials: NatsCredentials | None = None) -> NatsBroker:
    """The broker of a service; `credentials` are NiluFlix's NATS user (ignored when the URL carries its own)."""
    # Reconnect for ever: a restarted NATS must not leave a service deaf until someone restarts it.
    return NatsBroker(
        nats_url,
        security=broker_security(nats_url, credentials),
        name=f"niluflix-{name}",
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        connect_timeout=5,
        logger=logging.getLogger(f"{name}.nats"),
        # FastStream logs "Received" and "Processed" for every message: debug detail, or they drown the
        # story of what a service did (a download's progress alone is one message a second).
        log_level=logging.DEBUG,
    )


def broker_security(nats_url: str, credentials: NatsCredentials | None) -> BaseSecurity | None:
    """FastStream's form of the NATS user and password; None without them or when the URL carries its own."""
    if options := connect_options(nats_url, credentials):
        return NatsUserPassword(options["user"], options["password"])
    return None


async def start_broker(broker: NatsBroker) -> None:
    """Start subscribers and return once the server has read them, so a request sent right after finds us."""
    await broker.start()
    await subscriptions_live(broker.connection)


async def subscriptions_live(nc: Any) -> None:
    """Return once the server has read every SUB sent so far on this connection.

    nats-py's `flush()` can write its PING ahead of commands still buffered, so its PONG proves nothing;
    a message to ourselves queues behind the SUBs and comes back only after the server has read them.
    """
    inbox = nc.new_inbox()
    sub = await nc.subscribe(inbox, max_msgs=1)
    await nc.publish(inbox, b"")
    await sub.next_msg(timeout=10)


def _error_reply(exc: Exception) -> NatsResponse:
    if isinstance(exc, ServiceError):
        reply = ErrorReply(code=exc.code, message=exc.message)
    elif isinstance(exc, ValidationError):
        reply = ErrorReply(code=ErrorCode.INVALID_REQUEST, message=_fields_at_fault(exc))
    else:
        log.exception("request failed: %s", exc)
        reply = ErrorReply(code=ErrorCode.INTERNAL, message=f"{type(exc).__name__}: {exc}")
    return NatsResponse(reply, headers={ERROR_HEADER: reply.code.value})


def _fields_at_fault(exc: ValidationError) -> str:
    """A request that fails its contract, in one line a user can read: `release.size: Input should be ...`.
    The first part of each location is the handler's argument (`req`), which means nothing to a caller."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"][1:])
        parts.append(f"{loc}: {err['msg']}" if loc else err["msg"])
    return "; ".join(parts) or str(exc)


class _ReplyTooLarge(BaseMiddleware):
    """A reply over NATS's 1 MiB never reaches the caller, who would wait out its timeout and report a
    service that did not answer: it goes as an `ErrorReply` naming the cause instead."""

    async def publish_scope(self, call_next: Any, cmd: Any) -> Any:
        try:
            return await call_next(cmd)
        except nats.errors.MaxPayloadError:
            reply = ErrorReply(
                code=ErrorCode.UPSTREAM,
                message="the answer is too large to send: NATS carries at most 1 MiB per message",
            )
            log.error("a reply was too large to send (over 1 MiB): answered with an error instead")
            cmd.body = reply.model_dump_json().encode()
            cmd.headers = {**(cmd.headers or {}), ERROR_HEADER: reply.code.value}
            return await call_next(cmd)


def rpc_router() -> NatsRouter:
    """A router for request/reply handlers: errors become typed `ErrorReply`s, and so does a reply too
    large to send."""
    middleware = ExceptionMiddleware()

    @middleware.add_handler(Exception, publish=True)
    async def reply_with_error(exc: Exception) -> NatsResponse:
        return _error_reply(exc)

    return NatsRouter(middlewares=[middleware, _ReplyTooLarge])


def rpc_queue(service: str) -> str:
    """Queue group for a service's request handlers, so replicas share the requests."""
    return f"{service}-rpc"


async def request(
    broker: NatsBroker, subject: str, payload: BaseModel, reply: type[T], *, timeout: float
) -> T:
    """Send a typed request, return the typed reply, raise `RemoteError` for an `ErrorReply`."""
    try:
        msg = await broker.request(payload, subject, timeout=timeout)
    except nats.errors.NoRespondersError as exc:
        raise Unavailable(f"no service answers {subject}") from exc
    except TimeoutError as exc:
        raise Unavailable(f"{subject} did not answer within {timeout:g} s") from exc
    headers = msg.headers or {}
    if ERROR_HEADER in headers:
        err = ErrorReply.model_validate_json(msg.body)
        raise RemoteError(err.code, err.message)
    return reply.model_validate_json(msg.body)


def durable_consumer(durable: str, *, ack_wait: float = 30.0, max_deliver: int = 20) -> dict:
    """Keyword arguments for a JetStream subscriber that survives restarts and retries on errors.

    NACK_ON_ERROR alone redelivers at once and without bound: the `max_deliver` cap keeps a poison
    message from spinning for ever, and ack_wait lets a crashed consumer's message go to another.
    """
    return {
        "durable": durable,
        "pull_sub": PullSub(batch_size=1, timeout=1.0),
        "config": ConsumerConfig(ack_wait=ack_wait, max_deliver=max_deliver),
        "ack_policy": AckPolicy.NACK_ON_ERROR,
    }
