"""What the REST, auth and realtime parts share: the database, the keys, the token lifetime, the counters."""

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from niluflix.testing.supabase.tokens import Keys


@dataclass
class ProjectState:
    database_url: str
    keys: Keys
    url: str = ""  # the project's base URL, once the server listens; the `iss` of its access tokens
    token_lifetime: int = 3600  # seconds an access token lives, as GoTrue's JWT_EXP
    requests: Counter[tuple[str, str]] = field(default_factory=Counter)

    async def connect(self) -> psycopg.AsyncConnection:
        return await psycopg.AsyncConnection.connect(self.database_url)


async def act_as(conn: psycopg.AsyncConnection, claims: dict[str, Any]) -> None:
    """What PostgREST does at the start of each request's transaction: the JWT's role and its claims, so
    row-level security and `auth.uid()` see the caller. Only for the current transaction."""
    await conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(claims["role"])))
    await conn.execute("SELECT set_config('request.jwt.claims', %s, true)", [json.dumps(claims)])
