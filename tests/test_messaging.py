"""Typed request/reply: errors come back as typed replies at once, never as a timeout."""

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
