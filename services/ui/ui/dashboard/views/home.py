"""Home: a search box, a featured movie, and shelves of trending and popular movies and shows."""

import streamlit as st
from ui.components.badges import title_badges
from ui.components.confirm import confirm_button
from ui.components.feedback import flash, gateway_errors, show_flashes
from ui.components.jobs import state_message
from ui.components.no_indexer import add_indexer_notice, nothing_to_search
from ui.components.posters import IN_LIBRARY, hero, open_movie, shelf
from ui.components.text import literal
from ui.connection import gateway
from ui.errors import GatewayError

from niluflix.contracts.catalog import TitleSummary
from niluflix.contracts.common import MediaType


def download(title: TitleSummary, replace: bool = False) -> None:
    try:
        job = gateway().download(title.tmdb_id, replace=replace)
    except GatewayError as exc:
        flash(exc.message, error=True)
    else:
        flash(f"{title.title}: {state_message(job)}")


st.set_page_config(page_title="NiluFlix")
client = gateway()
show_flashes()
no_indexer = nothing_to_search(client)
if no_indexer:
    add_indexer_notice()
badges = title_badges(client)

query = st.text_input(
    "Search movies and shows",
    key="search",
    placeholder="Search movies and shows by title",
    icon=":material/search:",
    label_visibility="collapsed",
)
if query and query.strip():
    with gateway_errors():
        movies = client.search(query.strip())
    shelf(f"Results for “{query.strip()}”", movies.results, "search", wrap=True, badges=badges)
    if not movies.results:
        st.caption("No movie matches that title. Try fewer words or the original title.")
    with gateway_errors(stop=False):
        shows = client.search_tv(query.strip())
        shelf(f"Shows matching “{query.strip()}”", shows.results, "search-tv", wrap=True, badges=badges)
        if not shows.results:
            st.caption("No show matches that title.")

with gateway_errors():
    trending = client.trending()

if not (query and query.strip()) and trending.results:
    featured = trending.results[0]
    owned = badges.get((MediaType.MOVIE, featured.tmdb_id)) == IN_LIBRARY
    hero(
        featured,
        facts=[str(featured.year) if featured.year else "", "in your library" if owned else ""],
        clamp=True,
    )
    with st.container(horizontal=True, key="hero-actions"):
        if no_indexer:
            pass  # a Download with nowhere to look could only fail: the notice above says why
        elif owned:
            confirm_button(
                "Download again",
                key="hero-download",
                question=f"{literal(featured.title)} is already in your library. Download it again and replace the file?",
                on_confirm=download,
                args=(featured, True),
                yes="Download again",
                no="Keep the one I have",
                icon=":material/download:",
            )
        else:
            st.button(
                "Download",
                key="hero-download",
                type="primary",
                icon=":material/download:",
                on_click=download,
                args=(featured,),
            )
        if st.button("More info", key="hero-info", icon=":material/info:"):
            open_movie(featured.tmdb_id)

shelf("Trending now", trending.results, "trending", badges=badges)

with gateway_errors():
    popular = client.popular()
shelf("Popular", popular.results, "popular", badges=badges)

# Shows below the movies: a gateway without them still draws the movies above.
with gateway_errors(stop=False):
    shelf("Trending shows", client.trending_tv().results, "tv-trending", badges=badges)
with gateway_errors(stop=False):
    shelf("Popular shows", client.popular_tv().results, "tv-popular", badges=badges)
