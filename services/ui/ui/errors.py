"""Why a call to the gateway failed, worded for the person looking at the page.

GatewayError                  (ServiceError; .message is shown as is)
├── GatewayUnreachable        nothing answers at the gateway URL (Unavailable)
├── GatewayTimeout            the gateway took too long to answer (Unavailable)
├── GatewayRejected           the gateway answered 4xx/5xx; keeps its status, code and detail
└── GatewayProtocolError      the gateway answered something that is not its contract (e.g. other versions)
"""

from niluflix.contracts.common import ErrorCode
from niluflix.errors import ServiceError, Unavailable

_CODE_BY_STATUS = {
    400: ErrorCode.INVALID_REQUEST,
    404: ErrorCode.NOT_FOUND,
    409: ErrorCode.CONFLICT,
    422: ErrorCode.INVALID_REQUEST,
    502: ErrorCode.UPSTREAM,
    503: ErrorCode.UNAVAILABLE,
    504: ErrorCode.UNAVAILABLE,
}


class GatewayError(ServiceError):
    pass


class GatewayUnreachable(GatewayError, Unavailable):
    def __init__(self, url: str) -> None:
        super().__init__(f"NiluFlix gateway is not reachable at {url}. Is NiluFlix running?")
        self.url = url


class GatewayTimeout(GatewayError, Unavailable):
    def __init__(self, url: str, seconds: float) -> None:
        super().__init__(f"NiluFlix gateway at {url} did not answer within {seconds:g} s. Try again.")
        self.url = url


class GatewayRejected(GatewayError):
    def __init__(self, status: int, detail: str, code: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        try:
            self.code = ErrorCode(code) if code else _CODE_BY_STATUS.get(status, ErrorCode.INTERNAL)
        except ValueError:
            # A code this UI does not know yet (the API grows additively): judge by the status.
            self.code = _CODE_BY_STATUS.get(status, ErrorCode.INTERNAL)


class GatewayProtocolError(GatewayError):
    pass
