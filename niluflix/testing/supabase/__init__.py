"""A loopback Supabase project for tests: PostgREST, GoTrue and Realtime on the real PostgreSQL.

Real Supabase cannot run here (its servers come as Docker images), so this is the smallest stand-in that
still lets PostgreSQL decide what Supabase's would: each request runs as the JWT's role with its claims,
so the schema's row-level security, defaults, checks and foreign keys are tested for real, through
supabase-py itself.

    with loopback_supabase(postgres_url) as project:   # or the `supabase_project` fixture
        user_id = project.create_user("ann@example.com", "secret-1")
        client = create_client(project.url, project.anon_key)
        client.auth.sign_in_with_password({"email": "ann@example.com", "password": "secret-1"})

Parts: `shim.sql` + `roles.sql` (what a Supabase database has before the project's migrations), `rest.py`
(PostgREST), `auth.py` (GoTrue), `realtime.py` (Realtime's postgres_changes), `server.py` (the app and its
thread), `project.py` (a database per project and the test's handles).
"""

from niluflix.testing.supabase.project import SupabaseProject, loopback_supabase

__all__ = ["SupabaseProject", "loopback_supabase"]
