"""The OpenAPI document declares the error answers the routes give, in the shape they give them.

The whole API is fuzzed against it in tests/e2e/test_bad_input.py; this checks the document alone, fast.
"""

from pathlib import Path

from gateway.main import create_app
from gateway.settings import GatewaySettings

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def document(tmp_path: Path) -> dict:
    return create_app(GatewaySettings(data_dir=tmp_path)).openapi()


def operations(doc: dict) -> list[tuple[str, dict]]:
    return [
        (f"{method.upper()} {path}", op) for path, ops in doc["paths"].items() for method, op in ops.items()
    ]


def test_every_error_answer_is_a_problem_with_detail_and_code(tmp_path: Path) -> None:
    doc = document(tmp_path)

    assert doc["components"]["schemas"]["Problem"]["required"] == ["detail", "code"]
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for name, op in operations(doc):
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert response["content"]["application/json"]["schema"] == PROBLEM, f"{name} {status}"


def test_a_body_may_be_too_large_and_the_api_key_may_be_missing(tmp_path: Path) -> None:
    for name, op in operations(document(tmp_path)):
        assert ("413" in op["responses"]) == ("requestBody" in op), name
        if op.get("security"):
            assert "401" in op["responses"], name


def test_the_statuses_of_a_download(tmp_path: Path) -> None:
    paths = document(tmp_path)["paths"]

    movie = paths["/api/movies/{tmdb_id}/download"]["post"]
    assert sorted(movie["responses"]) == ["202", "401", "404", "409", "413", "422", "502", "503"]
    assert "unchecked" in document(tmp_path)["components"]["schemas"]["MovieDownload"]["properties"]
    assert movie["parameters"][0]["schema"]["maximum"] == 2**31 - 1
    for path in ("/api/tv/{tmdb_id}/download", "/api/episodes/{episode_id}/download"):
        assert {"404", "409", "503"} <= set(paths[path]["post"]["responses"]), path
