"""The parser against the corpus (services/search/tests/corpus/releases.jsonl), and `niluflix parse` as a user
runs it. Each corpus line is a release name, the fields expected from it, and where the case comes from."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from search.parsing import parse_release
from search.ranking.titles import normalise_title

CORPUS = [
    json.loads(line) for line in (Path(__file__).parent / "corpus/releases.jsonl").open(encoding="utf-8")
]
OURS = [case for case in CORPUS if case["from"].startswith("niluflix")]
BORROWED = [case for case in CORPUS if not case["from"].startswith("niluflix")]


def _field(parsed, field: str):
    value = getattr(parsed, field)
    if field == "title":
        return normalise_title(value or "")
    if field == "languages":
        return sorted(value)
    if field == "air_date":
        return value.isoformat() if value else None
    return value


def _expected(field: str, value):
    if field == "title":
        return normalise_title(value or "")
    if field == "languages":
        return sorted(value)
    if field == "episodes":
        return value or []
    if field in ("proper", "repack", "sample"):
        return bool(value)
    return value


def test_the_corpus_is_big_enough_and_says_where_each_case_comes_from() -> None:
    assert len(CORPUS) >= 2400
    assert all(case["from"] for case in CORPUS)
    # never Sonarr's or Radarr's parser fixtures: those are kept outside, to measure us
    assert not any("sonarr" in case["from"].lower() or "radarr" in case["from"].lower() for case in CORPUS)


@pytest.mark.parametrize("case", OURS, ids=[case["name"][:80] for case in OURS])
def test_names_written_in_indexer_styles(case: dict) -> None:
    parsed = parse_release(case["name"])
    got = {f: _field(parsed, f) for f in case["expect"]}
    assert got == {f: _expected(f, v) for f, v in case["expect"].items()}


# Each borrowed source apart, with the share of its checked fields read right today less a little slack: a
# change that reads one source worse fails here even if it reads another better.
FLOORS = {"parsett": 0.85, "guessit": 0.95, "jellyfin": 0.98}


@pytest.mark.parametrize("source", list(FLOORS))
def test_names_from_other_projects_tests_mostly_read_right(source: str) -> None:
    """Cases borrowed from another project's tests include its own conventions (Cyrillic season words, `1.22`
    episodes, guessit's `Etc-Group`): the table in docs/parsing.md has the figures per field."""
    right, total = Counter(), Counter()
    for case in BORROWED:
        if not case["from"].startswith(source):
            continue
        parsed = parse_release(case["name"])
        for field, value in case["expect"].items():
            total[field] += 1
            right[field] += _field(parsed, field) == _expected(field, value)
    assert sum(total.values()) > 50
    assert sum(right.values()) >= FLOORS[source] * sum(total.values()), dict(right)


@pytest.mark.parametrize(
    ("name", "hdr", "audio", "channels", "edition", "bit_depth"),
    [
        (
            "Dune.Part.Two.2024.2160p.UHD.BluRay.REMUX.DV.HDR10.HEVC.TrueHD.Atmos.7.1-FGT",
            ["DV", "HDR10"],
            ["TrueHD", "Atmos"],
            "7.1",
            None,
            None,
        ),
        (
            "Blade.Runner.1982.The.Final.Cut.1080p.BluRay.DTS-HD.MA.5.1.x264-GRP",
            [],
            ["DTS-HD MA"],
            "5.1",
            "Final Cut",
            None,
        ),
        (
            "Aliens.1986.Special.Edition.REMASTERED.2160p.WEB-DL.DDP5.1.HDR10+.x265.10bit-GRP",
            ["HDR10+"],
            ["DD+"],
            "5.1",
            "Special Edition",
            "10bit",
        ),
        ("Heat 1995 Directors Cut 1080p BluRay AAC2.0 x264-GRP", [], ["AAC"], "2.0", "Director's Cut", None),
    ],
)
def test_hdr_audio_and_edition(name, hdr, audio, channels, edition, bit_depth) -> None:
    parsed = parse_release(name)
    assert (parsed.hdr, parsed.audio, parsed.channels, parsed.edition, parsed.bit_depth) == (
        hdr,
        audio,
        channels,
        edition,
        bit_depth,
    )


def test_a_cached_answer_is_not_shared_with_the_next_caller() -> None:
    name = "Chernobyl.S01E01-E02.1080p.WEB.H264-GRP"
    parse_release(name).episodes.append(99)
    assert parse_release(name).episodes == [1, 2]


def test_niluflix_parse_writes_one_json_object_per_name() -> None:
    names = [
        "Sintel.2010.FRENCH.PROPER.1080p.BluRay.x265-GRP",
        "",
        "The.Office.US.S03E05E06.720p.WEB-DL.DD5.1.H.264-NTb",
        "Some Home Video",
        "The.Daily.Show.2024.03.15.720p.WEB.h264-GRP",
        "[SubsPlease] Frieren - 12v2 (1080p) [ABCD1234].mkv",
        "Show.Name.S01.COMPLETE.1080p.WEB.h264-GRP",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "niluflix.cli.main", "parse"],
        input="\n".join(names) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines == [
        {
            "title": "Sintel",
            "year": 2010,
            "resolution": "1080p",
            "source": "BluRay",
            "codec": "x265",
            "group": "GRP",
            "proper": True,
            "languages": ["fr"],
        },
        {
            "title": "The Office",
            "season": 3,
            "episodes": [5, 6],
            "resolution": "720p",
            "source": "WEB-DL",
            "codec": "x264",
            "group": "NTb",
        },
        {"title": "Some Home Video"},
        {
            "title": "The Daily Show",
            "year": 2024,
            "air_date": "2024-03-15",
            "resolution": "720p",
            "source": "WEB-DL",
            "codec": "x264",
            "group": "GRP",
        },
        # an anime release's second version of episode 12, counted from the show's first
        {
            "title": "Frieren",
            "episodes": [12],
            "resolution": "1080p",
            "group": "SubsPlease",
            "version": 2,
            "absolute_episodes": True,
        },
        {
            "title": "Show Name",
            "season": 1,
            "resolution": "1080p",
            "source": "WEB-DL",
            "codec": "x264",
            "group": "GRP",
            "complete": True,
        },
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("WALL-E.2008.1080p.BluRay.x264-GRP", {"title": "WALL-E", "year": 2008, "episodes": []}),
        ("Cam.2018.720p.WEB-DL.x264-GRP", {"title": "Cam", "year": 2018, "source": "WEB-DL"}),
        (
            "Charlotte's.Web.2006.720p.HDCAM-BONE",
            {"title": "Charlotte's Web", "source": "CAM", "group": "BONE"},
        ),
        (
            "The French Dispatch (2021) [1080p] [WEBRip] [YTS.MX]",
            {"title": "The French Dispatch", "languages": []},
        ),
        (
            "127.Heures.FRENCH.DVDRip.AC3.XViD-DVDFR",
            {"title": "127 Heures", "languages": ["fr"], "source": "DVD"},
        ),
        (
            "Sprint.2024.S01.COMPLETE.1080p.WEB.h264-EDITH[TGx]",
            {"title": "Sprint", "season": 1, "group": "EDITH"},
        ),
        ("Game of Thrones - The Complete Season 3 [HDTV]", {"title": "Game of Thrones", "season": 3}),
        ("One Piece (1999) - S21E1088 - 1080p WEB-DL", {"season": 21, "episodes": [1088], "group": None}),
        ("Oppenheimer.2023.HDCAM.c1nem4.x264-SUNSCREEN[TGx]", {"source": "CAM", "group": "SUNSCREEN"}),
        (
            "Harry Potter Collection 2001-2011 1080p BluRay",
            {"title": "Harry Potter Collection", "year": None},
        ),
        (
            "[ Torrent911.my ] The.Penguin.S01E07.FRENCH.WEBRip.x264.mp4",
            {"title": "The Penguin", "group": None},
        ),
        ("超能警探.Memorist.S01E01.2160p.WEB-DL.H265.AAC-FLTTH.mkv", {"title": "Memorist", "codec": "x265"}),
        (
            "Formula1.S2025E86.Italy.Grand.Prix.1080i.HDTV.H.264-playTV",
            {"season": 2025, "resolution": "1080i"},
        ),
        ("[Judas] Jujutsu Kaisen - 10 [WEB 720p HEVC AAC][Multi-Sub]", {"episodes": [10], "languages": []}),
        ("Khel Khel Mein (2024) 1080p Hindi DVDScr - x264 - AAC - 2.3GB", {"source": "SCR", "episodes": []}),
    ],
)
def test_names_that_trip_parsers(name: str, expected: dict) -> None:
    parsed = parse_release(name)
    assert {field: getattr(parsed, field) for field in expected} == expected
