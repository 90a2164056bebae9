"""Every error becomes `{"detail": "<reason>", "code": "<code>"}` with the HTTP status its code means.

The OpenAPI document says so too: every 422 has this shape (not FastAPI's list of field errors), a route
taking a body may answer 413, and routes declare the other statuses they give (`doc(404, 409)`), so a client
reading the schema meets no status and no error body it was not told about.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from nats.errors import MaxPayloadError
from pydantic import BaseModel, Field, ValidationError
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
    413: "too_large",
    422: ErrorCode.INVALID_REQUEST.value,
    429: "too_many_requests",
}


class Problem(BaseModel):
    """What every error answer holds."""

    detail: str = Field(description="The reason, in words a user can act on")
    code: str = Field(
        description="A stable code for programs: invalid_request, not_found, conflict, too_large, "
        "unauthorized, forbidden, too_many_requests, unavailable, upstream_error"
    )


MEANINGS = {
    401: "Another host without a valid X-Api-Key, or a wrong credential",
    403: "Only this machine (or the NiluFlix UI) may do this",
    404: "What the request names does not exist; `detail` says what",
    409: "The request clashes with what is there now; `detail` says how",
    413: "The request body is 1 MB or more, or too large to pass on",
    422: "The request is not valid; `detail` names each wrong field and why",
    429: "Too many attempts; `Retry-After` says how many seconds to wait",
    502: "A service or site this one relies on answered wrongly (TMDB, an indexer)",
    503: "A NiluFlix service this one needs is not answering; try again later",
}


def doc(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route (or router) for the error statuses it gives."""
    return {status: {"model": Problem, "description": MEANINGS[status]} for status in statuses}


def _as_problem(status: int) -> dict[str, Any]:
    return {
        "description": MEANINGS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Every 422 as a Problem, a 413 on every operation that takes a body (see body_limit.py), and a 401 on
    every one that takes the API key (another host without it)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema()
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            if "422" in responses:
                responses["422"] = _as_problem(422)
            if "requestBody" in operation:
                responses["413"] = _as_problem(413)
            if operation.get("security"):
                responses["401"] = _as_problem(401)
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def problem(status: int, detail: str, code: str) -> JSONResponse:
    return JSONResponse({"detail": detail, "code": code}, status_code=status)


def describe_validation(errors: list[dict], *, skip: tuple[str, ...] = ()) -> str:
    """pydantic's errors as one line naming each field, e.g. `tmdb_id: Input should be greater than 0`."""
    parts = []
    for err in errors:
        where = err.get("loc", ())
        if err.get("type") == "json_invalid":  # loc is ("body", <offset>)
            error = (err.get("ctx") or {}).get("error", "JSON decode error")
            parts.append(f"the body is not valid JSON: {error} at character {where[-1] if where else '?'}")
            continue
        loc = ".".join(str(p) for p in where if p not in skip) or ("body" if where == ("body",) else "")
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(message if not loc or message.startswith(loc) else f"{loc}: {message}")
    return "; ".join(parts) or "invalid request"


def _unreadable(cause: BaseException) -> str:
    if isinstance(cause, UnicodeDecodeError):
        return f"the body is not JSON: not UTF-8 text ({cause.reason} at byte {cause.start})"
    if isinstance(cause, RecursionError):
        return "the body is not usable JSON: nested too deeply"
    return f"the body cannot be read as JSON ({type(cause).__name__})"


def install(app: FastAPI) -> None:
    plain_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(plain_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

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
        if exc.status_code == 400 and exc.__cause__ is not None:
            # FastAPI's "error parsing the body": as bad as broken JSON, so a 422 like it, saying why.
            return problem(422, _unreadable(exc.__cause__), ErrorCode.INVALID_REQUEST.value)
        response = problem(
            exc.status_code, str(exc.detail), HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        )
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(MaxPayloadError)
    async def too_large(request: Request, exc: MaxPayloadError) -> JSONResponse:
        # A message over NATS's limit that the body limit did not catch: a settings save that grows the
        # stored settings past it, say. The request is refused whole; nothing was sent.
        reason = "the request is too large to pass on: NiluFlix's services take messages of at most 1 MiB"
        log.warning("%s %s refused: %s", request.method, request.url.path, reason)
        return problem(413, reason, HTTP_CODES[413])

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error", exc_info=exc)
        return problem(500, f"internal error: {type(exc).__name__}", ErrorCode.INTERNAL.value)
