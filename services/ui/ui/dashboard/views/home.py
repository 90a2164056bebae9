"""Home: a search box, a featured movie, and shelves of trending and popular movies."""

import streamlit as st
from ui.components.feedback import flash, gateway_errors, show_flashes
from ui.components.jobs import state_message
from ui.components.no_indexer import add_indexer_notice, nothing_to_search
from ui.components.posters import hero, open_movie, shelf
from ui.connection import gateway
from ui.errors import GatewayError

from niluflix.contracts.catalog import TitleSummary


def download(title: TitleSummary) -> None:
    try:
        job = gateway().download(title.tmdb_id)
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

query = st.text_input(
    "Search movies",
    key="search",
    placeholder="Search movies by title",
    icon=":material/search:",
    label_visibility="collapsed",
)
if query and query.strip():
    with gateway_errors():
        found = client.search(query.strip())
    shelf(f"Results for “{query.strip()}”", found.results, "search", wrap=True)
    if not found.results:
        st.caption("No movie matches that title. Try fewer words or the original title.")

with gateway_errors():
    trending = client.trending()

if not (query and query.strip()) and trending.results:
    featured = trending.results[0]
    hero(featured, facts=[str(featured.year) if featured.year else ""], clamp=True)
    with st.container(horizontal=True, key="hero-actions"):
        if not no_indexer:  # a Download with nowhere to look could only fail: the notice above says why
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

shelf("Trending now", trending.results, "trending")

with gateway_errors():
    popular = client.popular()
shelf("Popular", popular.results, "popular")
