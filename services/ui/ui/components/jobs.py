"""Download jobs: their state in words, live progress, and the buttons that steer them."""

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

import humanize
import streamlit as st

from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import Job, JobState
from ui import units
from ui.components.confirm import confirm_button
from ui.components.episodes import job_episodes
from ui.components.feedback import flash
from ui.components.posters import catalog_poster, catalog_title, poster_img
from ui.components.text import literal, title_with_year
from ui.connection import gateway
from ui.errors import GatewayError

BADGES: dict[JobState, tuple[str, str]] = {
    JobState.QUEUED: ("Queued", "gray"),
    JobState.DOWNLOADING: ("Downloading", "blue"),
    JobState.PAUSED: ("Paused", "orange"),
    JobState.COMPLETED: ("Completed", "green"),
    JobState.FAILED: ("Failed", "red"),
    JobState.CANCELLED: ("Cancelled", "gray"),
}


def state_message(job: Job) -> str:
    match job.state:
        case JobState.QUEUED if job.waiting_for:
            return f"Queued: {job.waiting_for}"
        case JobState.QUEUED if job.release_name:
            return "Queued: waiting for a free download slot"
        case JobState.QUEUED:
            return "Queued: NiluFlix is looking for the best release"
        case JobState.DOWNLOADING:
            return "Downloading"
        case JobState.PAUSED:
            return "Paused"
        case JobState.COMPLETED:
            return "Downloaded"
        case JobState.FAILED:
            return f"Failed: {job.error or 'no reason given'}"
        case JobState.CANCELLED:
            return "Cancelled"


def finished_at(job: Job) -> datetime:
    """When the job ended (or last changed), aware even when the row was stored without a zone."""
    moment = job.completed_at or job.updated_at
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def progress_bar(job: Job) -> None:
    done = (
        f"{units.size(job.downloaded)} of {units.size(job.size)}" if job.size else units.size(job.downloaded)
    )
    st.progress(max(0.0, min(1.0, job.progress)), text=f"{units.percent(job.progress)} · {done}")
    if job.state is JobState.DOWNLOADING:
        stats = [
            f"↓ {units.speed(job.speed_bps)}",
            f"{units.eta(job.eta_seconds)} left",
            f"{job.peers} peers",
        ]
    else:
        stats = [f"{job.peers} peers"] if job.peers else []
    if stats:
        st.caption(" · ".join(stats))


def job_title(job: Job) -> str:
    """The title as people know it: a job queued before the catalog answered has none, so ask the catalog;
    the bare TMDB id only when it does not know the title either."""
    tv = job.media_type is MediaType.TV
    name = job.title or (found[0] if (found := catalog_title(job.tmdb_id, tv)) else f"TMDB {job.tmdb_id}")
    name = title_with_year(name, job.year)
    episodes = job_episodes(job) if tv else ""
    return f"{name} · {episodes}" if episodes else name


def _act(action: Callable[[UUID], Job], verb: str, job: Job) -> None:
    try:
        action(job.id)
    except GatewayError as exc:
        flash(exc.message, error=True)
    else:
        flash(f"{verb} {job_title(job)}")


def heading(job: Job) -> str:
    """The job's title with its state as a badge, as Markdown."""
    label, colour = BADGES[job.state]
    return f"**{literal(job_title(job))}** &nbsp; :{colour}-badge[{label}]"


def job_card(job: Job, actions: bool = True) -> None:
    with st.container(border=True, horizontal=True, key=f"job-{job.id}", gap="medium"):
        with st.container(width=64):
            poster = catalog_poster(job.tmdb_id, job.media_type is MediaType.TV)
            st.markdown(poster_img(poster, job.title), unsafe_allow_html=True)
        with st.container():
            st.markdown(heading(job))
            if job.release_name:
                st.caption(literal(job.release_name))
            if job.state is JobState.QUEUED:
                st.caption(state_message(job))
            if job.state is not JobState.QUEUED or job.progress > 0:
                progress_bar(job)
        if actions:
            with st.container(horizontal=True, width="content", horizontal_alignment="right"):
                client = gateway()
                if job.state is JobState.PAUSED:
                    st.button(
                        "Resume",
                        key=f"resume-{job.id}",
                        icon=":material/play_arrow:",
                        on_click=_act,
                        args=(client.resume, "Resumed", job),
                    )
                else:
                    st.button(
                        "Pause",
                        key=f"pause-{job.id}",
                        icon=":material/pause:",
                        on_click=_act,
                        args=(client.pause, "Paused", job),
                    )
                confirm_button(
                    "Cancel",
                    key=f"cancel-{job.id}",
                    question=f"Cancel the download of {literal(job_title(job))}?",
                    on_confirm=_act,
                    args=(client.cancel, "Cancelled", job),
                    yes="Cancel the download",
                    no="Keep downloading",
                    icon=":material/close:",
                )


def history_row(job: Job) -> None:
    with st.container(
        border=True, horizontal=True, key=f"history-{job.id}", gap="medium", vertical_alignment="center"
    ):
        with st.container():
            st.markdown(heading(job))
            if job.release_name:
                st.caption(literal(job.release_name))
            if job.state is JobState.FAILED:
                st.markdown(f":red[{literal(state_message(job))}]")
        facts = [humanize.naturaltime(datetime.now(UTC) - finished_at(job))]
        if job.size:
            facts.append(units.size(job.size))
        st.caption(" · ".join(facts), width="content")
