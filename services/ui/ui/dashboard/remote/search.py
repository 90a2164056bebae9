"""Search (remote): find a movie or a show on TMDB and queue its download for the home.

The home's own catalog is out of reach while it is off, so this asks TMDB directly, with the remote web UI's
own TMDB key; without one, only the library is offered.
"""

import streamlit as st
from ui.components.feedback import show_flashes
from ui.remote import connection
from ui.remote.errors import RemoteError
from ui.remote.frame import LIBRARY_PAGE
from ui.remote.rows import STATUS_WORDS, queue, title_row
from ui.remote.tmdb import Found, TmdbSearch
from ui.settings import UiSettings

RESULTS_SHOWN = 20
WHOLE_SHOW = 0


@st.cache_data(ttl=600, show_spinner=False, max_entries=200)
def _search(base_url: str, api_key: str, query: str) -> list[Found]:
    return TmdbSearch(base_url, api_key).search(query)


@st.cache_data(ttl=3600, show_spinner=False, max_entries=200)
def _seasons(base_url: str, api_key: str, show_id: int) -> list[int]:
    return TmdbSearch(base_url, api_key).seasons(show_id)


def download_payload(found: Found, season: int = WHOLE_SHOW) -> dict:
    payload: dict = {"title": found.title, "year": found.year}
    if found.media_type == "tv" and season != WHOLE_SHOW:
        payload["seasons"] = [season]
    return payload


def result(found: Found, owned: dict[tuple[str, int], str], settings: UiSettings, key: str) -> None:
    status = owned.get((found.media_type, found.tmdb_id))
    words = STATUS_WORDS.get(status or "", "")
    title_row(found.title, found.year, found.media_type, found.poster_path, words, status or "")
    name = f"{found.title} ({found.year})" if found.year else found.title
    ident = f"{found.media_type}-{found.tmdb_id}"
    season = WHOLE_SHOW
    if found.media_type == "tv":
        try:
            seasons = _seasons(settings.tmdb_base_url, key, found.tmdb_id)
        except RemoteError:
            seasons = []  # the whole show can still be asked for
        season = st.selectbox(
            "Seasons",
            [WHOLE_SHOW, *seasons],
            format_func=lambda n: "Whole show" if n == WHOLE_SHOW else f"Season {n}",
            key=f"season-{ident}",
            label_visibility="collapsed",
        )
    st.button(
        "Download",
        key=f"download-{ident}",
        type="primary",
        icon=":material/download:",
        width="stretch",
        on_click=queue,
        args=("download",),
        kwargs={
            "media_type": found.media_type,
            "tmdb_id": found.tmdb_id,
            "payload": download_payload(found, season),
            "what": f"Download {name}" + ("" if season == WHOLE_SHOW else f", season {season}"),
        },
    )


st.set_page_config(page_title="Search · NiluFlix")
show_flashes()
st.title("Search")
settings = UiSettings()
if settings.tmdb_api_key is None:
    st.info(
        "Searching needs a TMDB API key for this remote web UI (`NILUFLIX_UI_TMDB_API_KEY`, a free v3 key "
        "from themoviedb.org's settings). Until then, the Library and Downloads pages work as usual.",
        icon=":material/key_off:",
    )
    st.page_link(LIBRARY_PAGE, label="Open the library", icon=":material/video_library:")
    st.stop()

query = st.text_input(
    "Search movies and shows",
    key="remote-search",
    placeholder="Search movies and shows",
    icon=":material/search:",
    label_visibility="collapsed",
)
if query and query.strip():
    api_key = settings.tmdb_api_key.get_secret_value()
    try:
        found = _search(settings.tmdb_base_url, api_key, query.strip())
        owned = {
            (r.media_type, r.tmdb_id): r.download_status
            for r in connection.store().library(connection.home().desktop_app_id)
        }
    except RemoteError as exc:
        st.error(exc.message, icon=":material/error:")
        st.stop()
    if not found:
        st.caption("Nothing matches that title. Try fewer words or the original title.")
    for item in found[:RESULTS_SHOWN]:
        with st.container(border=True, key=f"result-{item.media_type}-{item.tmdb_id}"):
            result(item, owned, settings, api_key)
