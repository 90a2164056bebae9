-- Supabase's API roles. Roles belong to the whole PostgreSQL cluster, which other test databases share:
-- created only when missing. The caller holds an advisory lock, so two projects starting together do not race.
do $$
declare
  wanted text[][] := array[
    ['anon', 'nologin noinherit'],
    ['authenticated', 'nologin noinherit'],
    ['service_role', 'nologin noinherit bypassrls'],
    ['authenticator', 'login noinherit']
  ];
  i int;
begin
  for i in 1 .. array_length(wanted, 1) loop
    if not exists (select from pg_roles where rolname = wanted[i][1]) then
      execute format('create role %I %s', wanted[i][1], wanted[i][2]);
    end if;
  end loop;
  if not pg_has_role('authenticator', 'service_role', 'member') then
    grant anon, authenticated, service_role to authenticator;
  end if;
end $$;
