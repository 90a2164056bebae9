"""`/ws`: live progress ticks and lifecycle events, pushed to every connected client.

The handshake's Host and Origin were checked by the gatekeeper (`auth/gatekeeper.py`); the key is checked here.
"""

import asyncio
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse
from starlette import status

from gateway.auth.guard import API_KEY_HEADER, API_KEY_QUERY, check_access
from gateway.deps import StateDep
from gateway.errors import AccessDenied, TooManyAttempts
from gateway.live.hub import ClientFeed

log = logging.getLogger(__name__)

router = APIRouter(tags=["live"])


async def _send(websocket: WebSocket, feed: ClientFeed) -> None:
    while (text := await feed.next()) is not None:
        await websocket.send_text(text)
    if feed.overflowed:
        log.info("closing a WebSocket client that fell too far behind")
        await websocket.close(code=status.WS_1013_TRY_AGAIN_LATER, reason="too slow: reconnect and reload")
    else:
        await websocket.close(code=status.WS_1001_GOING_AWAY)


async def _receive(websocket: WebSocket) -> None:
    # Clients have nothing to say; reading is how a closed connection is noticed.
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


@router.websocket("/ws")
async def live_updates(websocket: WebSocket, state: StateDep) -> None:
    """Messages: `{"type": "progress", "data": ProgressTick}` and
    `{"type": "event", "event": "completed", "subject": "downloads.v1.events.completed", "data": {...}}`."""
    offered = websocket.query_params.get(API_KEY_QUERY) or websocket.headers.get(API_KEY_HEADER)
    try:
        check_access(
            websocket,
            state.api_key,
            offered=offered,
            client_key=state.client_key,
            throttle=state.api_key_throttle,
        )
    except AccessDenied as exc:
        body = JSONResponse({"detail": exc.message, "code": exc.code}, status_code=exc.status_code)
        if isinstance(exc, TooManyAttempts):
            body.headers["Retry-After"] = str(exc.retry_after)
        try:
            await websocket.send_denial_response(body)
        except RuntimeError:  # the server cannot send an HTTP answer to a WebSocket handshake
            await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason=exc.message)
        return
    # Subscribe before accepting, so a client that sees the handshake complete misses nothing after it.
    feed = state.hub.subscribe()
    try:
        await websocket.accept()
        tasks = {asyncio.create_task(_send(websocket, feed)), asyncio.create_task(_receive(websocket))}
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            exc = task.exception()
            if exc is not None and not isinstance(exc, (WebSocketDisconnect, RuntimeError, OSError)):
                log.warning("WebSocket client failed", exc_info=exc)
    finally:
        state.hub.unsubscribe(feed)
