"""Reading which episode a file is from its name, and naming it in the library."""

from datetime import date

import pytest
from organizer.library.episode_names import EpisodeRef, parse_episode, parse_episode_number
from organizer.library.episodes import subtitle_tags
from organizer.library.naming import MAX_NAME_BYTES, episode_name, season_folder
from pathvalidate import validate_filename


@pytest.mark.parametrize(
    ("name", "ref"),
    [
        ("The.Expanse.S01E02.1080p.WEB-DL.mkv", EpisodeRef(1, (2,))),
        ("the expanse s1e2", EpisodeRef(1, (2,))),
        ("Show.S00E01.Special", EpisodeRef(0, (1,))),
        ("Show.S01E01E02.720p", EpisodeRef(1, (1, 2))),
        ("Show.S01E01-E03.720p", EpisodeRef(1, (1, 2, 3))),
        ("Show.S01E01-02.x264", EpisodeRef(1, (1, 2))),
        ("Show.S01.E02.HDTV", EpisodeRef(1, (2,))),
        ("Show.S01E01-1080p", EpisodeRef(1, (1,))),
        ("Show.S02E100.WEB", EpisodeRef(2, (100,))),
        ("Show.1x02.HDTV", EpisodeRef(1, (2,))),
        ("Show (2015) - S02E10 - Title", EpisodeRef(2, (10,))),
        ("The.Daily.Show.2024.03.15.Guest.720p", EpisodeRef(None, (), date(2024, 3, 15))),
        ("Show - 2024-03-15 - Guest", EpisodeRef(None, (), date(2024, 3, 15))),
        # not episodes: resolutions, codecs, impossible dates, backwards ranges, whole seasons
        ("Movie.1920x1080.mkv", None),
        ("Show.DD5.1x264", None),
        ("Show.2024.13.45", None),
        ("Show.S01E03E01", None),
        ("Show.S01E01-E40", None),
        ("Show.S01.1080p.WEB", None),
        ("Making.Of", None),
    ],
)
def test_parse_episode(name: str, ref: EpisodeRef | None) -> None:
    assert parse_episode(name) == ref


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("[Group] Show - 05 [1080p]", 5),
        ("[Group] Show - 05v2 [1080p]", 5),
        ("Show.E05.720p", 5),
        ("Show Episode 12", 12),
        ("Show - 1080p", None),
        ("Show 2019 - x264", None),
        ("Show.720p.WEB", None),
        ("[Group] Show - NCOP [1080p]", None),
    ],
)
def test_parse_episode_number(name: str, number: int | None) -> None:
    assert parse_episode_number(name) == number


@pytest.mark.parametrize(
    ("stem", "tags"),
    [
        ("Show.S01E02.en", ("en",)),
        ("Show.S01E02.eng.forced", ("en", "forced")),
        ("Show.S01E02.forced.en", ("en", "forced")),
        ("Show.S01E02.English.SDH", ("en", "sdh")),
        ("2_English", ("en",)),
        ("Show.S01E02.pt-br", ("pt-BR",)),
        ("Show.S01E02.720p.WEB", ()),
        ("Show.S01E02", ()),
        ("Show.S01E02.multi", ()),
    ],
)
def test_subtitle_tags(stem: str, tags: tuple[str, ...]) -> None:
    assert subtitle_tags(stem) == tags


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"season": 1, "episodes": [2], "titles": ["Dulcinea"]}, "Show (2015) - S01E02 - Dulcinea"),
        (
            {"season": 1, "episodes": [2], "titles": ["CQB: Part 1/2?"]},
            "Show (2015) - S01E02 - CQB - Part 12",
        ),
        ({"season": 1, "episodes": [1, 2], "titles": ["A", "B"]}, "Show (2015) - S01E01-E02 - A + B"),
        ({"season": 1, "episodes": [1, 3], "titles": []}, "Show (2015) - S01E01E03"),
        ({"season": 0, "episodes": [1], "titles": [""]}, "Show (2015) - S00E01"),
        (
            {"season": 29, "air_date": date(2024, 3, 15), "titles": ["Guest"]},
            "Show (2015) - 2024-03-15 - Guest",
        ),
        ({"season": 1, "episodes": [2], "titles": ["../../etc"]}, "Show (2015) - S01E02 - etc"),
    ],
)
def test_episode_name(kwargs: dict, name: str) -> None:
    assert episode_name("Show (2015)", **kwargs) == name
    validate_filename(name + ".en.forced.srt", platform="universal")


def test_a_long_episode_title_is_cut_so_the_episode_token_stays() -> None:
    name = episode_name("Ünïcödé Show (2015)", season=3, episodes=[4], titles=["Wörds " * 80])
    assert name.startswith("Ünïcödé Show (2015) - S03E04 - Wörds")
    assert len(name.encode()) <= MAX_NAME_BYTES
    name = episode_name("Ü" * 120, season=3, episodes=[4], titles=["Title"])
    assert name.endswith(" - S03E04") and len(name.encode()) <= MAX_NAME_BYTES


def test_season_folder() -> None:
    assert [season_folder(s) for s in (0, 1, 12, 2024)] == [
        "Season 00",
        "Season 01",
        "Season 12",
        "Season 2024",
    ]
