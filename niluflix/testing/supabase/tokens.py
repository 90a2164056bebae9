"""The project's JWTs: the two API keys and users' access tokens, HS256 with the project's secret.

Every part checks a token here, so an expired or forged one fails the same way on REST, auth and realtime.
"""

import time
from dataclasses import dataclass
from typing import Any

import jwt

API_ROLES = ("anon", "authenticated", "service_role")
KEY_LIFETIME = 10 * 365 * 24 * 3600  # the API keys outlive any test, as Supabase's legacy keys do


class TokenRejected(Exception):
    """A JWT that does not open a request: `code` is PostgREST's (PGRST301 invalid, PGRST303 expired)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Keys:
    jwt_secret: str
    anon_key: str
    service_role_key: str

    @classmethod
    def make(cls, jwt_secret: str) -> "Keys":
        now = int(time.time())

        def key(role: str) -> str:
            return sign(
                jwt_secret, {"iss": "supabase-demo", "role": role, "iat": now, "exp": now + KEY_LIFETIME}
            )

        return cls(jwt_secret=jwt_secret, anon_key=key("anon"), service_role_key=key("service_role"))

    def known(self, apikey: str | None) -> bool:
        return apikey in (self.anon_key, self.service_role_key)

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a token this project signed, with a role PostgREST can switch to."""
        try:
            claims = jwt.decode(token, self.jwt_secret, algorithms=["HS256"], options={"verify_aud": False})
        except jwt.ExpiredSignatureError:
            raise TokenRejected("PGRST303", "JWT expired") from None
        except jwt.InvalidTokenError as exc:
            raise TokenRejected("PGRST301", f"JWT could not be decoded: {exc}") from None
        if claims.get("role") not in API_ROLES:
            raise TokenRejected("PGRST301", f"JWT role {claims.get('role')!r} is not an API role")
        return claims


def sign(secret: str, claims: dict[str, Any]) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")
