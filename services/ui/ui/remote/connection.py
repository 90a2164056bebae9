"""The store and the home of this browser, for the remote pages (set by the frame before a page runs)."""

import streamlit as st

from ui.remote.store import Home, RemoteStore

# st.session_state keys
STORE = "_remote_store"
HOME = "_remote_home"
HOMES = "_remote_homes"


def store() -> RemoteStore:
    return st.session_state[STORE]


def home() -> Home:
    """The home this browser looks at, as read at the start of this run."""
    return st.session_state[HOME]
