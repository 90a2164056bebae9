"""One loopback Supabase project: its own PostgreSQL database (the shim, then the migrations, in order) and
the server in front of it, with the handles a test needs (users, revocation, token lifetime, outages,
superuser reads, request counts)."""

import secrets
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.rows import dict_row

from niluflix.testing.postgres import with_database
from niluflix.testing.supabase.auth import hash_password
from niluflix.testing.supabase.realtime import attach_triggers
from niluflix.testing.supabase.server import SupabaseServer
from niluflix.testing.supabase.state import ProjectState
from niluflix.testing.supabase.tokens import Keys

if TYPE_CHECKING:
    from supabase import AsyncClient, Client

HERE = Path(__file__).parent
MIGRATIONS = Path(__file__).resolve().parents[3] / "infra" / "supabase" / "migrations"
DEFAULT_TOKEN_LIFETIME = 3600  # Supabase's default JWT expiry
ROLES_LOCK = 7_354_112  # advisory lock key: one project at a time creates the cluster-wide roles


class SupabaseProject:
    """A running project: its URL and keys for supabase-py, and what a test does behind the clients' backs.
    Made by `loopback_supabase` (or the `supabase_project` fixture), which owns its database."""

    def __init__(self, database_url: str, jwt_secret: str) -> None:
        self.database_url = database_url
        self.jwt_secret = jwt_secret
        self._keys = Keys.make(jwt_secret)
        self._state = ProjectState(database_url=database_url, keys=self._keys)
        self._server = SupabaseServer(self._state)

    @property
    def url(self) -> str:
        return self._state.url

    @property
    def anon_key(self) -> str:
        return self._keys.anon_key

    @property
    def service_role_key(self) -> str:
        """Bypasses row-level security: for tests that arrange or inspect rows, never for the code under test."""
        return self._keys.service_role_key

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def requests(self) -> Counter[tuple[str, str]]:
        """Requests served so far, by `(method, path)`: `project.requests["POST", "/rest/v1/shared_library"]`."""
        return self._state.requests

    def reset_requests(self) -> None:
        self._state.requests.clear()

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        """Down: the port refuses connections and open realtime sockets drop, until `start()`."""
        self._server.stop()

    def set_token_lifetime(self, seconds: int) -> None:
        """Access tokens issued from now on expire after `seconds` (Supabase's default is 3600)."""
        self._state.token_lifetime = seconds

    def create_user(self, email: str, password: str) -> str:
        """A confirmed email user; returns its id."""
        rows = self.sql(
            "INSERT INTO auth.users (email, encrypted_password) VALUES (lower(%s), %s) RETURNING id",
            email,
            hash_password(password),
        )
        return str(rows[0]["id"])

    def sign_in(self, email: str, password: str, **options: Any) -> "Client":
        """A sync supabase-py client signed in as the user; `options` are `ClientOptions` fields."""
        from supabase import ClientOptions, create_client

        client = create_client(self.url, self.anon_key, ClientOptions(**options))
        client.auth.sign_in_with_password({"email": email, "password": password})
        return client

    async def async_sign_in(self, email: str, password: str, **options: Any) -> "AsyncClient":
        """An async supabase-py client signed in as the user: the only kind with realtime."""
        from supabase import AsyncClientOptions, acreate_client

        client = await acreate_client(self.url, self.anon_key, AsyncClientOptions(**options))
        await client.auth.sign_in_with_password({"email": email, "password": password})
        return client

    def revoke(self, user_id: str) -> None:
        """Bans the user and revokes every refresh token: its next refresh fails with `user_banned`.
        Access tokens already issued stay valid until they expire, as on Supabase."""
        self.sql("UPDATE auth.users SET banned_until = now() + interval '100 years' WHERE id = %s", user_id)
        self.sql("UPDATE auth.refresh_tokens SET revoked = true WHERE user_id = %s", user_id)

    def reset(self) -> None:
        """Back to a fresh project between tests: no users, no rows, default token lifetime, listening, counts
        zeroed. Much faster than a new database (PostgreSQL's CREATE and DROP DATABASE take about a second)."""
        with psycopg.connect(self.database_url) as conn, conn.transaction():
            tables = conn.execute(
                "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
            # DELETE, not TRUNCATE: a few rows go quicker than new files; replica mode skips foreign-key checks
            # (so any order works) and the realtime trigger (nobody should hear a reset).
            conn.execute("SET LOCAL session_replication_role = replica")
            for (name,) in [("auth.refresh_tokens",), ("auth.users",), *tables]:
                conn.execute(f"DELETE FROM {name}")
        self.set_token_lifetime(DEFAULT_TOKEN_LIFETIME)
        self.start()
        self.reset_requests()

    def sql(self, query: str, *params: Any) -> list[dict[str, Any]]:
        """Runs `query` as the superuser (row-level security does not apply), committed; returns its rows."""
        with psycopg.connect(self.database_url, autocommit=True, row_factory=dict_row) as conn:
            cursor = conn.execute(query, params or None)
            return cursor.fetchall() if cursor.description else []


def apply_sql(conn: psycopg.Connection, path: Path) -> None:
    try:
        conn.execute(path.read_text())
    except psycopg.Error as exc:
        raise RuntimeError(f"{path.name} failed on the loopback Supabase: {exc}") from exc


@contextmanager
def loopback_supabase(postgres_url: str, migrations: Path = MIGRATIONS) -> Iterator[SupabaseProject]:
    """A running project on a new database of the server at `postgres_url`; dropped afterwards."""
    name = f"supabase_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("SELECT pg_advisory_lock(%s)", [ROLES_LOCK])
        try:
            apply_sql(admin, HERE / "roles.sql")
        finally:
            admin.execute("SELECT pg_advisory_unlock(%s)", [ROLES_LOCK])
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = with_database(postgres_url, name)
    project = None
    try:
        with psycopg.connect(database_url, autocommit=True) as conn:
            apply_sql(conn, HERE / "shim.sql")
            for migration in sorted(migrations.glob("*.sql")):
                apply_sql(conn, migration)
            attach_triggers(conn)
        project = SupabaseProject(database_url, jwt_secret=secrets.token_urlsafe(32))
        project.start()
        yield project
    finally:
        if project is not None:
            project.stop()
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
