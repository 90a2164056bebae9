"""Typed request/reply: errors come back as typed replies at once, never as a timeout."""

import logging

import pytest
from faststream.nats import NatsBroker
from pydantic import BaseModel

from niluflix.contracts.common import ErrorCode
from niluflix.errors import NotFound, RemoteError, Unavailable
from niluflix.messaging import make_broker, request, rpc_queue, rpc_router, start_broker


class Ask(BaseModel):
    n: int


class Answer(BaseModel):
    doubled: int


class Text(BaseModel):
    text: str


async def test_reply_error_and_no_responder(nats_url, unique):
    subject = f"test.{unique}.double"
    router = rpc_router()

    @router.subscriber(subject, queue=rpc_queue("test"))
    async def double(ask: Ask) -> Answer:
        if ask.n < 0:
            raise NotFound(f"nothing at {ask.n}")
        if ask.n == 0:
            raise ZeroDivisionError("zero")
        return Answer(doubled=ask.n * 2)

    server = make_broker(nats_url, name="test")
    server.include_router(router)
    async with server, NatsBroker(nats_url) as client:
        await start_broker(server)
        assert (await request(client, subject, Ask(n=4), Answer, timeout=2)).doubled == 8
        with pytest.raises(RemoteError) as err:
            await request(client, subject, Ask(n=-1), Answer, timeout=2)
        assert err.value.code is ErrorCode.NOT_FOUND and "nothing at -1" in err.value.message
        with pytest.raises(RemoteError) as err:
            await request(client, subject, Ask(n=0), Answer, timeout=2)
        assert err.value.code is ErrorCode.INTERNAL
        with pytest.raises(RemoteError) as err:
            await request(client, subject, Answer(doubled=1), Answer, timeout=2)
        assert err.value.code is ErrorCode.INVALID_REQUEST
        with pytest.raises(Unavailable, match="no service answers"):
            await request(client, f"test.{unique}.nobody", Ask(n=1), Answer, timeout=2)


async def test_a_reply_too_large_for_nats_is_an_error_reply_at_once(nats_url, unique):
    subject = f"test.{unique}.big"
    router = rpc_router()

    @router.subscriber(subject, queue=rpc_queue("test"))
    async def big(ask: Ask) -> Text:
        return Text(text="x" * ask.n)

    server = make_broker(nats_url, name="test")
    server.include_router(router)
    async with server, NatsBroker(nats_url) as client:
        await start_broker(server)
        assert (await request(client, subject, Ask(n=3), Text, timeout=2)).text == "xxx"
        with pytest.raises(RemoteError) as err:  # at once, not after the timeout
            await request(client, subject, Ask(n=1_100_000), Text, timeout=5)
        assert err.value.code is ErrorCode.UPSTREAM
        assert err.value.message == "the answer is too large to send: NATS carries at most 1 MiB per message"


async def test_per_message_lines_are_debug(nats_url, unique, caplog):
    """A service's log at INFO tells what it did, not that a message came in and went out."""
    subject = f"test.{unique}.echo"
    router = rpc_router()

    @router.subscriber(subject, queue=rpc_queue("test"))
    async def echo(ask: Ask) -> Answer:
        return Answer(doubled=ask.n)

    server = make_broker(nats_url, name="quiet")
    server.include_router(router)
    async with server, NatsBroker(nats_url) as client:
        await start_broker(server)
        with caplog.at_level(logging.INFO, logger="quiet.nats"):
            await request(client, subject, Ask(n=1), Answer, timeout=2)
        assert not [r.getMessage() for r in caplog.records if r.name == "quiet.nats"]
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="quiet.nats"):
            await request(client, subject, Ask(n=2), Answer, timeout=2)
        lines = [r.getMessage() for r in caplog.records if r.name == "quiet.nats"]
        assert any("Received" in line for line in lines) and any("Processed" in line for line in lines), lines
