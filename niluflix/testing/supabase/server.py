"""The loopback Supabase's HTTP and websocket server: a Starlette app under uvicorn in a background thread.

`stop()` closes the port and every open socket (realtime clients see the connection drop); `start()` listens
again on the same port, so a test can show an outage and the return of the same project.
"""

import socket
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from niluflix.testing.supabase import auth, realtime, rest
from niluflix.testing.supabase.state import ProjectState


class CountRequests:
    """Counts each request by method and path (`("PATCH", "/rest/v1/remote_downloads")`; a realtime socket
    is `("WEBSOCKET", "/realtime/v1/websocket")`), so a test can say "one request per change"."""

    def __init__(self, app: ASGIApp, state: ProjectState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.state.requests[(scope["method"], scope["path"])] += 1
        elif scope["type"] == "websocket":
            self.state.requests[("WEBSOCKET", scope["path"])] += 1
        await self.app(scope, receive, send)


async def not_served(request: Request) -> Response:
    """Storage, Edge Functions and the rest of Supabase are not part of the fake: say so, in JSON."""
    message = f"the loopback Supabase does not serve {request.method} {request.url.path}"
    return JSONResponse({"code": "not_found", "message": message}, status_code=404)


def create_app(state: ProjectState) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        hub = realtime.Hub(state)
        await hub.start()
        app.state.hub = hub
        try:
            yield
        finally:
            await hub.stop()

    app = Starlette(
        routes=[
            Route("/rest/v1/{table}", rest.handle, methods=["GET", "HEAD", "POST", "PATCH", "DELETE"]),
            Route(
                "/rest/v1/{path:path}",
                rest.unsupported_path,
                methods=["GET", "HEAD", "POST", "PATCH", "DELETE"],
            ),
            Route("/auth/v1/{path:path}", auth.handle, methods=["GET", "POST", "PUT", "DELETE"]),
            WebSocketRoute("/realtime/v1/websocket", realtime.endpoint),
            Route("/{path:path}", not_served, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]),
        ],
        lifespan=lifespan,
    )
    app.state.project = state
    app.add_middleware(CountRequests, state=state)
    return app


class SupabaseServer:
    """Listening on 127.0.0.1 from `start()` to `stop()`; the port is chosen once and kept."""

    def __init__(self, state: ProjectState) -> None:
        self.state = state
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            return
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        self.state.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(self.state),
            log_level="warning",
            ws="websockets-sansio",
            lifespan="on",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"supabase-{self.port}", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                raise RuntimeError(f"the loopback Supabase did not start on 127.0.0.1:{self.port}")
            time.sleep(0.01)
        self._server, self._thread = server, thread
        self._socket = sock

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout)
        self._socket.close()
        self._server = self._thread = None
