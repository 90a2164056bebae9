"""The ranking corpus: for every release list, the release an expert would pick (or none).

`ranking_corpus/generated.jsonl` is written by `ranking_corpus/generate.py` (deterministic); the hard cases in
`ranking_corpus/hard_cases.json` are written by hand, each with a note saying what makes it hard.
"""

import hashlib
import json
from pathlib import Path

import pytest
from search.parsing import parse_release
from search.ranking import rank

from niluflix.contracts.search import FindReleases, Release
from niluflix.contracts.settings import QualityProfile, SharedSettings

CORPUS = Path(__file__).with_name("ranking_corpus")
MB = 1_000_000


def load() -> list[dict]:
    lines = (CORPUS / "generated.jsonl").read_text(encoding="utf-8").splitlines()
    generated = [json.loads(line) for line in lines if line.strip()]
    hard = json.loads((CORPUS / "hard_cases.json").read_text(encoding="utf-8"))
    return generated + hard


CASES = load()


def releases_of(case: dict) -> list[Release]:
    out = []
    for entry in case["releases"]:
        name, mb, seeders, *more = entry
        extra = more[0] if more else {}
        out.append(
            Release(
                name=name,
                indexer=extra.get("indexer", "corpus"),
                size=int(mb * MB) if mb is not None else None,
                seeders=seeders,
                info_hash=extra.get("info_hash", hashlib.sha1(name.encode()).hexdigest()),
                imdb_id=extra.get("imdb_id"),
                parsed=parse_release(name),
            )
        )
    return out


def profile_of(case: dict) -> QualityProfile:
    chosen = case.get("profile")
    if isinstance(chosen, dict):
        return QualityProfile.model_validate(chosen)
    profile = SharedSettings().profile(chosen)
    assert profile is not None, f"unknown profile {chosen!r} in case {case['id']}"
    return profile


def test_the_corpus_is_large_and_varied() -> None:
    kinds = {case["id"].rsplit("-", 1)[0] for case in CASES}
    assert len(CASES) >= 300
    assert {"cam", "fake", "foreign", "dead", "remake", "other-film"} <= kinds
    assert any(case["pick"] is None for case in CASES)
    assert len({case["id"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_the_expert_pick(case: dict) -> None:
    wanted = case["wanted"]
    request = FindReleases(
        tmdb_id=wanted.get("tmdb_id", 1), **{k: v for k, v in wanted.items() if k != "tmdb_id"}
    )
    ranking = rank(request, releases_of(case), profile=profile_of(case))
    picked = ranking.accepted[0].name if ranking.accepted else None
    why = {r.name: [str(x) for x in r.rejections] for r in ranking.rejected}
    assert picked == case["pick"], f"{case.get('note', '')} rejected: {why}"
