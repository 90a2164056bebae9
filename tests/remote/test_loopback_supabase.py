"""The loopback Supabase answers supabase-py as Supabase does, for the queries, keys and errors the remote
tests rely on; anything it does not do is refused, never ignored."""

import json

import httpx
import pytest
import websockets
from postgrest.exceptions import APIError
from supabase import Client, create_client
from supabase_auth.errors import AuthApiError

from niluflix.testing.supabase import SupabaseProject

HOME = "ann-nas-0001"
TITLES = [("movie", "Sintel", 2010), ("movie", "Big Buck, Bunny", None), ("tv", "Caminandes", 2013)]


@pytest.fixture
def library(ann: Client) -> Client:
    rows = [
        {"desktop_app_id": HOME, "media_type": kind, "tmdb_id": n, "title": title, "year": year}
        for n, (kind, title, year) in enumerate(TITLES)
    ]
    ann.table("shared_library").insert(rows).execute()
    return ann


def titles(response) -> list[str]:
    return [row["title"] for row in response.data]


def test_filters_order_and_paging(library: Client):
    table = library.table("shared_library")
    assert titles(
        table.select("title").in_("title", ["Sintel", "Big Buck, Bunny"]).order("title").execute()
    ) == [
        "Big Buck, Bunny",
        "Sintel",
    ]
    assert titles(table.select("title").or_("year.is.null,media_type.eq.tv").order("title").execute()) == [
        "Big Buck, Bunny",
        "Caminandes",
    ]
    assert titles(table.select("title").ilike("title", "%BUNNY%").execute()) == ["Big Buck, Bunny"]
    assert titles(table.select("title").not_.is_("year", "null").gte("year", 2011).execute()) == [
        "Caminandes"
    ]
    ordered = table.select("year").order("year", desc=True, nullsfirst=True).execute()
    assert [row["year"] for row in ordered.data] == [None, 2013, 2010]
    page = table.select("tmdb_id", count="exact").order("tmdb_id").range(1, 2).execute()
    assert (page.data, page.count) == ([{"tmdb_id": 1}, {"tmdb_id": 2}], 3)
    assert table.select("*", count="exact", head=True).execute().count == 3


def test_single_rows(library: Client):
    table = library.table("shared_library")
    assert table.select("title").eq("tmdb_id", 0).single().execute().data == {"title": "Sintel"}
    assert table.select("title").eq("tmdb_id", 99).maybe_single().execute() is None
    with pytest.raises(APIError) as many:
        table.select("title").single().execute()
    assert (many.value.code, many.value.details) == ("PGRST116", "The result contains 3 rows")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            lambda t: t.insert({"desktop_app_id": HOME, "media_type": "movie", "tmdb_id": 0, "title": "x"}),
            "23505",
        ),
        (
            lambda t: t.insert({"desktop_app_id": HOME, "media_type": "book", "tmdb_id": 9, "title": "x"}),
            "23514",
        ),
        (lambda t: t.insert({"desktop_app_id": HOME, "no_such_column": 1}), "PGRST204"),
        (lambda t: t.select("no_such_column"), "42703"),
        (lambda t: t.update({"title": "x"}), "21000"),  # Supabase refuses an update or delete of every row
        (lambda t: t.delete(), "21000"),
        (lambda t: t.upsert({"desktop_app_id": HOME, "tmdb_id": 1}, default_to_null=False), "PGRST100"),
        (lambda t: t.select("*").contains("detail", {"downloads": []}), "PGRST100"),
        (lambda t: t.select("*").eq("detail->>episodes_in_library", "12"), "PGRST100"),
    ],
)
def test_errors_carry_postgrest_codes(library: Client, change, code):
    with pytest.raises(APIError) as refused:
        change(library.table("shared_library")).execute()
    assert refused.value.code == code


def test_keys_and_tokens(supabase_project: SupabaseProject, library: Client):
    rest = f"{supabase_project.url}/rest/v1/shared_library"
    assert httpx.get(rest).status_code == 401
    assert httpx.get(rest, headers={"apikey": "not-a-key"}).json()["message"] == "Invalid API key"
    forged = httpx.get(
        rest, headers={"apikey": supabase_project.anon_key, "Authorization": "Bearer abc.def.ghi"}
    )
    assert (forged.status_code, forged.json()["code"]) == (401, "PGRST301")

    # The service-role key bypasses row-level security: for arranging and inspecting, never for NiluFlix.
    admin = create_client(supabase_project.url, supabase_project.service_role_key)
    assert len(admin.table("shared_library").select("id").execute().data) == 3


def test_sign_out_ends_the_session(supabase_project: SupabaseProject, ann: Client):
    refresh_token = ann.auth.get_session().refresh_token
    ann.auth.sign_out()
    with pytest.raises(AuthApiError) as ended:
        create_client(supabase_project.url, supabase_project.anon_key).auth.refresh_session(refresh_token)
    assert ended.value.code == "refresh_token_not_found"


def test_sign_up_signs_in_at_once(supabase_project: SupabaseProject):
    client = create_client(supabase_project.url, supabase_project.anon_key)
    signed_up = client.auth.sign_up({"email": "new@example.com", "password": "a long password"})
    assert signed_up.session is not None  # confirmed at once, as a project without email confirmation does
    assert client.auth.get_user().user.email == "new@example.com"
    with pytest.raises(AuthApiError) as again:
        client.auth.sign_up({"email": "new@example.com", "password": "a long password"})
    assert again.value.code == "user_already_exists"


async def test_realtime_speaks_phoenix_and_refuses_what_it_cannot_do(supabase_project: SupabaseProject, ann):
    socket_url = supabase_project.url.replace("http://", "ws://") + "/realtime/v1/websocket?vsn=1.0.0&apikey="
    with pytest.raises(websockets.InvalidStatus):
        async with websockets.connect(socket_url + "not-a-key"):
            pass
    token = ann.auth.get_session().access_token
    async with websockets.connect(socket_url + supabase_project.anon_key) as socket:

        async def push(topic: str, event: str, payload: dict) -> dict:
            await socket.send(json.dumps({"topic": topic, "event": event, "payload": payload, "ref": "1"}))
            return json.loads(await socket.recv())

        assert (await push("phoenix", "heartbeat", {}))["payload"] == {"status": "ok", "response": {}}
        for binding, reason in [
            ({"table": "remote_downloads", "filter": "status=cs.pending"}, "invalid filter"),
            ({"table": "remote_downloads", "filter": "nope=eq.1"}, "does not exist"),
            ({"table": "shared_library"}, "not in the publication"),
        ]:
            config = {"postgres_changes": [{"event": "INSERT", "schema": "public"} | binding]}
            reply = await push("realtime:x", "phx_join", {"config": config, "access_token": token})
            assert reply["payload"]["status"] == "error"
            assert reason in reply["payload"]["response"]["reason"]
        refused = await push("realtime:x", "phx_join", {"config": {}, "access_token": "forged"})
        assert refused["payload"]["status"] == "error"
