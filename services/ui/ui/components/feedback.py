"""Gateway failures shown as a sentence on the page, never as a traceback."""

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from ui.errors import GatewayError, GatewayTimeout, GatewayUnreachable


def show_error(exc: GatewayError) -> None:
    offline = isinstance(exc, GatewayUnreachable | GatewayTimeout)
    st.error(exc.message, icon=":material/cloud_off:" if offline else ":material/error:")


@contextmanager
def gateway_errors(stop: bool = True) -> Iterator[None]:
    """Show a failed gateway call; with `stop`, the rest of the page (or fragment) is not drawn."""
    try:
        yield
    except GatewayError as exc:
        show_error(exc)
        if stop:
            st.stop()


def flash(message: str, error: bool = False) -> None:
    """Keep a message for the next run: button callbacks run before the page is drawn again."""
    st.session_state.setdefault("_flash", []).append((message, error))


def show_flashes() -> None:
    for message, error in st.session_state.pop("_flash", []):
        # A toast outlives the next tick of a live fragment, which would wipe an inline message.
        if error:
            st.toast(message, icon=":material/error:", duration="long")
        else:
            st.toast(message, icon=":material/check_circle:")
