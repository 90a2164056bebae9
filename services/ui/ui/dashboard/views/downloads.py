"""Downloads: every active job with live progress and its controls, then the history."""

import streamlit as st
from ui.components.feedback import gateway_errors, show_flashes
from ui.components.jobs import finished_at, history_row, job_card
from ui.connection import gateway

HISTORY_SHOWN = 50


@st.fragment(run_every=1)
def active() -> None:
    client = gateway()
    # Pause, resume and cancel rerun only this fragment: their outcome is shown here.
    show_flashes()
    with gateway_errors():
        jobs = client.active_downloads().jobs
    if not jobs:
        st.info(
            "Nothing is downloading. Pick a movie on Home and press Download.", icon=":material/download:"
        )
        return
    jobs.sort(key=lambda job: (-job.priority, job.created_at))
    for job in jobs:
        job_card(job)


@st.fragment(run_every=5)
def history() -> None:
    with gateway_errors():
        jobs = [job for job in gateway().download_history().jobs if not job.state.active]
    if not jobs:
        st.caption("Finished, failed and cancelled downloads will be listed here.")
        return
    jobs.sort(key=finished_at, reverse=True)
    for job in jobs[:HISTORY_SHOWN]:
        history_row(job)
    if len(jobs) > HISTORY_SHOWN:
        st.caption(f"and {len(jobs) - HISTORY_SHOWN} older ones")


st.set_page_config(page_title="Downloads · NiluFlix")
st.title("Downloads")
active()
st.subheader("History")
history()
