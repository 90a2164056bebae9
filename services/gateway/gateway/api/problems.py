"""Every error becomes `{"detail": "<reason>", "code": "<code>"}` with the HTTP status its code means."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from gateway.errors import AccessDenied, TooManyAttempts
from niluflix.contracts.common import ErrorCode
from niluflix.errors import ServiceError

log = logging.getLogger(__name__)

STATUS = {
    ErrorCode.INVALID_REQUEST: 422,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.UNAVAILABLE: 503,
    ErrorCode.UPSTREAM: 502,
    ErrorCode.INTERNAL: 500,
}
HTTP_CODES = {
    400: ErrorCode.INVALID_REQUEST.value,
    401: "unauthorized",
    403: "forbidden",
    404: ErrorCode.NOT_FOUND.value,
    405: "method_not_allowed",
    409: ErrorCode.CONFLICT.value,
    422: ErrorCode.INVALID_REQUEST.value,
    429: "too_many_requests",
}


def problem(status: int, detail: str, code: str) -> JSONResponse:
    return JSONResponse({"detail": detail, "code": code}, status_code=status)


def describe_validation(errors: list[dict], *, skip: tuple[str, ...] = ()) -> str:
    """pydantic's errors as one line naming each field, e.g. `tmdb_id: Input should be greater than 0`."""
    parts = []
    for err in errors:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in skip)
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(message if not loc or message.startswith(loc) else f"{loc}: {message}")
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(_: Request, exc: ServiceError) -> JSONResponse:
        status = STATUS.get(exc.code, 500)
        if status >= 500:
            log.warning("%s: %s", exc.code.value, exc.message)
        return problem(status, exc.message, exc.code.value)

    @app.exception_handler(AccessDenied)
    async def access_denied(_: Request, exc: AccessDenied) -> JSONResponse:
        response = problem(exc.status_code, exc.message, exc.code)
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        # "body"/"path"/"query" say where, which the field name already makes plain.
        detail = describe_validation(list(exc.errors()), skip=("body", "path", "query", "header"))
        return problem(422, detail, ErrorCode.INVALID_REQUEST.value)

    @app.exception_handler(ValidationError)
    async def invalid_model(_: Request, exc: ValidationError) -> JSONResponse:
        # A request model built from the caller's input (e.g. a search query too long for the contract).
        return problem(422, describe_validation(exc.errors()), ErrorCode.INVALID_REQUEST.value)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        response = problem(
            exc.status_code, str(exc.detail), HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        )
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error", exc_info=exc)
        return problem(500, f"internal error: {type(exc).__name__}", ErrorCode.INTERNAL.value)
