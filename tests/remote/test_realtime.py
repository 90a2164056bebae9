"""New commands reach the home through Realtime as soon as they are queued, and only its own."""

import asyncio
import time

import pytest
from supabase import AsyncClient

from niluflix.testing.supabase import SupabaseProject

PASSWORD = "correct horse 1"  # every user's, see conftest.py
ANN_HOME = "ann-nas-0001"
BOB_HOME = "bob-nas-0001"


async def watch_commands(client: AsyncClient, home: str) -> asyncio.Queue:
    """Subscribes as a home does: INSERTs on remote_downloads for one desktop_app_id."""
    arrived: asyncio.Queue = asyncio.Queue()
    channel = client.channel(f"commands-{home}")
    channel.on_postgres_changes(
        "INSERT",
        schema="public",
        table="remote_downloads",
        filter=f"desktop_app_id=eq.{home}",
        callback=lambda payload: arrived.put_nowait((time.monotonic(), payload["data"]["record"])),
    )
    states = []
    await channel.subscribe(lambda state, error: states.append((state, error)))
    assert [state.value for state, _ in states] == ["SUBSCRIBED"], states
    return arrived


def queue(client, home: str, tmdb_id: int) -> None:
    row = {"desktop_app_id": home, "action": "download", "media_type": "movie", "tmdb_id": tmdb_id}
    client.table("remote_downloads").insert(row).execute()


async def test_the_home_hears_its_new_commands_and_no_one_elses(supabase_project: SupabaseProject, ann, bob):
    ann.table("remote_sessions").insert({"desktop_app_id": "ann-laptop-01"}).execute()
    ann_home = await supabase_project.async_sign_in("ann@example.com", PASSWORD)
    # Bob listens with Ann's home in his filter: row-level security must keep her commands from him.
    bob_home = await supabase_project.async_sign_in("bob@example.com", PASSWORD)
    try:
        heard_by_ann = await watch_commands(ann_home, ANN_HOME)
        heard_by_bob = await watch_commands(bob_home, ANN_HOME)

        await asyncio.to_thread(queue, bob, BOB_HOME, 1)  # Bob's own home
        await asyncio.to_thread(queue, ann, "ann-laptop-01", 2)  # Ann's other home: not this filter
        await asyncio.to_thread(queue, ann, ANN_HOME, 3)
        queued_at = time.monotonic()  # committed: from here on it is Realtime's latency

        arrived_at, record = await asyncio.wait_for(heard_by_ann.get(), timeout=5)
        assert (record["desktop_app_id"], record["tmdb_id"], record["status"]) == (ANN_HOME, 3, "pending")
        assert arrived_at - queued_at < 1.0
        await asyncio.sleep(0.5)  # anything else would have arrived by now
        assert heard_by_ann.empty()
        assert heard_by_bob.empty()
    finally:
        await ann_home.realtime.close()
        await bob_home.realtime.close()


async def test_the_web_ui_hears_its_command_being_taken(supabase_project: SupabaseProject, ann):
    command = (
        ann.table("remote_downloads").insert({"desktop_app_id": ANN_HOME, "action": "download"}).execute()
    )
    command_id = command.data[0]["id"]
    web = await supabase_project.async_sign_in("ann@example.com", PASSWORD)
    try:
        changes: asyncio.Queue = asyncio.Queue()
        channel = web.channel("my-commands")
        channel.on_postgres_changes(
            "UPDATE",
            schema="public",
            table="remote_downloads",
            filter=f"id=eq.{command_id}",
            callback=lambda payload: changes.put_nowait(payload["data"]),
        )
        await channel.subscribe()

        await asyncio.to_thread(
            lambda: (
                ann.table("remote_downloads")
                .update({"status": "processing"})
                .eq("id", command_id)
                .eq("status", "pending")
                .execute()
            )
        )
        change = await asyncio.wait_for(changes.get(), timeout=5)
        assert change["type"] == "UPDATE"
        assert (change["record"]["id"], change["record"]["status"]) == (command_id, "processing")
        assert change["old_record"] == {
            "id": command_id
        }  # Supabase sends only the key without REPLICA IDENTITY FULL
    finally:
        await web.realtime.close()


async def test_a_subscription_outlives_its_first_access_token(supabase_project: SupabaseProject, ann):
    supabase_project.set_token_lifetime(2)
    home = await supabase_project.async_sign_in("ann@example.com", PASSWORD)
    try:
        heard = await watch_commands(home, ANN_HOME)
        # supabase-py refreshes before expiry and pushes the new token to the channel; with the first token
        # the channel would be closed as expired.
        await asyncio.sleep(3)
        await asyncio.to_thread(queue, ann, ANN_HOME, 1)
        _, record = await asyncio.wait_for(heard.get(), timeout=2)
        assert record["tmdb_id"] == 1
    finally:
        await home.realtime.close()


async def test_a_subscription_whose_token_expired_is_closed(supabase_project: SupabaseProject, ann):
    supabase_project.set_token_lifetime(1)
    home = await supabase_project.async_sign_in("ann@example.com", PASSWORD, auto_refresh_token=False)
    try:
        heard = await watch_commands(home, ANN_HOME)
        await asyncio.sleep(1.5)
        await asyncio.to_thread(queue, ann, ANN_HOME, 1)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(heard.get(), timeout=1)
        assert home.realtime.get_channels() == []  # closed by the server, as Supabase closes it
    finally:
        await home.realtime.close()


async def test_realtime_resumes_after_an_outage(supabase_project: SupabaseProject, ann):
    home = await supabase_project.async_sign_in("ann@example.com", PASSWORD, realtime={"max_retries": 100})
    try:
        heard = await watch_commands(home, ANN_HOME)
        await asyncio.to_thread(supabase_project.stop)
        await asyncio.sleep(1)
        await asyncio.to_thread(supabase_project.start)

        # The client reconnects and rejoins on its own backoff; a command queued before that is not replayed
        # (as on Supabase), so keep queueing until one is heard.
        deadline = time.monotonic() + 15
        tmdb_id = 0
        while heard.empty() and time.monotonic() < deadline:
            tmdb_id += 1
            await asyncio.to_thread(queue, ann, ANN_HOME, tmdb_id)
            await asyncio.sleep(0.5)
        _, record = await asyncio.wait_for(heard.get(), timeout=1)
        assert record["desktop_app_id"] == ANN_HOME
        assert supabase_project.requests["WEBSOCKET", "/realtime/v1/websocket"] >= 2
    finally:
        await home.realtime.close()
