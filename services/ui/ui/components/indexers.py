"""The indexers part of the settings page beyond the table: built-in providers, and "test connection"."""

from collections.abc import Callable
from typing import Any

import streamlit as st

from niluflix.contracts.search import IndexerTestResult
from niluflix.contracts.settings import PROVIDER_NAMES, ProvidersSettings, SharedSettings
from ui.components.feedback import show_error
from ui.components.text import literal
from ui.errors import GatewayError, GatewayRejected
from ui.gateway_client import GatewayClient

WHAT = {
    "yts": "movies, small encodes",
    "eztv": "TV episodes",
    "tpb": "movies and TV, through its JSON API (apibay)",
}
PROVIDERS_SAVED = "providers-saved"


def provider_changes(
    saved: ProvidersSettings, wanted: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Only what differs, provider by provider and field by field: a save touches nothing else."""
    patch: dict[str, dict[str, Any]] = {}
    for key, fields in wanted.items():
        current = getattr(saved, key)
        changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
        if changed:
            patch[key] = changed
    return patch


def show_test(name: str, ask: Callable[[], IndexerTestResult]) -> None:
    """Runs a "test connection" (an indexer's or a provider's) and shows its answer under that name."""
    with st.spinner(f"Asking {name}…"):
        try:
            result = ask()
        except GatewayRejected as exc:
            st.error(f"{literal(name)}: {literal(exc.detail)}", icon=":material/error:")
            return
        except GatewayError as exc:
            show_error(exc)
            return
    if result.ok:
        st.success(f"{literal(name)}: {literal(result.message)}", icon=":material/check_circle:")
    else:
        st.error(f"{literal(name)}: {literal(result.message)}", icon=":material/error:")


def providers_form(client: GatewayClient, saved: SharedSettings) -> None:
    tested: str | None = None
    with st.form("providers", border=True):
        st.markdown("**Built-in providers**")
        st.caption(
            "Sites NiluFlix can ask without Jackett or Prowlarr. Off until you switch them on; "
            "change the address to use a mirror. Test asks the address as typed, before you save it."
        )
        wanted: dict[str, dict[str, Any]] = {}
        for key, name in PROVIDER_NAMES.items():
            current = getattr(saved.providers, key)
            switch, address, test = st.columns([1, 2, 0.6], vertical_alignment="center")
            enabled = switch.toggle(
                f"{name}", value=current.enabled, key=f"provider-{key}-enabled", help=WHAT[key]
            )
            base_url = address.text_input(
                f"{name} address",
                value=current.base_url,
                key=f"provider-{key}-url",
                label_visibility="collapsed",
            )
            wanted[key] = {"enabled": enabled, "base_url": base_url.strip()}
            # A form takes only submit buttons: this one submits the typed address without saving it.
            if test.form_submit_button(
                "Test",
                key=f"provider-{key}-test",
                icon=":material/network_check:",
                help=f"Ask {name} at this address for its newest releases; nothing is saved",
            ):
                tested = key
        save = st.form_submit_button("Save providers", icon=":material/save:")
    if tested is not None:
        address = wanted[tested]["base_url"] or None
        show_test(PROVIDER_NAMES[tested], lambda: client.test_provider(tested, address))
        return
    if not save:
        return
    patch = provider_changes(saved.providers, wanted)
    if not patch:
        st.info("Nothing changed.", icon=":material/info:")
        return
    try:
        client.save_settings({"providers": patch})
    except GatewayRejected as exc:
        st.error(literal(exc.detail), icon=":material/error:")
    except GatewayError as exc:
        show_error(exc)
    else:
        st.session_state[PROVIDERS_SAVED] = True
        st.rerun()


def connection_test(client: GatewayClient, saved: SharedSettings) -> None:
    with st.container(border=True):
        st.markdown("**Test connection**")
        if not saved.indexers:
            st.caption("Add a Torznab indexer above, save, then test it here.")
            return
        st.caption("Reads what the indexer can search and runs a small search, as NiluFlix will.")
        choice, button = st.columns([2, 1], vertical_alignment="bottom")
        name = choice.selectbox("Indexer", [i.name for i in saved.indexers], key="indexer-to-test")
        if button.button("Test connection", key="test-indexer", icon=":material/network_check:"):
            show_test(name, lambda: client.test_indexer(name))


def indexer_tools(client: GatewayClient, saved: SharedSettings) -> None:
    providers_form(client, saved)
    if st.session_state.pop(PROVIDERS_SAVED, False):
        st.success("Providers saved", icon=":material/check_circle:")
    connection_test(client, saved)
