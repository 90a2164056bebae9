"""Library (remote): what the home mirrors, movies and shows, with what is on its way."""

import streamlit as st
from ui.components.feedback import show_flashes
from ui.remote import connection
from ui.remote.errors import RemoteError
from ui.remote.rows import library_row


@st.fragment(run_every=30)
def library(kind: str) -> None:
    home = connection.home()
    try:
        rows = connection.store().library(home.desktop_app_id)
    except RemoteError as exc:
        st.error(exc.message, icon=":material/error:")
        return
    shown = [r for r in rows if r.media_type == kind]
    if not rows:
        st.info(
            f"{home.name} has mirrored nothing yet. Its library appears here once it is online.",
            icon=":material/video_library:",
        )
        return
    if not shown:
        st.caption("No movies yet." if kind == "movie" else "No shows yet.")
        return
    for row in shown:
        with st.container(key=f"title-{row.media_type}-{row.tmdb_id}"):
            library_row(row)


st.set_page_config(page_title="Library · NiluFlix")
show_flashes()
st.title("Library")
choice = st.segmented_control(
    "Show", ["Movies", "Shows"], default="Movies", key="library-kind", label_visibility="collapsed"
)
library("tv" if choice == "Shows" else "movie")
