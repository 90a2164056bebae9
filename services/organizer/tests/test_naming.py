"""Library names are safe on every OS and still read like the title."""

import pytest
from organizer.library.naming import MAX_NAME_BYTES, clean_name, movie_name, parse_folder
from pathvalidate import validate_filename


@pytest.mark.parametrize(
    ("title", "year", "name"),
    [
        ("Sintel", 2010, "Sintel (2010)"),
        ("Mission: Impossible", 1996, "Mission - Impossible (1996)"),
        ("Star Wars: Episode IV - A New Hope", 1977, "Star Wars - Episode IV - A New Hope (1977)"),
        ("What's Up, Doc?", 1972, "What's Up, Doc (1972)"),
        ("M*A*S*H", 1970, "MASH (1970)"),
        ('The "Great" <Escape> | Part 2', 1963, "The Great Escape Part 2 (1963)"),
        ("Face/Off", 1997, "FaceOff (1997)"),
        ("12:08 East of Bucharest", 2006, "1208 East of Bucharest (2006)"),
        ("../../etc/passwd", 2001, "etcpasswd (2001)"),
        (".45", 2006, "45 (2006)"),
        ("Tab\tand\nnewline", 2000, "Tab and newline (2000)"),
        ("Amélie", 2001, "Amélie (2001)"),
        ("Untitled", None, "Untitled"),
        ("CON", None, "CON_"),
        ("nul", None, "nul_"),
        ("CON", 2010, "CON (2010)"),
        ("The End...", None, "The End"),
        ("???", 2020, "TMDB 7 (2020)"),
        ("", None, "TMDB 7"),
    ],
)
def test_movie_name(title: str, year: int | None, name: str) -> None:
    assert movie_name(title, year, tmdb_id=7) == name
    validate_filename(name, platform="universal")


def test_long_titles_are_cut_to_fit_with_the_year() -> None:
    name = movie_name("Ünïcödé " * 60, 2010)
    assert name.endswith(" (2010)")
    assert len(name.encode()) <= MAX_NAME_BYTES
    name.encode().decode()  # cut on a character boundary
    validate_filename(name + ".mkv", platform="universal")


@pytest.mark.parametrize("text", ["a" * 300, "日本語" * 100, "x: " * 120])
def test_clean_name_is_always_a_valid_component(text: str) -> None:
    cleaned = clean_name(text)
    assert cleaned and len(cleaned.encode()) <= MAX_NAME_BYTES
    validate_filename(cleaned, platform="universal")


@pytest.mark.parametrize(
    ("folder", "parsed"),
    [
        ("Sintel (2010)", ("Sintel", 2010, None)),
        ("Mission - Impossible (1996)", ("Mission - Impossible", 1996, None)),
        ("Blade Runner 2049 (2017)", ("Blade Runner 2049", 2017, None)),
        ("1917 (2019)", ("1917", 2019, None)),
        ("Dune (2021) {tmdb-438631}", ("Dune", 2021, 438631)),
        ("Home Movies", ("Home Movies", None, None)),
    ],
)
def test_parse_folder(folder: str, parsed: tuple) -> None:
    assert parse_folder(folder) == parsed
