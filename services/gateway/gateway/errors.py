"""The gateway's errors.

ServiceError (niluflix.errors)
├── InvalidRequest
│   ├── EmptySearch          a search with nothing to search for
│   ├── InvalidSettings      a settings change that fails validation or names an unusable library
│   └── UnknownProfile       a download naming a quality profile the settings do not have
└── RemoteError              a peer's ErrorReply, keeping its code (mapped to HTTP by api/problems.py)
AccessDenied                 HTTP-only: the caller may not use the API
├── NotAuthenticated         401: another host without a valid X-Api-Key
└── LocalOnly                403: an endpoint only this machine may call
"""

from niluflix.errors import InvalidRequest


class EmptySearch(InvalidRequest):
    pass


class InvalidSettings(InvalidRequest):
    pass


class UnknownProfile(InvalidRequest):
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
