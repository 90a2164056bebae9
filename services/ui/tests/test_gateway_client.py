"""The gateway client against a gateway on loopback: typed models back, readable errors out."""

import httpx
import pytest
from pydantic import SecretStr
from ui.errors import GatewayProtocolError, GatewayRejected, GatewayTimeout, GatewayUnreachable
from ui.gateway_client import MASK, GatewayClient, error_detail

from niluflix.contracts.common import ErrorCode
from niluflix.contracts.downloads import JobState


@pytest.fixture
def client(gateway_server) -> GatewayClient:
    with GatewayClient(gateway_server.url, SecretStr("k3y"), timeout=5) as c:
        yield c


def test_catalog_and_downloads_come_back_as_contract_models(client: GatewayClient, gateway_server) -> None:
    assert [t.title for t in client.search("sintel").results] == ["Sintel"]
    details = client.movie(45745)
    assert (details.title, details.runtime, details.genres) == ("Sintel", 15, ["Animation", "Fantasy"])

    job = client.download(45745)
    assert job.state is JobState.QUEUED and job.tmdb_id == 45745
    assert [j.id for j in client.active_downloads().jobs] == [job.id]
    assert client.pause(job.id).state is JobState.PAUSED
    assert client.cancel(job.id).state is JobState.CANCELLED
    assert [j.id for j in client.download_history().jobs] == [job.id]
    assert set(gateway_server.state.api_keys_seen) == {"k3y"}


def test_search_text_reaches_the_gateway_as_typed(client: GatewayClient, gateway_server) -> None:
    assert [t.title for t in client.search(" agent 327: operation ").results] == [
        "Agent 327: Operation Barbershop"
    ]
    assert client.search("AC/DC? #1 & more").results == []
    assert gateway_server.state.searches == ["agent 327: operation", "AC/DC? #1 & more"]


def test_a_refusal_keeps_the_gateways_detail_and_code(client: GatewayClient) -> None:
    with pytest.raises(GatewayRejected) as caught:
        client.movie(999999)
    assert caught.value.message == "TMDB has no movie 999999"
    assert caught.value.code is ErrorCode.NOT_FOUND
    assert caught.value.status == 404


def test_fastapi_field_errors_read_as_one_line() -> None:
    body = {
        "detail": [
            {"type": "value_error", "loc": ["body", "library_dir"], "msg": "Value error, must be absolute"},
            {"type": "int_parsing", "loc": ["path", "tmdb_id"], "msg": "Input should be a valid integer"},
        ]
    }
    assert error_detail(body, "fallback") == (
        "library_dir: Value error, must be absolute; tmdb_id: Input should be a valid integer"
    )
    assert error_detail({"detail": "Plain words"}, "fallback") == "Plain words"
    assert (
        error_detail(None, "NiluFlix gateway answered 502 Bad Gateway")
        == "NiluFlix gateway answered 502 Bad Gateway"
    )


def test_settings_come_back_masked_and_a_save_is_partial(client: GatewayClient, gateway_server) -> None:
    gateway_server.state.settings = gateway_server.state.settings.model_copy(
        update={"tmdb_api_key": SecretStr("real-key")}
    )
    saved = client.settings()
    assert saved.tmdb_api_key.get_secret_value() == MASK

    after = client.save_settings({"max_concurrent_downloads": 7, "tmdb_api_key": MASK})
    assert after.max_concurrent_downloads == 7
    assert gateway_server.state.settings.tmdb_api_key.get_secret_value() == "real-key"

    with pytest.raises(GatewayRejected) as caught:
        client.save_settings({"max_concurrent_downloads": 0})
    assert caught.value.status == 422 and caught.value.code is ErrorCode.INVALID_REQUEST
    assert "max_concurrent_downloads" in caught.value.message
    assert client.api_key().get_secret_value() == gateway_server.state.api_key


def test_a_degraded_health_answer_is_still_read() -> None:
    def degraded(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            503, json={"status": "degraded", "services": [{"service": "search", "ok": False}]}
        )

    with GatewayClient("http://gateway.test", transport=httpx.MockTransport(degraded)) as client:
        health = client.health()
    assert health.status == "degraded" and [s.service for s in health.services] == ["search"]


def test_an_answer_outside_the_contract_says_so() -> None:
    def wrong(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"jobs": [{"id": "not-a-uuid"}]})

    with (
        GatewayClient("http://gateway.test", transport=httpx.MockTransport(wrong)) as client,
        pytest.raises(GatewayProtocolError, match="same version"),
    ):
        client.active_downloads()


def test_nothing_listening_is_unreachable(dead_gateway_url: str) -> None:
    with GatewayClient(dead_gateway_url, timeout=2) as client, pytest.raises(GatewayUnreachable) as caught:
        client.popular()
    assert (
        caught.value.message
        == f"NiluFlix gateway is not reachable at {dead_gateway_url}. Is NiluFlix running?"
    )
    assert caught.value.code is ErrorCode.UNAVAILABLE


def test_a_gateway_that_does_not_answer_in_time_times_out() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    with (
        GatewayClient("http://gateway.test", timeout=3, transport=httpx.MockTransport(slow)) as client,
        pytest.raises(GatewayTimeout, match="did not answer within 3 s"),
    ):
        client.library()


def test_shows_come_back_as_the_gateways_shapes(client: GatewayClient, gateway_server) -> None:
    show = client.show(60002)
    assert (show.title, show.status, [s.season for s in show.seasons]) == (
        "Harbor Lights",
        "Returning Series",
        [0, 1, 2],
    )
    season = client.season(60002, 2)
    assert [(e.episode, e.state.value) for e in season.episodes] == [
        (1, "missing"),
        (2, "missing"),
        (3, "missing"),
        (4, "not_aired"),
        (5, "not_aired"),
    ]
    result = client.download_show(60002, seasons=[2])
    assert [(j.season, j.episodes) for j in result.jobs] == [(2, [1, 2, 3])]
    assert [(s.episode, s.reason.split(" (")[0]) for s in result.skipped] == [
        (4, "not aired yet"),
        (5, "not aired yet"),
    ]
    assert client.season(60002, 2).episodes[0].job_id == result.jobs[0].id
    [shown] = [t.title for t in client.search_tv("quiet").results]
    assert shown == "The Quiet Orbit"


def test_a_route_the_gateway_lacks_yet_is_none_not_an_error(client: GatewayClient, gateway_server) -> None:
    assert client.follow_state(60002).following is False
    gateway_server.state.follow_routes = False
    assert client.follow_state(60002) is None
    assert client.calendar() is None
    # Any other refusal still says why.
    gateway_server.state.follow_routes = True
    gateway_server.state.down["/api/calendar"] = "calendar.v1.list"
    with pytest.raises(GatewayRejected, match="no service answers calendar.v1.list"):
        client.calendar()


def test_removing_a_library_item_sends_whether_to_delete_its_files(
    client: GatewayClient, gateway_server
) -> None:
    state = gateway_server.state
    item = state.add_library_item(45745, "Sintel", 2010, 700_000_000)
    client.remove_from_library(item.id, delete_files=True)
    assert state.removed == [(item.id, True)]
    with pytest.raises(GatewayRejected) as caught:
        client.remove_from_library(item.id)
    assert caught.value.status == 404


def test_removing_a_show_sends_whether_to_delete_its_files_and_a_404_says_why(
    client: GatewayClient, gateway_server
) -> None:
    state = gateway_server.state
    state.add_episode_file(60002, 1, [1, 2], 2_000_000_000)
    state.add_episode_file(60002, 2, [1], 1_000_000_000)
    client.remove_show_from_library(60002, delete_files=True)
    assert state.removed_shows == [(60002, True)]
    assert client.library_shows() == []
    with pytest.raises(GatewayRejected, match="the library has nothing of TMDB id 60002") as caught:
        client.remove_show_from_library(60002)
    assert caught.value.status == 404
