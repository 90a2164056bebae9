-- What a Supabase project has before its own migrations run, as far as NiluFlix's schema and tests reach:
-- the API roles, `auth.users`, the `auth.*` functions policies call, the broad default grants (so row-level
-- security is the only thing between users, as on Supabase), and the realtime publication.
-- The roles are cluster-wide and created by `roles.sql`; everything here belongs to this one database.

create schema auth;
grant usage on schema auth to anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;

create table auth.users (
  id uuid primary key default gen_random_uuid(),
  aud text not null default 'authenticated',
  role text not null default 'authenticated',
  email text unique,
  encrypted_password text not null,
  email_confirmed_at timestamptz default now(),
  banned_until timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb not null default '{"provider": "email", "providers": ["email"]}',
  raw_user_meta_data jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One row per refresh token; a refresh revokes the token it used and adds its successor in the same session.
create table auth.refresh_tokens (
  id bigint generated always as identity primary key,
  token text not null unique,
  user_id uuid not null references auth.users (id) on delete cascade,
  session_id uuid not null,
  parent text,
  revoked boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- As Supabase defines them: the claims PostgREST put in `request.jwt.claims` for this transaction.
create function auth.uid() returns uuid language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create function auth.role() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

grant execute on function auth.uid(), auth.role(), auth.jwt() to anon, authenticated, service_role;

-- Supabase grants everything in `public` to the API roles; what a role may really do is up to the policies.
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;

create publication supabase_realtime;

-- Realtime's feed: Supabase decodes the WAL of the tables in `supabase_realtime`; here a trigger on each of
-- them (attached after the migrations, see `realtime.attach_triggers`) sends the row and its key by NOTIFY.
-- A row too large for a NOTIFY (8000 bytes) goes by its key only and is read back by the server.
create schema realtime;

create function realtime.notify_change() returns trigger language plpgsql security definer as $$
declare
  record jsonb := to_jsonb(new);
  pk jsonb := '{}';
  name text;
  message jsonb;
begin
  foreach name in array tg_argv loop
    pk := pk || jsonb_build_object(name, record -> name);
  end loop;
  message := jsonb_build_object('schema', tg_table_schema, 'table', tg_table_name, 'type', tg_op,
    'commit_timestamp', now(), 'pk', pk, 'record', record);
  if octet_length(message::text) > 7900 then
    message := message - 'record';
  end if;
  perform pg_notify('supabase_realtime', message::text);
  return null;
end $$;
