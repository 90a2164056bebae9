"""Bad input to the gateway is a clear 4xx with a reason, never a 500, against the real services.

One stack for the module: catalog (the built-in sample catalog: no TMDB key), search (no indexer), the
downloader (the embedded engine), the organizer and the gateway, each its own process, on their own NATS and
on PostgreSQL as Compose runs them (it refuses what SQLite takes: a NUL in text, a 64-bit id in an INTEGER).
Last, the gateway is fuzzed from its own OpenAPI document with schemathesis: no server error, no response
the document does not describe.
"""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import hypothesis.strategies as st
import psycopg
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from niluflix.runtime.stack import Stack, StackConfig
from niluflix.testing.net import free_port
from niluflix.testing.postgres import with_database

SINTEL = 45745  # in the sample catalog
NO_SUCH_ID = 987_654_321  # in no catalog
LIMIT = 1_000_000  # bytes: gateway/body_limit.py


@pytest.fixture(scope="module")
def database_url(postgres_url: str) -> Iterator[str]:
    name = f"niluflix_bad_input_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(postgres_url, name)
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("bad-input")
    closed = free_port()  # nothing listens here
    config = StackConfig(
        data_dir=root / "data",
        nats_port=free_port(),
        gateway_port=free_port(),
        services=("catalog", "search", "downloader", "organizer", "gateway"),
        env={
            "NILUFLIX_TORRENT_CLIENT": json.dumps({"kind": "embedded"}),
            "NILUFLIX_LIBRARY_DIR": str(root / "library"),
            "NILUFLIX_DOWNLOADS_DIR": str(root / "downloads"),
            "NILUFLIX_SECRET_KEY": "",
            "DATABASE_URL": database_url,
            # The fuzzer may save any URL it reads in the schema (a provider's mirror, a TMDB base URL):
            # every request to a host not on this machine goes to a closed port, never the internet.
            "HTTP_PROXY": f"http://127.0.0.1:{closed}",
            "HTTPS_PROXY": f"http://127.0.0.1:{closed}",
            "ALL_PROXY": f"http://127.0.0.1:{closed}",
            "NO_PROXY": "127.0.0.1,localhost",
        },
    )
    stack = Stack(config)
    try:
        stack.start()
        stack.wait_ready(timeout=90)
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=20) as client:
        yield client


def profile_names(api: httpx.Client) -> list[str]:
    return [p["name"] for p in api.get("/api/profiles").json()["profiles"]]


def jobs_for(api: httpx.Client, tmdb_id: int) -> list[dict]:
    jobs = api.get("/api/downloads/active").json()["jobs"] + api.get("/api/downloads/history").json()["jobs"]
    return [j for j in jobs if j["tmdb_id"] == tmdb_id]


# --- 1. A body of 1 MB or more is a 413 ------------------------------------------------------------------


@pytest.mark.e2e
def test_a_body_of_1_mb_is_refused_by_its_content_length(api: httpx.Client) -> None:
    before = profile_names(api)
    words = ["x" * 99] * (LIMIT // 100)
    body = json.dumps({"name": "Huge", "rejected_words": words}).encode()
    assert len(body) >= LIMIT

    response = api.post("/api/profiles", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 413
    assert response.json() == {
        "detail": f"the request body is {len(body):,} bytes; the gateway takes bodies smaller than "
        "1,000,000 bytes (1 MB)",
        "code": "too_large",
    }
    assert profile_names(api) == before


@pytest.mark.e2e
def test_a_chunked_body_is_refused_as_it_passes_1_mb(api: httpx.Client) -> None:
    before = profile_names(api)

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"name": "Huge", "rejected_words": ['
        for _ in range(LIMIT // 50_000 + 1):
            yield b'"' + b"x" * 50_000 + b'",'
        yield b'"x"]}'

    response = api.post("/api/profiles", content=chunks(), headers={"Content-Type": "application/json"})

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "the gateway takes bodies smaller than 1,000,000 bytes (1 MB)" in response.json()["detail"]
    assert profile_names(api) == before


@pytest.mark.e2e
def test_settings_grown_past_what_nats_carries_are_a_413_and_not_saved(api: httpx.Client) -> None:
    # Each body is below the limit, but the second would make the stored settings over NATS's 1 MiB.
    words = ["w" * 99] * 6_000  # about 600 kB
    first = api.post("/api/profiles", json={"name": "Wordy one", "rejected_words": words})
    assert first.status_code == 201, first.text
    try:
        second = api.post("/api/profiles", json={"name": "Wordy two", "rejected_words": words})

        assert second.status_code == 413
        assert second.json() == {
            "detail": "the request is too large to pass on: NiluFlix's services take messages of at most 1 MiB",
            "code": "too_large",
        }
        assert "Wordy two" not in profile_names(api)
        assert api.get("/api/health/live").status_code == 200  # the gateway goes on
    finally:
        assert api.delete("/api/profiles/Wordy one").status_code == 204


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"name": "A"', "the body is not valid JSON: Expecting ',' delimiter at character 12"),
        (b"\xe9t\xe9", "the body is not JSON: not UTF-8 text (invalid continuation byte at byte 0)"),
        (b"[" * 100_000 + b"]" * 100_000, "the body is not usable JSON: nested too deeply"),
        (b"null", "body: Input should be a valid dictionary or object to extract fields from"),
    ],
)
def test_a_body_that_is_not_json_is_a_422_with_the_reason(
    api: httpx.Client, body: bytes, reason: str
) -> None:
    response = api.post("/api/profiles", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    assert response.json() == {"detail": reason, "code": "invalid_request"}


# --- 2. Names that become path parameters hold no "/" ------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/profiles", {"name": "HD/4K"}),
        ("PUT", "/api/profiles/Standard", {"name": "Standard/old"}),
        ("POST", "/api/indexers", {"name": "Jackett/1337x", "url": "http://127.0.0.1:9117/api"}),
        ("POST", "/api/indexers/test", {"name": "Jackett/1337x", "url": "http://127.0.0.1:9117/api"}),
    ],
)
def test_a_name_with_a_slash_is_refused(api: httpx.Client, method: str, path: str, body: dict) -> None:
    response = api.request(method, path, json=body)

    assert response.status_code == 422
    assert response.json() == {
        "detail": "name: must not contain '/': the name is part of its URL",
        "code": "invalid_request",
    }
    assert body["name"] not in profile_names(api)
    assert body["name"] not in [i["name"] for i in api.get("/api/indexers").json()]


@pytest.mark.e2e
def test_a_name_with_a_control_character_is_refused(api: httpx.Client) -> None:
    # Stored with every download naming the profile: PostgreSQL would refuse the NUL there, as a 500.
    response = api.post("/api/profiles", json={"name": "HD\x00"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "name: must not contain control characters (a line break, a tab, NUL)",
        "code": "invalid_request",
    }
    assert "HD\x00" not in profile_names(api)


@pytest.mark.e2e
def test_renaming_an_indexer_to_a_name_with_a_slash_is_refused(api: httpx.Client) -> None:
    added = api.post("/api/indexers", json={"name": "Local", "url": "http://127.0.0.1:9117/api"})
    assert added.status_code == 201, added.text
    try:
        response = api.put("/api/indexers/Local", json={"name": "Local/2"})

        assert response.status_code == 422
        assert response.json()["detail"] == "name: must not contain '/': the name is part of its URL"
        assert [i["name"] for i in api.get("/api/indexers").json()] == ["Local"]
    finally:
        api.delete("/api/indexers/Local")


@pytest.mark.e2e
def test_settings_with_a_profile_named_with_a_slash_are_refused(api: httpx.Client) -> None:
    profiles = api.get("/api/settings").json()["quality_profiles"]
    profiles[0]["name"] = "a/b"

    response = api.put("/api/settings", json={"quality_profiles": profiles, "default_profile": "a/b"})

    assert response.status_code == 422
    assert response.json()["detail"].startswith(
        "quality_profiles.0.name: must not contain '/': the name is part of its URL"
    )
    assert "a/b" not in profile_names(api)


# --- 3. A download of a title no catalog knows is a 404 at once, and no job --------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (f"/api/movies/{NO_SUCH_ID}/download", f"the sample catalog has no movie with id {NO_SUCH_ID}"),
        (f"/api/tv/{NO_SUCH_ID}/download", f"the sample catalog has no show with id {NO_SUCH_ID}"),
        (f"/api/episodes/{NO_SUCH_ID}/download", f"the sample catalog has no episode with id {NO_SUCH_ID}"),
    ],
)
def test_a_download_of_an_unknown_tmdb_id_is_a_404_and_no_job(
    api: httpx.Client, path: str, reason: str
) -> None:
    response = api.post(path)

    assert response.status_code == 404
    assert response.json() == {"detail": reason, "code": "not_found"}
    assert jobs_for(api, NO_SUCH_ID) == []


@pytest.mark.e2e
def test_a_tmdb_id_beyond_32_bits_is_a_422(api: httpx.Client) -> None:
    response = api.post("/api/movies/2147483648/download")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "tmdb_id: Input should be less than or equal to 2147483647",
        "code": "invalid_request",
    }
    assert jobs_for(api, 2147483648) == []


@pytest.mark.e2e
def test_a_picked_release_with_a_nul_character_is_a_422_and_no_job(api: httpx.Client) -> None:
    release = {
        "name": "Sintel.2010.1080p\x00.BluRay",
        "indexer": "Local",
        "magnet_uri": "magnet:?xt=urn:btih:" + "a" * 40,
    }

    response = api.post(f"/api/movies/{SINTEL}/download", json={"release": release})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "release.name: text must not contain a NUL character",
        "code": "invalid_request",
    }
    assert jobs_for(api, SINTEL) == []


@pytest.mark.e2e
def test_a_movie_download_is_checked_with_catalog(api: httpx.Client) -> None:
    response = api.post(f"/api/movies/{SINTEL}/download")

    assert response.status_code == 202, response.text
    assert response.json()["unchecked"] is None
    assert [j["id"] for j in jobs_for(api, SINTEL)] == [response.json()["id"]]
    api.delete(f"/api/downloads/{response.json()['id']}")


@pytest.mark.e2e
def test_with_catalog_down_a_movie_download_is_queued_and_says_it_was_not_checked(
    stack: Stack, api: httpx.Client
) -> None:
    stack.processes["catalog"].stop()
    try:
        response = api.post(f"/api/movies/{NO_SUCH_ID}/download")

        assert response.status_code == 202, response.text
        job = response.json()
        assert (
            job["unchecked"] == "queued without checking the TMDB id: no service answers catalog.v1.details"
        )
        assert [j["id"] for j in jobs_for(api, NO_SUCH_ID)] == [job["id"]]
        # A show cannot be split into seasons without catalog: that one stays a 503 with the reason.
        tv = api.post(f"/api/tv/{SINTEL}/download")
        assert tv.status_code == 503
        assert tv.json() == {"detail": "no service answers catalog.v1.details", "code": "unavailable"}
    finally:
        for j in jobs_for(api, NO_SUCH_ID):
            api.delete(f"/api/downloads/{j['id']}")
        stack.start_service("catalog")
        stack.wait_ready(timeout=60)


# --- 4 and 5. Fuzzed from its own OpenAPI document ------------------------------------------------------------

# Every operation is fuzzed; none is left out. Those that change or clear state are safe on this stack of its
# own: DELETE /api/auth/password clears a password the fuzzer set, library removals find an empty library,
# a library folder set through PUT /api/settings is moved under the test's folder (`inside`), and no URL the
# fuzzer saves leads off this machine (the stack's proxy settings).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# A failed check, or a connection the gateway dropped.
FOUND = (Failure, FailureGroup, requests.RequestException)
EXAMPLES = 15  # random cases per operation, valid and invalid alike, after the edges: a minute for the API


def inside(root: Path, value: object) -> object:
    """A library folder the fuzzer names, moved under `root`: the gateway creates it to check it."""
    if isinstance(value, str) and value.startswith(("/", "~")):
        return str(root / value.lstrip("/~"))
    return value


@pytest.mark.e2e
def test_fuzzed_from_its_own_openapi_no_server_error_and_no_answer_outside_the_schema(
    stack: Stack, tmp_path: Path
) -> None:
    # Hypothesis keeps caches in ./.hypothesis even without an example database: here, in the test's folder.
    set_hypothesis_home_dir(tmp_path / "hypothesis")
    try:
        failures = fuzz_every_operation(stack, tmp_path)
    finally:
        set_hypothesis_home_dir(None)
    assert not failures, f"{len(failures)} failures:\n" + "\n\n".join(failures[:20])


def fuzz_every_operation(stack: Stack, tmp_path: Path) -> list[str]:
    schema = schemathesis.openapi.from_url(f"{stack.gateway_url}/openapi.json")
    failures: list[str] = []

    def send(case: schemathesis.Case) -> None:
        if (
            case.operation.path == "/api/settings"
            and isinstance(case.body, dict)
            and "library_dir" in case.body
        ):
            case.body["library_dir"] = inside(tmp_path, case.body["library_dir"])
        try:
            case.call_and_validate(base_url=stack.gateway_url, checks=CHECKS, timeout=30)
        except FOUND as exc:  # collected, so one run reports every failure
            failures.append(f"{case.method} {case.formatted_path}: {exc}")

    for result in schema.get_all_operations():
        operation = result.ok()
        # Schemathesis's coverage phase: each parameter's and field's edges (bounds, lengths, types, a
        # missing required one), valid and invalid; a fixed list, the same on every run.
        every_mode = list(GenerationMode)
        for case in schema.iter_coverage_cases(
            operation,
            generation_modes=every_mode,
            generation_config=schema.config.generation_for(operation=operation),
        ):
            send(case)
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
        )

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,  # the same cases on every run: CI stays stable
            database=None,  # no example database
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(cases)
        def fuzz(case: schemathesis.Case) -> None:
            send(case)

        fuzz()
    return failures
