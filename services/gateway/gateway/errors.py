"""The gateway's errors.

ServiceError (niluflix.errors)
├── InvalidRequest
│   ├── EmptySearch          a search with nothing to search for
│   ├── InvalidSettings      a settings change that fails validation or names an unusable library
│   ├── UnknownProfile       a download naming a quality profile the settings do not have
│   └── WeakPassword         an owner password too short or too long
├── Conflict
│   ├── PasswordAlreadySet   the owner's password exists: it cannot be set again from outside
│   └── NoPasswordYet        a sign-in before any password was set
└── RemoteError              a peer's ErrorReply, keeping its code (mapped to HTTP by api/problems.py)
AccessDenied                 HTTP-only: the caller may not use the API
├── NotAuthenticated         401: another host without a valid X-Api-Key, a wrong credential or password
├── LocalOnly                403: an endpoint only this machine (or the UI) may call
└── TooManyAttempts          429: too many wrong passwords from one client; says how long to wait
"""

from niluflix.errors import Conflict, InvalidRequest


class EmptySearch(InvalidRequest):
    pass


class InvalidSettings(InvalidRequest):
    pass


class UnknownProfile(InvalidRequest):
    pass


class WeakPassword(InvalidRequest):
    pass


class PasswordAlreadySet(Conflict):
    pass


class NoPasswordYet(Conflict):
    pass


class AccessDenied(Exception):
    status_code = 401
    code = "unauthorized"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAuthenticated(AccessDenied):
    pass


class LocalOnly(AccessDenied):
    status_code = 403
    code = "forbidden"


class TooManyAttempts(AccessDenied):
    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
