"""Where the browser of this run is: on this machine or elsewhere, by the rule the gateway applies."""

import streamlit as st
from streamlit import runtime

from niluflix import locality


def browser_address() -> str | None:
    """The browser's address as Streamlit saw its connection; None on this machine or with no connection."""
    address = st.context.ip_address
    return address if isinstance(address, str) else None


def browser_is_local() -> bool:
    if not runtime.exists():
        return True  # `python app.py`: no server, so no browser from anywhere
    headers = st.context.headers
    if not headers:
        # The connection is gone (or there never was one): nothing says this is a browser on this machine.
        return False
    # Streamlit reports a browser on 127.0.0.1 or ::1 as no address at all.
    return locality.is_local(browser_address() or "127.0.0.1", headers.keys())
