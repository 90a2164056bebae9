"""Which image URLs the pages draw, and what stands in for a missing poster."""

import base64

import pytest
from ui.components.posters import image_url, placeholder_poster, poster_img


@pytest.mark.parametrize(
    "url",
    [
        "https://image.tmdb.org/t/p/w500/abc.jpg",
        "http://127.0.0.1:7979/posters/1.jpg",
        "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=",
    ],
)
def test_posters_from_the_web_and_inline_are_drawn(url: str) -> None:
    assert image_url(url) == url
    assert f'src="{url}"' in poster_img(url, "Sintel")


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "javascript:alert(1)",
        "https://example.org/a.jpg'); background: url('https://elsewhere.example/x.png",
        'https://example.org/a.jpg" onerror="alert(1)',
        "/relative/poster.jpg",
    ],
)
def test_anything_else_gets_the_placeholder(url: str | None) -> None:
    assert image_url(url) is None
    assert 'src="data:image/svg+xml;base64,' in poster_img(url, "Home Movie")


def test_the_placeholder_shows_the_titles_initials_escaped() -> None:
    svg = base64.b64decode(placeholder_poster("<b>ig Movie").split(",", 1)[1]).decode()
    assert ">&lt;M</text>" in svg
    assert 'alt="&lt;b&gt;ig Movie"' in poster_img(None, "<b>ig Movie")
