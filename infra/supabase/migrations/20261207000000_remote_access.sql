-- NiluFlix remote access: what the home instance mirrors and the commands the remote web UI queues.
-- Applied to the user's own Supabase project (`supabase db push`, or pasted into the SQL editor).
-- Row-level security is the only thing between users: every table has it, every policy is "own rows only".

create table public.remote_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  -- One row per home instance of the user (a NAS and a laptop are two).
  desktop_app_id text not null check (length(desktop_app_id) between 8 and 64),
  display_name text,
  app_version text,
  -- Not reset by a crash: the remote side trusts `last_sync` (fresh for 3 minutes), not this flag.
  is_online boolean not null default false,
  last_sync timestamptz,
  created_at timestamptz not null default now(),
  unique (user_id, desktop_app_id)
);

create table public.shared_library (
  id bigint generated always as identity primary key,
  user_id uuid not null default auth.uid(),
  desktop_app_id text not null,
  media_type text not null check (media_type in ('movie', 'tv')),
  tmdb_id integer not null,
  title text not null,
  year integer,
  poster_path text,
  download_status text not null default 'none' check (download_status in
    ('none', 'wanted', 'queued', 'downloading', 'paused', 'completed', 'failed')),
  progress real check (progress between 0 and 100),
  -- What a phone shows beyond the row: the title's active downloads (job id, what, state, progress,
  -- why it waits), a show's episodes in the library. Written by the home only; shape in infra/supabase/README.md.
  detail jsonb not null default '{}',
  synced_at timestamptz not null default now(),
  unique (user_id, desktop_app_id, media_type, tmdb_id),
  -- A user can only mirror into, or command, their own instances.
  foreign key (user_id, desktop_app_id) references public.remote_sessions (user_id, desktop_app_id)
    on delete cascade
);

create table public.remote_downloads (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid(),
  desktop_app_id text not null,
  action text not null check (action in ('download', 'cancel', 'pause', 'resume')),
  media_type text check (media_type in ('movie', 'tv')),
  tmdb_id integer,
  -- download: {"title", "year", "seasons": [..], "episodes": [{"season", "episode"}], "profile"};
  -- cancel / pause / resume: {"job_id"}.
  payload jsonb not null default '{}',
  status text not null default 'pending' check (status in ('pending', 'processing', 'completed', 'failed')),
  error_message text,
  -- The outcome in words ("queued: Sintel (2010)"), shown on the phone.
  result_message text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (user_id, desktop_app_id) references public.remote_sessions (user_id, desktop_app_id)
    on delete cascade
);

create index remote_downloads_pending on public.remote_downloads (user_id, desktop_app_id, created_at)
  where status = 'pending';

create function public.touch_updated_at() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end $$;

create trigger remote_downloads_touch before update on public.remote_downloads
  for each row execute function public.touch_updated_at();

alter table public.remote_sessions enable row level security;
alter table public.shared_library enable row level security;
alter table public.remote_downloads enable row level security;

create policy own_sessions on public.remote_sessions for all to authenticated
  using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy own_library on public.shared_library for all to authenticated
  using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy own_commands_select on public.remote_downloads for select to authenticated
  using ((select auth.uid()) = user_id);
-- A new command is always pending: nobody can insert one that claims to have run.
create policy own_commands_insert on public.remote_downloads for insert to authenticated
  with check ((select auth.uid()) = user_id and status = 'pending');
create policy own_commands_update on public.remote_downloads for update to authenticated
  using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
-- A command being carried out cannot be deleted from under the home.
create policy own_commands_delete on public.remote_downloads for delete to authenticated
  using ((select auth.uid()) = user_id and status in ('pending', 'completed', 'failed'));

alter publication supabase_realtime add table public.remote_downloads;
