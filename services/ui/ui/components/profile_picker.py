"""The quality profile a download asks for: the gateway's list of profiles, and the picker a page offers."""

import streamlit as st

from ui.connection import gateway
from ui.errors import GatewayError

Profiles = tuple[list[str], str]
"""The profiles' names and the default one's."""


def profile_choices() -> Profiles | None:
    """The quality profiles' names and the default one; None when the gateway cannot list them."""
    try:
        listed = gateway().profiles()
    except GatewayError:
        # Downloading by the default profile needs no list: the picker is left out, the buttons stay.
        return None
    names = [p.name for p in listed.profiles]
    return (names, listed.default_profile) if listed.default_profile in names else None


def profile_picker(
    profiles: Profiles, key: str, start: str | None = None, help: str | None = None
) -> str | None:
    """A "Quality profile" choice starting at `start` (the default when None or unknown); returns the profile
    to ask for. The default one is returned as None: the download then follows whichever profile is the
    default."""
    names, default = profiles
    first = start if start in names else default
    chosen = st.selectbox("Quality profile", names, index=names.index(first), key=key, help=help)
    return None if chosen == default else chosen
