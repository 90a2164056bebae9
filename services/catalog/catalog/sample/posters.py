"""Posters drawn as SVG data URIs, so the sample catalog shows pictures with no network at all."""

import base64
import textwrap
from typing import Protocol
from xml.sax.saxutils import escape

POSTER_W, POSTER_H = 500, 750  # 2:3, the shape of a TMDB poster
BACKDROP_W, BACKDROP_H = 1280, 720
FONT = "'Helvetica Neue', Helvetica, Arial, sans-serif"


class Artwork(Protocol):
    """What a poster shows: a sample movie or show."""

    @property
    def title(self) -> str: ...

    @property
    def year(self) -> int: ...

    @property
    def colours(self) -> tuple[str, str]: ...


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _gradient(movie: Artwork) -> str:
    top, bottom = movie.colours
    return (
        '<defs><linearGradient id="g" x1="0" y1="0" x2="0.35" y2="1">'
        f'<stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/>'
        "</linearGradient></defs>"
    )


def _title_lines(title: str, width: int) -> list[str]:
    return textwrap.wrap(title, width=width, break_long_words=False) or [title]


def poster_uri(movie: Artwork, label: str = "OPEN MOVIE") -> str:
    lines = _title_lines(movie.title, 11)
    longest = max(len(line) for line in lines)
    # Large type, but narrow enough that the longest line fits the poster with a margin.
    size = min(92, int((POSTER_W - 60) / (0.58 * longest)))
    step = int(size * 1.08)
    first = POSTER_H * 0.42 - step * (len(lines) - 1) / 2
    text = "".join(
        f'<text x="{POSTER_W / 2:g}" y="{first + i * step:.0f}" font-size="{size}">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{POSTER_W}" height="{POSTER_H}" '
        f'viewBox="0 0 {POSTER_W} {POSTER_H}">{_gradient(movie)}'
        f'<rect width="{POSTER_W}" height="{POSTER_H}" fill="url(#g)"/>'
        f'<g font-family="{FONT}" font-weight="800" fill="#ffffff" text-anchor="middle">{text}'
        f'<text x="{POSTER_W / 2:g}" y="{POSTER_H - 110}" font-size="64" font-weight="300">'
        f"{movie.year}</text>"
        "</g>"
        f'<text x="{POSTER_W / 2:g}" y="{POSTER_H - 40}" font-family="{FONT}" font-size="20" fill="#ffffff" '
        f'fill-opacity="0.7" text-anchor="middle" letter-spacing="4">{escape(label)}</text></svg>'
    )
    return _data_uri(svg)


def backdrop_uri(movie: Artwork) -> str:
    lines = _title_lines(movie.title, 22)
    bottom = BACKDROP_H - 120
    text = "".join(
        f'<text x="80" y="{bottom - (len(lines) - 1 - i) * 96}" font-size="88">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{BACKDROP_W}" height="{BACKDROP_H}" '
        f'viewBox="0 0 {BACKDROP_W} {BACKDROP_H}">{_gradient(movie)}'
        f'<rect width="{BACKDROP_W}" height="{BACKDROP_H}" fill="url(#g)"/>'
        f'<g font-family="{FONT}" font-weight="800" fill="#ffffff" fill-opacity="0.9">{text}</g></svg>'
    )
    return _data_uri(svg)
