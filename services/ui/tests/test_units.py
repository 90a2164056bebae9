"""Numbers as the downloads page prints them."""

import pytest
from ui import units


@pytest.mark.parametrize(
    ("fraction", "text"),
    [
        (0.0, "0%"),
        (0.425, "42.5%"),
        (0.9999, "99.9%"),
        (1.0, "100%"),
        (1.2, "100%"),
        (-0.1, "0%"),
    ],
)
def test_percent(fraction: float, text: str) -> None:
    assert units.percent(fraction) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "—"), (0, "0 B"), (999, "999 B"), (1_234_567, "1.2 MB"), (4_700_000_000, "4.7 GB")],
)
def test_size(value: int | None, text: str) -> None:
    assert units.size(value) == text


@pytest.mark.parametrize(("value", "text"), [(0, "0 B/s"), (3_400_000, "3.4 MB/s"), (950, "950 B/s")])
def test_speed(value: int, text: str) -> None:
    assert units.speed(value) == text


@pytest.mark.parametrize(
    ("seconds", "text"), [(None, "—"), (-1, "—"), (42, "42 s"), (203, "3 minutes"), (7300, "2 hours")]
)
def test_eta(seconds: int | None, text: str) -> None:
    assert units.eta(seconds) == text
