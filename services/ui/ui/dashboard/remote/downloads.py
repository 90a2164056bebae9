"""Downloads (remote): what the home is downloading, with pause, resume and cancel; then what was asked from
here and what became of it."""

import streamlit as st
from ui.components.confirm import confirm_button
from ui.components.feedback import show_flashes
from ui.components.text import literal
from ui.remote import connection
from ui.remote.errors import RemoteError
from ui.remote.rows import STATUS_WORDS, command_row, percent, queue, title_row
from ui.remote.store import JobView, LibraryRow

COMMANDS_SHOWN = 20


def job_controls(row: LibraryRow, job: JobView) -> None:
    """One download of a title: its state and progress, and the buttons that send a command about it."""
    label = job.label or row.title
    state = job.state.replace("_", " ").capitalize()
    facts = " · ".join(p for p in (state, percent(job.progress), job.waiting_for or "") if p)
    # A movie's one download is named like the title above it: only a show's say which episodes.
    st.markdown(literal(facts) if label == row.title else f"**{literal(label)}**  \n{literal(facts)}")
    if job.progress is not None:
        st.progress(min(max(job.progress / 100, 0.0), 1.0))
    args = {"media_type": row.media_type, "tmdb_id": row.tmdb_id, "payload": {"job_id": job.job_id}}
    key = f"{row.media_type}-{row.tmdb_id}-{job.job_id}"
    with st.container(horizontal=True, key=f"controls-{key}"):
        if job.state == "paused":
            st.button(
                "Resume",
                key=f"resume-{key}",
                icon=":material/play_arrow:",
                type="primary",
                on_click=queue,
                args=("resume",),
                kwargs=args | {"what": f"Resume {label}"},
            )
        elif job.state not in ("failed", "completed", "cancelled"):
            st.button(
                "Pause",
                key=f"pause-{key}",
                icon=":material/pause:",
                on_click=queue,
                args=("pause",),
                kwargs=args | {"what": f"Pause {label}"},
            )
        confirm_button(
            "Cancel",
            key=f"cancel-{key}",
            question=f"Cancel the download of {label}?",
            on_confirm=lambda: queue("cancel", **args, what=f"Cancel {label}"),
            yes="Cancel it",
            no="Keep downloading",
            icon=":material/close:",
        )


@st.fragment(run_every=10)
def active() -> None:
    show_flashes()
    home = connection.home()
    store = connection.store()
    try:
        rows = store.library(home.desktop_app_id)
        commands = store.commands(home.desktop_app_id, COMMANDS_SHOWN)
    except RemoteError as exc:
        st.error(exc.message, icon=":material/error:")
        return
    downloading = [r for r in rows if r.active]
    if not downloading:
        st.info("Nothing is downloading. Find a movie or a show in Search.", icon=":material/download:")
    for row in downloading:
        with st.container(border=True, key=f"download-{row.media_type}-{row.tmdb_id}"):
            words = STATUS_WORDS.get(row.download_status, "")
            title_row(row.title, row.year, row.media_type, row.poster_path, words, row.download_status)
            for job in row.detail.downloads:
                job_controls(row, job)
            if not row.detail.downloads and row.progress is not None:
                st.progress(min(max(row.progress / 100, 0.0), 1.0), text=percent(row.progress))

    st.subheader("Asked from here")
    if not commands:
        st.caption("Downloads you queue here, and pauses and cancels, are listed with what became of them.")
        return
    titles = {(r.media_type, r.tmdb_id): r.title for r in rows}
    for command in commands:
        command_row(command, home, titles)


st.set_page_config(page_title="Downloads · NiluFlix")
st.title("Downloads")
active()
