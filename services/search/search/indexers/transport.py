"""One GET to an indexer, bounded in size, with every way it can fail turned into an `IndexerError`.

Shared by the Torznab client and the built-in providers, so a 429, a hang or a huge body means the same
thing whichever indexer sent it.
"""

import json
import socket
import ssl
from datetime import UTC, datetime
from typing import Any

import httpx

from niluflix.retry_after import retry_after_seconds
from search.errors import (
    FeedTooLarge,
    IndexerHttpError,
    IndexerRateLimited,
    IndexerTimeout,
    IndexerUnreachable,
    MalformedFeed,
)


def retry_after(response: httpx.Response, *, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait, if it said."""
    moment = datetime.fromtimestamp(now, UTC) if now is not None else None
    return retry_after_seconds(response.headers.get("retry-after"), now=moment)


async def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large(max_bytes)
    body = bytearray()
    # Counted after decompression: a small gzip bomb is as bad as a big body.
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise too_large(max_bytes)
    return bytes(body)


def too_large(max_bytes: int) -> FeedTooLarge:
    return FeedTooLarge(f"the answer is larger than {max_bytes / 1024 / 1024:g} MiB; refused")


def unreachable(exc: httpx.HTTPError) -> str:
    """Why a connection failed, in words a user can act on, not the socket library's."""
    causes = []
    cause: BaseException | None = exc
    while cause is not None and len(causes) < 10:
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(isinstance(c, socket.gaierror) for c in causes):
        return "cannot reach the indexer: its host name does not resolve (a typo, or no internet?)"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "cannot reach the indexer: nothing answers at that address and port (connection refused)"
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return f"cannot reach the indexer: its TLS certificate was not accepted ({exc})"
    return f"cannot reach the indexer: {str(exc) or type(exc).__name__}"


async def get_json(http: httpx.AsyncClient, url: str, params: dict[str, str], *, max_bytes: int) -> Any:
    """The decoded JSON of a GET; `IndexerError` for anything but a 2xx JSON answer."""
    try:
        async with http.stream(
            "GET", url, params=params, headers={"Accept": "application/json"}, follow_redirects=True
        ) as response:
            if response.status_code == 429:
                raise IndexerRateLimited(retry_after(response))
            body = await read_capped(response, max_bytes)
    except httpx.TimeoutException:
        raise IndexerTimeout("the indexer did not answer in time") from None
    except httpx.HTTPError as exc:
        raise IndexerUnreachable(unreachable(exc)) from None
    if not response.is_success:
        raise IndexerHttpError(response.status_code, response.reason_phrase)
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        what = "an HTML page" if body.lstrip()[:1] == b"<" else "not JSON"
        raise MalformedFeed(f"{what}, not the API's JSON: check the base URL") from None
