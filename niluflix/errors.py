"""The base of every service's errors.

    ServiceError                 (code: ErrorCode)
    ├── InvalidRequest           the caller must change the request
    ├── NotFound
    ├── Conflict                 the request clashes with the current state
    ├── Unavailable              a part we need is down; retry later
    └── UpstreamError            an outside service (TMDB, an indexer) failed

Each service's `errors.py` subclasses these; the RPC middleware turns any of them into an
`ErrorReply` with its code, and `messaging.request` turns that back into a `RemoteError`.
"""

from niluflix.contracts.common import ErrorCode


class ServiceError(Exception):
    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequest(ServiceError):
    code = ErrorCode.INVALID_REQUEST


class NotFound(ServiceError):
    code = ErrorCode.NOT_FOUND


class Conflict(ServiceError):
    code = ErrorCode.CONFLICT


class Unavailable(ServiceError):
    code = ErrorCode.UNAVAILABLE


class UpstreamError(ServiceError):
    code = ErrorCode.UPSTREAM


class RemoteError(ServiceError):
    """Raised on the caller's side for an `ErrorReply`, keeping the remote code."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
