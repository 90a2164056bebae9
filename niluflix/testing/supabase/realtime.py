"""Supabase Realtime's `postgres_changes` over its Phoenix v1 JSON websocket (`/realtime/v1/websocket`).

A client joins `realtime:<name>` with `config.postgres_changes` bindings (`{event, schema, table, filter}`)
and an `access_token`; the reply gives each binding an id, and each change then arrives as a
`postgres_changes` message naming the ids it matched. Heartbeats on `phoenix` are answered; an
`access_token` push replaces the channel's token; a token that has expired closes the channel, as on
Supabase (the client refreshes it before then).

The feed: a trigger on every table of the `supabase_realtime` publication NOTIFYs each INSERT and UPDATE
(`shim.sql`), one LISTEN connection hands it to every channel, and a change is sent to a subscriber only if
it passes the binding's filter (`col=eq.v`; also `neq lt lte gt gte in`) and the subscriber, as its own role
and claims, can select the row: row-level security decides, as Supabase's does. DELETEs are not fed (a
binding for them is refused); missed events are not replayed, as on Supabase.
"""

import asyncio
import contextlib
import json
import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from starlette.websockets import WebSocket, WebSocketDisconnect

from niluflix.testing.supabase import rest
from niluflix.testing.supabase.state import ProjectState, act_as
from niluflix.testing.supabase.tokens import TokenRejected

log = logging.getLogger(__name__)

CHANNEL = "supabase_realtime"
EVENTS = {"*", "INSERT", "UPDATE"}  # DELETE is not fed: a binding for it is refused, not left silent
FILTER_OPERATORS = {"eq", "neq", "lt", "lte", "gt", "gte", "in"}


def attach_triggers(conn: psycopg.Connection) -> None:
    """The NOTIFY trigger on each table of the publication that has a primary key (Realtime needs one)."""
    tables = conn.execute(
        """
        SELECT p.schemaname, p.tablename, array(
          SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
          WHERE i.indrelid = format('%%I.%%I', p.schemaname, p.tablename)::regclass AND i.indisprimary)
        FROM pg_publication_tables p WHERE p.pubname = %s
        """,
        [CHANNEL],
    ).fetchall()
    for schema, table, primary_key in tables:
        if not primary_key:
            continue
        conn.execute(
            sql.SQL(
                "CREATE TRIGGER realtime_notify AFTER INSERT OR UPDATE ON {} "
                "FOR EACH ROW EXECUTE FUNCTION realtime.notify_change({})"
            ).format(sql.Identifier(schema, table), sql.SQL(", ").join(sql.Literal(c) for c in primary_key))
        )


class JoinRefused(Exception):
    pass


@dataclass
class Binding:
    id: int
    event: str
    schema: str
    table: str
    filter: str | None
    where: sql.Composable
    params: list[Any]

    def reply(self) -> dict[str, Any]:
        answer = {"id": self.id, "event": self.event, "schema": self.schema, "table": self.table}
        if self.filter is not None:
            answer["filter"] = self.filter
        return answer


@dataclass
class Channel:
    topic: str
    join_ref: str | None
    claims: dict[str, Any]
    bindings: list[Binding]


@dataclass(eq=False)  # hashed by identity: the hub keeps a set of them
class Subscriber:
    """One websocket and its channels; sends are serialised (the feed and the replies share the socket)."""

    websocket: WebSocket
    apikey: str
    channels: dict[str, Channel] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(
        self, topic: str, event: str, payload: dict[str, Any], ref: str | None = None, join_ref=None
    ):
        message = {"topic": topic, "event": event, "payload": payload, "ref": ref, "join_ref": join_ref}
        async with self.lock:
            await self.websocket.send_text(json.dumps(message))


class Hub:
    """The LISTEN connection and every subscriber of this server."""

    def __init__(self, state: ProjectState) -> None:
        self.state = state
        self.subscribers: set[Subscriber] = set()
        self._task: asyncio.Task | None = None
        self._check: psycopg.AsyncConnection | None = None
        self._check_lock = asyncio.Lock()
        self._listening = asyncio.Event()

    async def start(self) -> None:
        self._check = await self.state.connect()
        self._task = asyncio.create_task(self._listen(), name="realtime-listen")
        await self._listening.wait()

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._check:
            await self._check.close()

    async def _listen(self) -> None:
        async with await psycopg.AsyncConnection.connect(self.state.database_url, autocommit=True) as conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            self._listening.set()
            async for notify in conn.notifies():
                await self.dispatch(json.loads(notify.payload))

    async def dispatch(self, change: dict[str, Any]) -> None:
        for subscriber in list(self.subscribers):
            for channel in list(subscriber.channels.values()):
                if channel.claims.get("exp", float("inf")) < time.time():
                    await close_expired(subscriber, channel)
                    continue
                try:
                    matched = await self._matches(channel, change)
                except psycopg.Error:
                    log.exception(
                        "realtime: %s.%s change not checked for %s",
                        change["schema"],
                        change["table"],
                        channel.topic,
                    )
                    continue
                if matched is None:
                    continue
                ids, record, columns = matched
                data = {
                    "schema": change["schema"],
                    "table": change["table"],
                    "commit_timestamp": change["commit_timestamp"],
                    "type": change["type"],
                    "columns": columns,
                    "record": record,
                    "errors": None,
                }
                if change["type"] == "UPDATE":
                    data["old_record"] = change["pk"]  # what Supabase sends without REPLICA IDENTITY FULL
                with contextlib.suppress(Exception):  # a socket closing meanwhile is the client's business
                    await subscriber.send(channel.topic, "postgres_changes", {"ids": ids, "data": data})

    async def _matches(
        self, channel: Channel, change: dict[str, Any]
    ) -> tuple[list[int], dict[str, Any], list[dict[str, str]]] | None:
        """The ids of the channel's bindings the change passes, the record, its columns; None if none."""
        bindings = [
            b
            for b in channel.bindings
            if b.schema == change["schema"]
            and b.table == change["table"]
            and b.event in ("*", change["type"])
        ]
        if not bindings:
            return None
        table = sql.Identifier(change["schema"], change["table"])
        pk = list(change["pk"])
        key = sql.SQL(", ").join(sql.Identifier(c) for c in pk)
        async with self._check_lock, self._check.transaction():
            await act_as(self._check, channel.claims)
            # Row-level security for this subscriber: can it select the row, as it is now?
            row = await (
                await self._check.execute(
                    sql.SQL(
                        "SELECT to_jsonb(t) FROM {t} t WHERE ({key}) = "
                        "(SELECT {key} FROM jsonb_populate_record(NULL::{t}, %s::jsonb))"
                    ).format(t=table, key=key),
                    [json.dumps(change["pk"])],
                )
            ).fetchone()
            if row is None:
                return None
            record = change.get("record") or row[0]
            ids = []
            for binding in bindings:
                (passes,) = await (
                    await self._check.execute(
                        sql.SQL(
                            "SELECT EXISTS (SELECT 1 FROM jsonb_populate_record(NULL::{t}, %s::jsonb) r WHERE {where})"
                        ).format(t=table, where=binding.where),
                        [json.dumps(record), *binding.params],
                    )
                ).fetchone()
                if passes:
                    ids.append(binding.id)
            columns = await (
                await self._check.execute(
                    "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                    "WHERE attrelid = format('%%I.%%I', %s::text, %s::text)::regclass AND attnum > 0 AND NOT attisdropped "
                    "ORDER BY attnum",
                    [change["schema"], change["table"]],
                )
            ).fetchall()
        if not ids:
            return None
        return ids, record, [{"name": name, "type": kind} for name, kind in columns]

    async def binding(self, spec: dict[str, Any]) -> Binding:
        event, schema, table_name = spec.get("event", "*"), spec.get("schema", "public"), spec.get("table")
        filter_text = spec.get("filter")
        if event not in EVENTS or schema != rest.SCHEMA or not table_name:
            raise JoinRefused(
                f"the loopback Realtime supports events {sorted(EVENTS)} on tables of 'public': {spec}"
            )
        async with self._check_lock, self._check.transaction():
            try:
                table = await rest.load_table(self._check, table_name)
            except rest.PostgrestError as exc:
                raise JoinRefused(exc.body["message"]) from None
            published = await (
                await self._check.execute(
                    "SELECT 1 FROM pg_publication_tables WHERE pubname = %s AND schemaname = %s AND tablename = %s",
                    [CHANNEL, schema, table_name],
                )
            ).fetchone()
        if not published:
            raise JoinRefused(f"{schema}.{table_name} is not in the publication {CHANNEL}")
        where, params = sql.SQL("TRUE"), []
        if filter_text:
            column, equals, expression = filter_text.partition("=")
            operator = expression.partition(".")[0]
            if not equals or operator not in FILTER_OPERATORS:
                raise JoinRefused(
                    f"invalid filter {filter_text!r}: expected column=op.value, op one of {sorted(FILTER_OPERATORS)}"
                )
            try:
                where, params = rest.condition(table, column, expression)
            except rest.PostgrestError as exc:
                raise JoinRefused(f"invalid filter {filter_text!r}: {exc.body['message']}") from None
        return Binding(random.randint(1, 2**27), event, schema, table_name, filter_text, where, params)


async def close_expired(subscriber: Subscriber, channel: Channel) -> None:
    subscriber.channels.pop(channel.topic, None)
    name = channel.topic.removeprefix("realtime:")
    with contextlib.suppress(Exception):
        await subscriber.send(
            channel.topic,
            "system",
            {"channel": name, "extension": "system", "message": "Token has expired", "status": "error"},
        )
        await subscriber.send(channel.topic, "phx_close", {}, join_ref=channel.join_ref)


async def endpoint(websocket: WebSocket) -> None:
    state: ProjectState = websocket.app.state.project
    hub: Hub = websocket.app.state.hub
    apikey = websocket.query_params.get("apikey") or websocket.headers.get("apikey")
    if not state.keys.known(apikey):
        log.info("realtime: refused a socket without a known apikey")
        await websocket.close(code=1008)
        return
    await websocket.accept()
    subscriber = Subscriber(websocket, apikey)
    hub.subscribers.add(subscriber)
    try:
        while True:
            message = json.loads(await websocket.receive_text())
            await receive(hub, subscriber, message)
    except WebSocketDisconnect:
        pass
    finally:
        hub.subscribers.discard(subscriber)


async def receive(hub: Hub, subscriber: Subscriber, message: dict[str, Any]) -> None:
    topic, event = message.get("topic"), message.get("event")
    payload, ref, join_ref = message.get("payload") or {}, message.get("ref"), message.get("join_ref")

    async def reply(status: str, response: dict[str, Any]) -> None:
        await subscriber.send(topic, "phx_reply", {"status": status, "response": response}, ref, join_ref)

    match event:
        case "heartbeat":
            await reply("ok", {})
        case "phx_join":
            try:
                claims = verify(hub.state, payload.get("access_token") or subscriber.apikey)
                specs = (payload.get("config") or {}).get("postgres_changes") or []
                bindings = [await hub.binding(spec) for spec in specs]
            except JoinRefused as exc:
                log.info("realtime: refused to join %s: %s", topic, exc)
                await reply("error", {"reason": str(exc)})
                return
            subscriber.channels[topic] = Channel(topic, join_ref or ref, claims, bindings)
            await reply("ok", {"postgres_changes": [b.reply() for b in bindings]})
            await subscriber.send(
                topic,
                "system",
                {
                    "channel": topic.removeprefix("realtime:"),
                    "extension": "postgres_changes",
                    "message": "Subscribed to PostgreSQL",
                    "status": "ok",
                },
            )
        case "access_token":
            channel = subscriber.channels.get(topic)
            if channel is None:
                return
            try:
                channel.claims = verify(hub.state, payload.get("access_token"))
            except JoinRefused as exc:
                log.info("realtime: a new token for %s was refused: %s", topic, exc)
                await close_expired(subscriber, channel)
        case "phx_leave":
            subscriber.channels.pop(topic, None)
            await reply("ok", {})
        case _:
            log.info(
                "realtime: ignored %s on %s (the loopback Realtime has postgres_changes only)", event, topic
            )


def verify(state: ProjectState, token: str | None) -> dict[str, Any]:
    try:
        return state.keys.verify(token or "")
    except TokenRejected as exc:
        raise JoinRefused(exc.message) from None
