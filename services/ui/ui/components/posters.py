"""Posters and shelves of posters; a poster's title button opens the movie's or the show's page."""

import base64
import html
import re
from collections.abc import Iterable, Mapping

import streamlit as st

from niluflix.contracts.catalog import TitleSummary
from niluflix.contracts.common import MediaType
from ui.connection import gateway
from ui.errors import GatewayError

MOVIE_PAGE = "views/movie.py"
SHOW_PAGE = "views/show.py"

Badges = Mapping[tuple[MediaType, int], str]
"""A word over a title's poster ("In library", "Downloading"), by media type and TMDB id."""


def placeholder_poster(title: str) -> str:
    """A poster for titles the catalog has no image for: the title's initials on a dark card."""
    initials = "".join(word[0] for word in title.split()[:2] if word).upper() or "?"
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="450" viewBox="0 0 300 450">'
        '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
        '<stop offset="0" stop-color="#2b2b2b"/><stop offset="1" stop-color="#151515"/></linearGradient></defs>'
        '<rect width="300" height="450" fill="url(#g)"/>'
        '<text x="150" y="250" text-anchor="middle" font-family="Arial, sans-serif" font-size="110" '
        f'font-weight="700" fill="#E50914">{html.escape(initials)}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


_IMAGE_URL = re.compile(r"(https?://|data:image/)[^\s'\"()\\<>]+")


def image_url(url: str | None) -> str | None:
    """The URL if it is one we draw: http(s) or an inline image, and nothing that could leave a CSS url('…')."""
    return url if url and _IMAGE_URL.fullmatch(url) else None


def poster_img(url: str | None, title: str, badge: str | None = None) -> str:
    src = image_url(url) or placeholder_poster(title)
    img = (
        f'<img class="nf-poster" src="{html.escape(src, quote=True)}" alt="{html.escape(title, quote=True)}">'
    )
    if not badge:
        return img
    kind = "nf-badge-library" if badge == IN_LIBRARY else "nf-badge-downloading"
    return f'<div class="nf-poster-wrap">{img}<span class="nf-badge {kind}">{html.escape(badge)}</span></div>'


IN_LIBRARY = "In library"
DOWNLOADING = "Downloading"


@st.cache_data(ttl=3600, show_spinner=False, max_entries=2000)
def _catalog_title(gateway_url: str, tmdb_id: int, tv: bool) -> tuple[str, str | None]:
    # Keyed by the gateway URL so a cached poster never crosses NiluFlix instances.
    found = gateway().show(tmdb_id) if tv else gateway().movie(tmdb_id)
    return found.title, found.poster_url


def catalog_title(tmdb_id: int | None, tv: bool = False) -> tuple[str, str | None] | None:
    """The catalog's title and poster of a title known only by id (library items, jobs); None if unknown."""
    if tmdb_id is None:
        return None
    try:
        return _catalog_title(gateway().base_url, tmdb_id, tv)
    except GatewayError:
        # Not cached, so it is asked again next time: the catalog may know the title once TMDB is back.
        return None


def catalog_poster(tmdb_id: int | None, tv: bool = False) -> str | None:
    """The catalog's poster for a title known only by id; None draws the placeholder."""
    found = catalog_title(tmdb_id, tv)
    return found[1] if found else None


def open_movie(tmdb_id: int) -> None:
    st.switch_page(MOVIE_PAGE, query_params={"id": str(tmdb_id)})


def open_show(tmdb_id: int) -> None:
    st.switch_page(SHOW_PAGE, query_params={"id": str(tmdb_id)})


def open_title(title: TitleSummary) -> None:
    (open_show if title.media_type is MediaType.TV else open_movie)(title.tmdb_id)


def _subtitle(title: TitleSummary) -> str:
    parts = [str(title.year)] if title.year else []
    if title.vote_average:
        parts.append(f"★ {title.vote_average:.1f}")
    return " · ".join(parts) or "\u00a0"


def poster_card(title: TitleSummary, shelf: str, width: int = 168, badge: str | None = None) -> None:
    what = "show" if title.media_type is MediaType.TV else "movie"
    with st.container(width=width, key=f"card-{shelf}-{title.tmdb_id}", gap=None):
        # The poster is a link too: people click the picture, not the title under it.
        with st.container(key=f"poster-{shelf}-{title.tmdb_id}", gap=None):
            st.markdown(poster_img(title.poster_url, title.title, badge), unsafe_allow_html=True)
            if st.button(
                f"Open {title.title}", key=f"pick-{shelf}-{title.tmdb_id}", type="tertiary", width="stretch"
            ):
                open_title(title)
        if st.button(
            title.title, key=f"open-{shelf}-{title.tmdb_id}", type="tertiary", help=f"Open this {what}"
        ):
            open_title(title)
        st.caption(_subtitle(title))


def shelf(
    heading: str, titles: Iterable[TitleSummary], key: str, wrap: bool = False, badges: Badges | None = None
) -> None:
    """A row of posters under a heading; `wrap` lays them out as a grid instead (search results)."""
    titles = list(titles)
    st.markdown(f'<div class="nf-row-title">{html.escape(heading)}</div>', unsafe_allow_html=True)
    if not titles:
        st.caption("Nothing here yet.")
        return
    container_key = f"grid-{key}" if wrap else f"shelf-{key}"
    with st.container(horizontal=True, wrap=wrap, key=container_key, gap="medium"):
        for title in titles:
            poster_card(title, key, badge=(badges or {}).get((title.media_type, title.tmdb_id)))


def hero(
    title: TitleSummary, facts: Iterable[str] = (), genres: Iterable[str] = (), clamp: bool = False
) -> None:
    """A wide banner: the backdrop, faded into the page, with the poster and what the movie is about."""
    backdrop = image_url(title.backdrop_url) or image_url(title.poster_url)
    background = (
        f"background-image: url('{html.escape(backdrop, quote=True)}');"
        if backdrop
        else "background: linear-gradient(135deg, #3a0a0d 0%, #141414 70%);"
    )
    meta = " · ".join(html.escape(fact) for fact in facts if fact)
    if title.vote_average:
        score = f'<span class="nf-score">★ {title.vote_average:.1f}</span>'
        meta = f"{score} · {meta}" if meta else score
    chips = "".join(f'<span class="nf-genre">{html.escape(g)}</span>' for g in genres)
    overview_class = "nf-overview nf-clamp" if clamp else "nf-overview"
    st.markdown(
        f'<div class="nf-hero" style="{background}"><div class="nf-hero-body">'
        f'<div class="nf-hero-poster">{poster_img(title.poster_url, title.title)}</div>'
        f'<div class="nf-hero-text"><div class="nf-hero-title">{html.escape(title.title)}</div>'
        f'<div class="nf-meta">{meta}</div><div>{chips}</div>'
        f'<p class="{overview_class}">{html.escape(title.overview or "No overview yet.")}</p></div>'
        "</div></div>",
        unsafe_allow_html=True,
    )
