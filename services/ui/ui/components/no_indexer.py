"""The "add an indexer" state of a fresh install: with no indexer and no built-in provider on, NiluFlix has
nowhere to look for a download, so the pages say so and lead to Settings instead of offering a Download
that can only fail."""

import streamlit as st

from niluflix.contracts.settings import SharedSettings
from ui.errors import GatewayError
from ui.gateway_client import GatewayClient

NOTICE = (
    "**No indexer yet:** NiluFlix has nowhere to look for downloads. Add an indexer (a Torznab URL from "
    "Prowlarr or Jackett) or turn on a built-in provider in Settings."
)
SETTINGS_HINT = (
    "Add an indexer under **Indexers** below (its Torznab URL and API key) and press Save, or turn on a "
    "built-in provider under it."
)
SECTION = {"section": "indexers"}  # the query that Settings answers with SETTINGS_HINT


def can_search(settings: SharedSettings) -> bool:
    """Whether any indexer or built-in provider is on: the search service's own rule for "no indexer yet"."""
    return any(i.enabled for i in settings.indexers) or any(p.enabled for _, p in settings.providers)


def nothing_to_search(client: GatewayClient) -> bool:
    """True only when the settings say so: a gateway that cannot tell leaves Download where it is."""
    try:
        return not can_search(client.settings())
    except GatewayError:
        return False


def add_indexer_notice() -> None:
    st.info(NOTICE, icon=":material/travel_explore:")
    st.page_link(
        "views/settings.py",
        label="Add an indexer in Settings",
        icon=":material/add_circle:",
        query_params=SECTION,
    )


def settings_hint(settings: SharedSettings) -> None:
    """On Settings, reached from the notice: where to add one (nothing once one is there)."""
    if st.query_params.get("section") == SECTION["section"] and not can_search(settings):
        st.info(SETTINGS_HINT, icon=":material/travel_explore:")
