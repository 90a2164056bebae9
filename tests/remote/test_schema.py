"""The remote-access schema (infra/supabase/migrations) through supabase-py, on the loopback Supabase:
row-level security between users, the command rules, the home's claim and sync requests, sessions."""

import time
import uuid

import pytest
from postgrest.exceptions import APIError
from supabase import Client, create_client
from supabase_auth.errors import AuthApiError

from niluflix.testing.supabase import SupabaseProject

PASSWORD = "correct horse 1"  # every user's, see conftest.py
ANN_HOME = "ann-nas-0001"
BOB_HOME = "bob-nas-0001"


def sign_in(project: SupabaseProject, email: str, *, auto_refresh: bool = True) -> Client:
    return project.sign_in(email, PASSWORD, auto_refresh_token=auto_refresh)


def queue(client: Client, home: str, **fields) -> dict:
    row = {"desktop_app_id": home, "action": "download", "media_type": "movie", "tmdb_id": 45745} | fields
    return client.table("remote_downloads").insert(row).execute().data[0]


def test_users_cannot_see_or_change_each_others_rows(supabase_project, ann, bob):
    command = queue(ann, ANN_HOME)
    ann.table("shared_library").insert(
        {"desktop_app_id": ANN_HOME, "media_type": "movie", "tmdb_id": 45745, "title": "Sintel"}
    ).execute()

    for table in ("remote_sessions", "shared_library", "remote_downloads"):
        assert bob.table(table).select("*").eq("desktop_app_id", ANN_HOME).execute().data == []
        assert len(ann.table(table).select("*").eq("desktop_app_id", ANN_HOME).execute().data) == 1
    assert [row["desktop_app_id"] for row in bob.table("remote_sessions").select("*").execute().data] == [
        BOB_HOME
    ]

    # Bob's update and delete of Ann's command touch nothing.
    assert (
        bob.table("remote_downloads").update({"status": "failed"}).eq("id", command["id"]).execute().data
        == []
    )
    assert bob.table("remote_downloads").delete().eq("id", command["id"]).execute().data == []
    assert supabase_project.sql("SELECT status FROM remote_downloads") == [{"status": "pending"}]

    # Bob cannot queue a command for Ann's home: her instance is not his (foreign key), nor her rows (policy).
    with pytest.raises(APIError) as no_such_home:
        queue(bob, ANN_HOME)
    assert no_such_home.value.code == "23503"
    ann_id = ann.auth.get_user().user.id
    with pytest.raises(APIError) as not_his:
        queue(bob, ANN_HOME, user_id=ann_id)
    assert not_his.value.code == "42501"

    anon = create_client(supabase_project.url, supabase_project.anon_key)
    for table in ("remote_sessions", "shared_library", "remote_downloads"):
        assert anon.table(table).select("*").execute().data == []
    with pytest.raises(APIError) as anon_insert:
        anon.table("remote_downloads").insert({"desktop_app_id": ANN_HOME, "action": "download"}).execute()
    assert anon_insert.value.code == "42501"


def test_a_command_is_only_ever_inserted_pending(supabase_project, ann):
    with pytest.raises(APIError) as refused:
        queue(ann, ANN_HOME, status="completed")
    assert refused.value.code == "42501"
    assert "row-level security" in refused.value.message
    assert supabase_project.sql("SELECT count(*) AS n FROM remote_downloads") == [{"n": 0}]
    assert queue(ann, ANN_HOME)["status"] == "pending"


def test_only_one_claim_of_a_command_wins(ann):
    command = queue(ann, ANN_HOME)

    def claim():
        return (
            ann.table("remote_downloads")
            .update({"status": "processing"})
            .eq("id", command["id"])
            .eq("status", "pending")
            .execute()
            .data
        )

    first = claim()
    assert [row["status"] for row in first] == ["processing"]
    assert first[0]["updated_at"] > command["updated_at"]  # the trigger stamps every change
    assert claim() == []


async def test_the_home_claims_and_settles_a_command_with_the_async_client(supabase_project, ann):
    command = queue(ann, ANN_HOME)
    home = await supabase_project.async_sign_in("ann@example.com", PASSWORD)
    commands = home.table("remote_downloads")

    pending = await commands.select("id").eq("desktop_app_id", ANN_HOME).eq("status", "pending").execute()
    assert pending.data == [{"id": command["id"]}]
    claimed = (
        await commands.update({"status": "processing"})
        .eq("id", command["id"])
        .eq("status", "pending")
        .execute()
    )
    assert len(claimed.data) == 1
    await (
        commands.update({"status": "completed", "result_message": "queued: Sintel (2010)"})
        .eq("id", command["id"])
        .execute()
    )

    # The web UI (the sync client here) reads the outcome.
    outcome = ann.table("remote_downloads").select("status,result_message").eq("id", command["id"]).single()
    assert outcome.execute().data == {"status": "completed", "result_message": "queued: Sintel (2010)"}


def test_a_command_being_carried_out_cannot_be_deleted(supabase_project, ann):
    processing = queue(ann, ANN_HOME)
    ann.table("remote_downloads").update({"status": "processing"}).eq("id", processing["id"]).execute()
    assert ann.table("remote_downloads").delete().eq("id", processing["id"]).execute().data == []
    assert supabase_project.sql("SELECT status FROM remote_downloads") == [{"status": "processing"}]

    done = queue(ann, ANN_HOME)
    ann.table("remote_downloads").update({"status": "completed"}).eq("id", done["id"]).execute()
    deleted = ann.table("remote_downloads").delete().eq("id", done["id"]).execute().data
    assert [row["id"] for row in deleted] == [done["id"]]


def test_the_library_is_upserted_in_one_request_and_merged(supabase_project, ann):
    # Every row carries every column it sets: in a batch, PostgREST writes NULL for a key one row lacks.
    rows = [
        {
            "desktop_app_id": ANN_HOME,
            "media_type": "movie",
            "tmdb_id": n,
            "title": f"Movie {n}",
            "year": 2000,
            "download_status": "none",
        }
        for n in range(1, 5001)
    ]
    supabase_project.reset_requests()
    ann.table("shared_library").upsert(
        rows, on_conflict="user_id,desktop_app_id,media_type,tmdb_id"
    ).execute()
    assert supabase_project.requests["POST", "/rest/v1/shared_library"] == 1

    for row in rows[:10]:
        row |= {"title": "Renamed", "download_status": "completed"}
    ann.table("shared_library").upsert(
        rows, on_conflict="user_id,desktop_app_id,media_type,tmdb_id"
    ).execute()
    assert supabase_project.requests["POST", "/rest/v1/shared_library"] == 2

    counts = supabase_project.sql(
        "SELECT count(*) AS rows, count(*) FILTER (WHERE title = 'Renamed' AND download_status = 'completed') "
        "AS renamed FROM shared_library"
    )
    assert counts == [{"rows": 5000, "renamed": 10}]
    page = ann.table("shared_library").select("tmdb_id", count="exact").order("tmdb_id").limit(3).execute()
    assert page.count == 5000
    assert page.data == [{"tmdb_id": 1}, {"tmdb_id": 2}, {"tmdb_id": 3}]


def test_an_expired_access_token_is_refused_until_refreshed(supabase_project, ann):
    supabase_project.create_user("home@example.com", PASSWORD)
    supabase_project.set_token_lifetime(1)
    home = sign_in(supabase_project, "home@example.com", auto_refresh=False)
    time.sleep(1.5)

    with pytest.raises(APIError) as expired:
        home.table("remote_sessions").select("*").execute()
    assert expired.value.code == "PGRST303"

    supabase_project.set_token_lifetime(3600)
    home.auth.get_session()  # refreshes an expired session, and the REST client takes the new token
    assert home.table("remote_sessions").select("*").execute().data == []


def test_a_refresh_token_is_used_once(supabase_project):
    supabase_project.create_user("home@example.com", PASSWORD)
    home = sign_in(supabase_project, "home@example.com", auto_refresh=False)
    first = home.auth.get_session().refresh_token
    home.auth.refresh_session()
    assert home.auth.get_session().refresh_token != first

    stolen = create_client(supabase_project.url, supabase_project.anon_key)
    with pytest.raises(AuthApiError) as reused:
        stolen.auth.refresh_session(first)
    assert reused.value.code == "refresh_token_already_used"


def test_a_revoked_user_can_no_longer_refresh(supabase_project):
    user_id = supabase_project.create_user("home@example.com", PASSWORD)
    home = sign_in(supabase_project, "home@example.com", auto_refresh=False)
    supabase_project.revoke(user_id)

    with pytest.raises(AuthApiError) as refused:
        home.auth.refresh_session()
    assert refused.value.code == "user_banned"
    assert refused.value.message == "User is banned"
    with pytest.raises(AuthApiError) as signin:
        sign_in(supabase_project, "home@example.com")
    assert signin.value.code == "user_banned"


def test_the_wrong_password_is_refused(supabase_project):
    supabase_project.create_user("ann@example.com", PASSWORD)
    client = create_client(supabase_project.url, supabase_project.anon_key)
    with pytest.raises(AuthApiError) as refused:
        client.auth.sign_in_with_password({"email": "ann@example.com", "password": "wrong"})
    assert refused.value.code == "invalid_credentials"


def test_what_the_fake_does_not_support_is_refused_not_ignored(supabase_project, ann):
    with pytest.raises(APIError) as embedding:
        ann.table("remote_downloads").select("*, remote_sessions(*)").execute()
    assert embedding.value.code == "PGRST100"
    with pytest.raises(APIError) as contains:
        ann.table("remote_downloads").select("*").contains("payload", {"title": "x"}).execute()
    assert contains.value.code == "PGRST100"
    with pytest.raises(APIError) as unknown_table:
        ann.table("nowhere").select("*").execute()
    assert unknown_table.value.code == "PGRST205"
    with pytest.raises(APIError) as unfiltered:
        ann.table("remote_downloads").delete().neq("id", str(uuid.uuid4())).limit(1).execute()
    assert unfiltered.value.code == "PGRST100"
