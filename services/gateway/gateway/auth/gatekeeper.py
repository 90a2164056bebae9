"""The checks every HTTP request and WebSocket handshake passes before any route sees it.

In order: who the client is (`niluflix.locality`, with the configured trusted proxies; kept in the scope for
`auth/guard.py`), whether the Host is ours (421, `auth/hosts.py`), whether a browser page elsewhere is asking
to change something (403), and the API key for the pages FastAPI serves itself (`/docs`, `/redoc`,
`/openapi.json` and their assets), which no router's dependency covers.

A request with no `Origin` and no `Referer` is not a browser's cross-site request (browsers send `Origin` on
every cross-site POST and WebSocket): curl, scripts and the UI's server side send none and pass. Without
either, `Sec-Fetch-Site: cross-site` still says a browser was sent here by another site.
"""

import logging

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from gateway.auth.guard import API_KEY_HEADER, CLIENT_SCOPE_KEY, check_access
from gateway.auth.hosts import HostRule, machine_addresses, machine_names, origin_of
from gateway.errors import AccessDenied, TooManyAttempts
from gateway.settings import GatewaySettings
from niluflix import locality

log = logging.getLogger(__name__)

CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# What FastAPI and fastapi-offline serve outside the routers (main.py: FastAPIOffline).
DOCS_PATHS = ("/docs", "/redoc", "/openapi.json", "/static-offline-docs")


def _is_docs(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in DOCS_PATHS)


class Refused(Exception):
    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status_code, self.code, self.message = status_code, code, message


class Gatekeeper:
    def __init__(self, app: ASGIApp, settings: GatewaySettings) -> None:
        self.app = app
        self.rule = HostRule(settings.allowed_hosts, settings.allowed_origins)
        self.trusted = settings.trusted_networks
        # Looked up now, at start, not by the first request: the FQDN may take a DNS round trip.
        machine_names(), machine_addresses()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        client = locality.judge(conn.client.host if conn.client else None, conn.headers, self.trusted)
        scope[CLIENT_SCOPE_KEY] = client
        try:
            self._check_host(conn)
            self._check_origin(conn, scope)
            if scope["type"] == "http" and _is_docs(conn.url.path):
                self._check_docs_access(conn)
        except Refused as exc:
            log.warning(
                "refused %s %s from %s: %s", _method(scope), conn.url.path, client.address, exc.message
            )
            await _deny(
                scope, receive, send, JSONResponse({"detail": exc.message, "code": exc.code}, exc.status_code)
            )
            return
        except AccessDenied as exc:
            response = JSONResponse({"detail": exc.message, "code": exc.code}, exc.status_code)
            if isinstance(exc, TooManyAttempts):
                response.headers["Retry-After"] = str(exc.retry_after)
            await _deny(scope, receive, send, response)
            return
        await self.app(scope, receive, send)

    def _check_host(self, conn: HTTPConnection) -> None:
        host = conn.headers.get("host")
        if not self.rule.host_allowed(host):
            raise Refused(
                421,
                "misdirected_request",
                f"this NiluFlix does not answer to the host name {host!r}: add it to "
                "NILUFLIX_GATEWAY_ALLOWED_HOSTS if it is this machine's",
            )

    def _check_origin(self, conn: HTTPConnection, scope: Scope) -> None:
        if scope["type"] == "http" and scope["method"] not in CHANGING_METHODS:
            return
        raw = conn.headers.get("origin") or conn.headers.get("referer")
        if raw is not None:
            origin = origin_of(raw)
            if origin is None or not self.rule.origin_allowed(origin, conn.headers.get("host")):
                raise Refused(
                    403,
                    "forbidden",
                    f"a page of {origin or raw!r} may not change anything here: add its origin to "
                    "NILUFLIX_GATEWAY_ALLOWED_ORIGINS if it is yours",
                )
        elif conn.headers.get("sec-fetch-site") == "cross-site":
            raise Refused(403, "forbidden", "a page of another site may not change anything here")

    def _check_docs_access(self, conn: HTTPConnection) -> None:
        state = getattr(conn.app.state, "gateway", None)
        if state is None:
            raise Refused(503, "unavailable", "the gateway is starting")
        check_access(
            conn,
            state.api_key,
            offered=conn.headers.get(API_KEY_HEADER),
            client_key=state.client_key,
            throttle=state.api_key_throttle,
        )


def _method(scope: Scope) -> str:
    return scope.get("method", "WebSocket")


async def _deny(scope: Scope, receive: Receive, send: Send, response: JSONResponse) -> None:
    if scope["type"] == "http":
        await response(scope, receive, send)
        return
    websocket = WebSocket(scope, receive, send)
    try:
        await websocket.send_denial_response(response)
    except RuntimeError:  # the server cannot send an HTTP answer to a WebSocket handshake
        await websocket.close(code=1008, reason=bytes(response.body).decode()[:120])
