"""GoTrue's `/auth/v1` as far as supabase-py's email sign-in reaches: password and refresh-token grants,
signup (confirmed at once), the current user, logout.

Refresh tokens are single-use: a refresh revokes the token it used, and using a revoked one again is
`refresh_token_already_used`, as on Supabase (whose 10 s reuse interval is left out: reuse always fails). A
banned user (`SupabaseProject.revoke`) can no longer refresh: `user_banned`. Errors carry GoTrue's
2024-01-01 shape, `{code, message}` plus the `X-Supabase-Api-Version` header, so supabase-py raises
`AuthApiError` with `.code` set.
"""

import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from niluflix.testing.supabase.state import ProjectState
from niluflix.testing.supabase.tokens import TokenRejected, sign

log = logging.getLogger(__name__)

API_VERSION = {"X-Supabase-Api-Version": "2024-01-01"}
HASH_ROUNDS = 1000  # a test fake: strong enough to not store the password, fast enough for many sign-ins


class AuthError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> JSONResponse:
        return JSONResponse({"code": self.code, "message": self.message}, self.status, API_VERSION)


def hash_password(password: str) -> str:
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), HASH_ROUNDS).hex()
    return f"pbkdf2${salt}${digest}"


def password_matches(password: str, stored: str) -> bool:
    _, salt, digest = stored.split("$")
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), HASH_ROUNDS).hex()
    return hmac.compare_digest(candidate, digest)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def user_json(user: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(user["id"]),
        "aud": user["aud"],
        "role": user["role"],
        "email": user["email"],
        "phone": "",
        "email_confirmed_at": iso(user["email_confirmed_at"]),
        "confirmed_at": iso(user["email_confirmed_at"]),
        "last_sign_in_at": iso(user["last_sign_in_at"]),
        "banned_until": iso(user["banned_until"]),
        "app_metadata": user["raw_app_meta_data"],
        "user_metadata": user["raw_user_meta_data"],
        "identities": [],
        "created_at": iso(user["created_at"]),
        "updated_at": iso(user["updated_at"]),
        "is_anonymous": False,
    }


def is_banned(user: dict[str, Any]) -> bool:
    banned_until = user["banned_until"]
    return banned_until is not None and banned_until.timestamp() > time.time()


async def issue_session(
    conn: psycopg.AsyncConnection,
    state: ProjectState,
    user: dict[str, Any],
    session_id: uuid.UUID,
    parent: str | None,
) -> dict[str, Any]:
    """A new access token and the session's next refresh token."""
    now = int(time.time())
    claims = {
        "iss": f"{state.url}/auth/v1",
        "sub": str(user["id"]),
        "aud": "authenticated",
        "exp": now + state.token_lifetime,
        "iat": now,
        "email": user["email"],
        "phone": "",
        "app_metadata": user["raw_app_meta_data"],
        "user_metadata": user["raw_user_meta_data"],
        "role": "authenticated",
        "aal": "aal1",
        "amr": [{"method": "password", "timestamp": now}],
        "session_id": str(session_id),
        "is_anonymous": False,
    }
    refresh_token = secrets.token_urlsafe(16)
    await conn.execute(
        "INSERT INTO auth.refresh_tokens (token, user_id, session_id, parent) VALUES (%s, %s, %s, %s)",
        [refresh_token, user["id"], session_id, parent],
    )
    return {
        "access_token": sign(state.keys.jwt_secret, claims),
        "token_type": "bearer",
        "expires_in": state.token_lifetime,
        "expires_at": now + state.token_lifetime,
        "refresh_token": refresh_token,
        "user": user_json(user),
    }


async def create_user(conn: psycopg.AsyncConnection, email: str, password: str) -> dict[str, Any]:
    try:
        cursor = conn.cursor(row_factory=dict_row)
        await cursor.execute(
            "INSERT INTO auth.users (email, encrypted_password) VALUES (lower(%s), %s) RETURNING *",
            [email, hash_password(password)],
        )
    except psycopg.errors.UniqueViolation:
        raise AuthError(422, "user_already_exists", "User already registered") from None
    return await cursor.fetchone()


async def find_user(conn: psycopg.AsyncConnection, where: str, value: Any) -> dict[str, Any] | None:
    cursor = conn.cursor(row_factory=dict_row)
    await cursor.execute(f"SELECT * FROM auth.users WHERE {where} = %s", [value])
    return await cursor.fetchone()


def check_apikey(request: Request, state: ProjectState) -> None:
    apikey = request.headers.get("apikey") or request.query_params.get("apikey")
    if not apikey:
        raise AuthError(401, "no_api_key", "No API key found in request")
    if not state.keys.known(apikey):
        raise AuthError(401, "invalid_api_key", "Invalid API key")


async def json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise AuthError(400, "bad_json", "Could not parse request body as JSON") from None
    if not isinstance(body, dict):
        raise AuthError(400, "bad_json", "Could not parse request body as JSON")
    return body


async def password_grant(
    conn: psycopg.AsyncConnection, state: ProjectState, body: dict[str, Any]
) -> dict[str, Any]:
    email, password = body.get("email"), body.get("password")
    if not email or not password:
        raise AuthError(400, "validation_failed", "missing email or phone")
    user = await find_user(conn, "email", email.lower())
    if user is None or not password_matches(password, user["encrypted_password"]):
        raise AuthError(400, "invalid_credentials", "Invalid login credentials")
    if is_banned(user):
        raise AuthError(400, "user_banned", "User is banned")
    await conn.execute("UPDATE auth.users SET last_sign_in_at = now() WHERE id = %s", [user["id"]])
    return await issue_session(conn, state, user, uuid.uuid4(), None)


async def refresh_grant(
    conn: psycopg.AsyncConnection, state: ProjectState, body: dict[str, Any]
) -> dict[str, Any]:
    token = body.get("refresh_token")
    if not token:
        raise AuthError(400, "validation_failed", "refresh_token required")
    # Locked: of two refreshes with one token, the second waits and then finds it used.
    row = await (
        await conn.execute(
            "SELECT user_id, session_id, revoked FROM auth.refresh_tokens WHERE token = %s FOR UPDATE",
            [token],
        )
    ).fetchone()
    if row is None:
        raise AuthError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")
    user_id, session_id, revoked = row
    user = await find_user(conn, "id", user_id)
    if is_banned(user):
        raise AuthError(400, "user_banned", "User is banned")
    if revoked:
        raise AuthError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used")
    await conn.execute(
        "UPDATE auth.refresh_tokens SET revoked = true, updated_at = now() WHERE token = %s", [token]
    )
    return await issue_session(conn, state, user, session_id, token)


def bearer_claims(request: Request, state: ProjectState) -> dict[str, Any]:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise AuthError(401, "no_authorization", "This endpoint requires a Bearer token")
    try:
        claims = state.keys.verify(header[len("bearer ") :])
    except TokenRejected as exc:
        raise AuthError(
            403, "bad_jwt", f"invalid JWT: unable to parse or verify signature, {exc.message}"
        ) from None
    if claims.get("role") != "authenticated" or "sub" not in claims:
        raise AuthError(403, "bad_jwt", "invalid claim: missing sub claim")
    return claims


async def handle(request: Request) -> Response:
    state: ProjectState = request.app.state.project
    path = request.path_params["path"]
    try:
        check_apikey(request, state)
        async with await state.connect() as conn, conn.transaction():
            match request.method, path:
                case "POST", "token":
                    grant = request.query_params.get("grant_type")
                    body = await json_body(request)
                    if grant == "password":
                        return JSONResponse(await password_grant(conn, state, body), headers=API_VERSION)
                    if grant == "refresh_token":
                        return JSONResponse(await refresh_grant(conn, state, body), headers=API_VERSION)
                    raise AuthError(400, "validation_failed", f"unsupported grant_type {grant!r}")
                case "POST", "signup":
                    body = await json_body(request)
                    if not body.get("email") or not body.get("password"):
                        raise AuthError(422, "validation_failed", "Signup requires a valid password")
                    user = await create_user(conn, body["email"], body["password"])
                    return JSONResponse(
                        await issue_session(conn, state, user, uuid.uuid4(), None), headers=API_VERSION
                    )
                case "GET", "user":
                    claims = bearer_claims(request, state)
                    user = await find_user(conn, "id", claims["sub"])
                    if user is None:
                        raise AuthError(403, "user_not_found", "User from sub claim in JWT does not exist")
                    return JSONResponse(user_json(user), headers=API_VERSION)
                case "POST", "logout":
                    claims = bearer_claims(request, state)
                    scope = request.query_params.get("scope", "global")
                    if scope == "global":
                        where, value = "user_id", claims["sub"]
                    elif scope == "local":
                        where, value = "session_id", claims.get("session_id")
                    else:
                        raise AuthError(400, "validation_failed", f"unsupported logout scope {scope!r}")
                    # GoTrue deletes the sessions: their refresh tokens are then not found at all.
                    await conn.execute(f"DELETE FROM auth.refresh_tokens WHERE {where} = %s", [value])
                    return Response(status_code=204, headers=API_VERSION)
            raise AuthError(
                404, "not_found", f"the loopback GoTrue does not serve {request.method} /auth/v1/{path}"
            )
    except AuthError as exc:
        log.info("%s %s -> %s %s: %s", request.method, request.url.path, exc.status, exc.code, exc.message)
        return exc.response()
