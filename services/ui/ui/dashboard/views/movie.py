"""One movie: what it is, whether it is already in the library, its download's live progress, and Download."""

import html
import re

import streamlit as st
from ui.components.confirm import ask, confirm_button
from ui.components.feedback import flash, gateway_errors, show_flashes
from ui.components.jobs import BADGES, progress_bar, state_message
from ui.components.no_indexer import add_indexer_notice, nothing_to_search
from ui.components.posters import hero
from ui.components.profile_picker import Profiles, profile_choices, profile_picker
from ui.components.releases import releases_section
from ui.components.text import literal
from ui.connection import gateway
from ui.errors import GatewayError, GatewayRejected

from niluflix.contracts.catalog import TitleDetails
from niluflix.contracts.common import ErrorCode
from niluflix.contracts.downloads import Job, JobState
from niluflix.contracts.search import Release


def started_key(tmdb_id: int) -> str:
    return f"movie-job-{tmdb_id}"


REPLACE_KEY = "download-again"


def download(
    movie: TitleDetails, release: Release | None = None, profile: str | None = None, replace: bool = False
) -> None:
    try:
        job = gateway().download(movie.tmdb_id, release=release, profile=profile, replace=replace)
    except GatewayRejected as exc:
        if exc.code is ErrorCode.CONFLICT and not replace:
            # Filed since the page was drawn (or by another browser): ask before fetching it again.
            flash(exc.message, error=True)
            st.session_state[f"replace-with-{movie.tmdb_id}"] = (release, profile)
            ask(REPLACE_KEY)
        else:
            flash(exc.message, error=True)
    except GatewayError as exc:
        flash(exc.message, error=True)
    else:
        st.session_state[started_key(movie.tmdb_id)] = job


def download_again(movie: TitleDetails) -> None:
    release, profile = st.session_state.pop(f"replace-with-{movie.tmdb_id}", (None, None))
    download(movie, release, profile, replace=True)


def again_button(movie: TitleDetails) -> None:
    confirm_button(
        "Download again",
        key=REPLACE_KEY,
        question=f"{literal(movie.title)} is already in your library. Download it again and replace the file?",
        on_confirm=download_again,
        args=(movie,),
        yes="Download again",
        no="Keep the one I have",
        icon=":material/download:",
    )


def runtime_text(minutes: int | None) -> str:
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"


def show_job(job: Job) -> None:
    if job.state in (JobState.DOWNLOADING, JobState.PAUSED):
        label, colour = BADGES[job.state]
        st.badge(label, color=colour)
    if job.state is JobState.QUEUED:
        st.info(state_message(job), icon=":material/search:")
    elif job.state is JobState.FAILED:
        st.error(literal(state_message(job)), icon=":material/error:")
    elif job.state is JobState.CANCELLED:
        st.warning("The download was cancelled.", icon=":material/cancel:")
    elif job.state is JobState.COMPLETED:
        st.success("Downloaded: NiluFlix is filing it into your library.", icon=":material/check_circle:")
    if job.release_name:
        st.caption(literal(job.release_name))
    if job.profile:
        st.caption(f"Quality profile: {literal(job.profile)}")
    if job.state in (JobState.DOWNLOADING, JobState.PAUSED):
        progress_bar(job)


def facts(movie: TitleDetails) -> None:
    rows = []
    if movie.release_date:
        rows.append(("Released", f"{movie.release_date:%d %B %Y}"))
    if movie.runtime:
        rows.append(("Runtime", runtime_text(movie.runtime)))
    if movie.original_title and movie.original_title != movie.title:
        rows.append(("Original title", literal(movie.original_title)))
    if movie.imdb_id and re.fullmatch(r"tt\d+", movie.imdb_id):
        rows.append(("IMDb", f"[{movie.imdb_id}](https://www.imdb.com/title/{movie.imdb_id}/)"))
    if movie.alternative_titles:
        rows.append(("Also known as", literal(", ".join(movie.alternative_titles[:4]))))
    for label, value in rows:
        st.markdown(f":gray[{label}] &nbsp; {value}")


def download_button(movie: TitleDetails, profiles: Profiles | None) -> None:
    place, profile = st, None
    if profiles is not None:
        picker, place = st.columns([1, 1], vertical_alignment="bottom")
        with picker:
            profile = profile_picker(profiles, key="download-profile")
    place.button(
        "Download",
        key="download",
        type="primary",
        icon=":material/download:",
        on_click=download,
        args=(movie, None, profile),
    )


@st.fragment(run_every=1)
def availability(movie: TitleDetails, profiles: Profiles | None, no_indexer: bool) -> None:
    client = gateway()
    show_flashes()
    with gateway_errors():
        try:
            owned = [item for item in client.downloaded().items if item.tmdb_id == movie.tmdb_id]
        except GatewayRejected as exc:
            # An unreadable library must not keep anyone from downloading: say so and go on.
            owned = []
            st.caption(f"Could not check your library: {literal(exc.message)}")
        jobs = [job for job in client.active_downloads().jobs if job.tmdb_id == movie.tmdb_id]

    for item in owned:
        st.success("In your library", icon=":material/video_library:")
        st.markdown(f'<div class="nf-path">{html.escape(item.path)}</div>', unsafe_allow_html=True)
    if jobs:
        for job in jobs:
            show_job(job)
        return

    # The job this page started: the gateway may not list it as active yet, or it has already ended.
    started: Job | None = st.session_state.get(started_key(movie.tmdb_id))
    if owned:
        if started is None and not no_indexer:
            again_button(movie)
        return
    if started is not None:
        current = started
        if started.state.active:
            with gateway_errors():
                current = next((j for j in client.download_history().jobs if j.id == started.id), started)
        show_job(current)
        if current.state.active or current.state is JobState.COMPLETED:
            return
    if no_indexer:
        add_indexer_notice()
    else:
        download_button(movie, profiles)


client = gateway()
raw_id = st.query_params.get("id", "")
if not raw_id.isdigit():
    st.info("Pick a movie on the Home page to see it here.", icon=":material/movie:")
    st.page_link("views/home.py", label="Browse movies", icon=":material/home:")
    st.stop()

with gateway_errors():
    movie = client.movie(int(raw_id))
st.set_page_config(page_title=f"{movie.title} · NiluFlix")

hero(movie, facts=[str(movie.year) if movie.year else "", runtime_text(movie.runtime)], genres=movie.genres)
profiles = profile_choices()  # once per run: the download button and the releases section both offer them
no_indexer = nothing_to_search(client)  # once per run, not on each tick of the live part
status, about = st.columns([2, 1], gap="large")
with status:
    availability(movie, profiles, no_indexer)
with about:
    facts(movie)

st.subheader("Releases")
if no_indexer:
    st.caption("The releases of this movie are listed here once an indexer is added.")
else:
    releases_section(movie, lambda release: download(movie, release), profiles)
