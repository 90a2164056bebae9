"""Request bodies of 1 MB or more are refused with a 413 before they are read into memory.

Every body the gateway takes becomes a NATS message (a command to a peer, or the shared settings in the
key-value bucket), and NATS takes at most 1 MiB per message: a larger body could only fail later, as a
`MaxPayloadError` deep in a request. A body that says its size (`Content-Length`) is refused before a byte of
it is read; a chunked one is counted as it streams in and refused the moment it passes the limit.
"""

import logging

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.api.problems import HTTP_CODES, problem

log = logging.getLogger(__name__)

# 1 MB (decimal): below NATS's 1 MiB per message, with room for the command around the body.
MAX_BODY_BYTES = 1_000_000


def too_large(size: str) -> str:
    return (
        f"the request body is {size}; the gateway takes bodies smaller than {MAX_BODY_BYTES:,} bytes (1 MB)"
    )


class BodyTooLarge(HTTPException):
    """Raised from `receive`: an HTTPException passes FastAPI's body parsing untouched, so the app's 413
    handler answers it; should a middleware in between wrap it, `BodyLimit` answers it itself."""

    def __init__(self, reason: str) -> None:
        super().__init__(413, reason)


class BodyLimit:
    """Pure ASGI middleware, so a body is never buffered whole before it is judged."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared >= self.max_bytes:
            reason = too_large(f"{declared:,} bytes")
            log.warning("%s %s refused: %s", scope["method"], scope["path"], reason)
            await problem(413, reason, HTTP_CODES[413])(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received >= self.max_bytes:
                    reason = too_large(f"at least {received:,} bytes")
                    log.warning("%s %s refused: %s", scope["method"], scope["path"], reason)
                    raise BodyTooLarge(reason)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except* BodyTooLarge as group:
            if started:
                raise
            await problem(413, str(group.exceptions[0].detail), HTTP_CODES[413])(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # not a number: the server refuses it before it gets here
    return None
