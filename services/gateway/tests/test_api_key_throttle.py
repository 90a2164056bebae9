"""Guessing the API key: a few wrong keys are free, then the client must wait, longer after each."""

import asyncio

import httpx
import pytest
import websockets
from fastapi import FastAPI
from gateway.auth.throttle import Throttle
from gateway.errors import TooManyAttempts
from gateway.settings import GatewaySettings

from .conftest import client_from, serve_gateway

GUESSER = ("203.0.113.7", 5000)
OWNER = ("198.51.100.4", 5000)


async def test_wrong_keys_are_slowed_down_then_the_wait_is_honoured(app: FastAPI) -> None:
    key = app.state.gateway.api_key
    async with client_from(app, GUESSER) as guesser, client_from(app, OWNER, **{"X-Api-Key": key}) as owner:
        for n in range(5):  # NILUFLIX_GATEWAY_API_KEY_ATTEMPTS: 5 free
            r = await guesser.get("/api/settings", headers={"X-Api-Key": f"guess-{n}"})
            assert r.status_code == 401 and r.json()["detail"] == "invalid API key"
        r = await guesser.get("/api/settings", headers={"X-Api-Key": "guess-5"})
        assert r.status_code == 401  # counted: from now on the guesser must wait

        r = await guesser.get("/api/settings", headers={"X-Api-Key": "guess-6"})
        assert r.status_code == 429 and r.json()["code"] == "too_many_requests"
        assert r.headers["Retry-After"] == "1"
        assert r.json()["detail"] == "too many wrong API keys: try again in 1 s"
        # Blocked means blocked: the right key does not end the wait early, so it tells a guesser nothing.
        assert (await guesser.get("/api/settings", headers={"X-Api-Key": key})).status_code == 429
        # Another client is not held up by the guesser.
        assert (await owner.get("/api/settings")).status_code == 200

        await asyncio.sleep(int(r.headers["Retry-After"]) + 0.1)
        r = await guesser.get("/api/settings", headers={"X-Api-Key": "guess-7"})
        assert r.status_code == 401
        r = await guesser.get("/api/settings", headers={"X-Api-Key": "guess-8"})
        assert r.status_code == 429 and r.headers["Retry-After"] == "2", "twice as long as the last wait"

        await asyncio.sleep(2.1)
        assert (await guesser.get("/api/settings", headers={"X-Api-Key": key})).status_code == 200
        # The right key once the wait is over starts the count afresh.
        for n in range(5):
            r = await guesser.get("/api/settings", headers={"X-Api-Key": f"again-{n}"})
            assert r.status_code == 401


async def test_no_key_at_all_is_not_a_guess(app: FastAPI) -> None:
    # A browser opening the address without a key is told what is needed, as often as it asks.
    async with client_from(app, GUESSER) as visitor:
        for _ in range(10):
            assert (await visitor.get("/api/settings")).status_code == 401


async def test_the_websocket_and_the_docs_count_too(settings: GatewaySettings) -> None:
    few = settings.model_copy(update={"api_key_attempts": 1})
    async with serve_gateway(few) as gateway:
        # From 127.0.0.1 with a forwarding header: remote, and counted under the peer's address.
        proxied = {"X-Forwarded-For": "203.0.113.7"}
        wrong_ws = f"{gateway.ws_url}?apikey=wrong"
        async with httpx.AsyncClient(base_url=gateway.url, headers=proxied) as http:
            with pytest.raises(websockets.InvalidStatus) as refused:
                async with websockets.connect(wrong_ws, additional_headers=proxied):
                    pass
            assert refused.value.response.status_code == 401
            assert (await http.get("/openapi.json", headers={"X-Api-Key": "wrong"})).status_code == 401
            # Two wrong keys with one free: the client waits 1 s now, on every way in.
            with pytest.raises(websockets.InvalidStatus) as refused:
                async with websockets.connect(wrong_ws, additional_headers=proxied):
                    pass
            assert refused.value.response.status_code == 429
            assert refused.value.response.headers["Retry-After"] == "1"
            r = await http.get("/api/settings", headers={"X-Api-Key": "wrong"})
            assert r.status_code == 429 and "Retry-After" in r.headers


def test_the_throttle_says_what_was_wrong() -> None:
    now = [0.0]
    throttle = Throttle("wrong API keys", free=1, clock=lambda: now[0])
    throttle.failed("a")
    throttle.check("a")
    throttle.failed("a")
    with pytest.raises(TooManyAttempts, match="too many wrong API keys: try again in 1 s"):
        throttle.check("a")
    now[0] = 1.5
    throttle.check("a")
    assert Throttle().what == "wrong passwords"
