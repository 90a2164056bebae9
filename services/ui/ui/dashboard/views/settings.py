"""Settings: what every service shares (TMDB key, library, torrent client, indexers), health, and the API key."""

import pandas as pd
import streamlit as st
from ui.components.feedback import gateway_errors, show_error
from ui.components.indexers import indexer_tools
from ui.components.no_indexer import settings_hint
from ui.components.profiles import profiles_editor
from ui.components.settings_form import IndexerRow, SecretInput, SettingsForm, changes, indexer_rows
from ui.components.text import literal
from ui.connection import gateway
from ui.errors import GatewayError, GatewayRejected
from ui.gateway_client import GatewayHealth
from ui.signin import account_section

from niluflix.contracts.settings import SharedSettings, TorrentClientKind

CLIENT_KINDS = {
    TorrentClientKind.AUTO: "Automatic (find one, else run one)",
    TorrentClientKind.TRANSMISSION: "Transmission",
    TorrentClientKind.QBITTORRENT: "qBittorrent",
    TorrentClientKind.EMBEDDED: "Built-in (libtorrent)",
}
CLIENT_NAMES = {
    "auto": "Not chosen yet",
    "transmission": "Transmission",
    "qbittorrent": "qBittorrent",
    "embedded": "Built-in (libtorrent)",
}
CLIENT_URL_HINT = "e.g. http://127.0.0.1:9091/transmission/rpc or http://127.0.0.1:8080"
GENERATION = "settings-generation"
JUST_SAVED = "settings-saved"


def field_key(name: str) -> str:
    # Each save starts a new generation of widget keys, so every field (the indexer table's pending edits,
    # a typed password) starts again from what was saved instead of being applied twice.
    return f"{name}-{st.session_state.get(GENERATION, 0)}"


def secret_input(label: str, key: str, saved: bool, help: str | None = None) -> SecretInput:
    typed = st.text_input(
        label,
        key=field_key(key),
        type="password",
        help=help,
        placeholder="Saved (hidden). Type a new one to replace it." if saved else "Not set",
    )
    remove = (
        st.checkbox(f"Remove the saved {label.lower()}", key=field_key(f"{key}-remove")) if saved else False
    )
    return SecretInput(typed=typed or "", remove=remove)


def section(title: str, caption: str) -> None:
    st.markdown(f"**{title}**")
    st.caption(caption)


def settings_form(saved: SharedSettings) -> SettingsForm | None:
    with st.form("settings", border=False):
        catalog, library = st.columns(2)
        with catalog, st.container(border=True, height="stretch"):
            section("Movie catalog", "NiluFlix looks movies up on TMDB.")
            tmdb = secret_input(
                "TMDB API key",
                "tmdb_api_key",
                saved.tmdb_api_key is not None,
                help="A TMDB v3 API key or v4 read access token, from themoviedb.org → Settings → API.",
            )
        with library, st.container(border=True, height="stretch"):
            section("Library", "Where finished movies are filed, as Movies/Title (Year)/Title (Year).ext.")
            library_dir = st.text_input(
                "Library folder", value=saved.library_dir, key=field_key("library_dir")
            )
            limit = st.number_input(
                "Downloads at the same time",
                min_value=1,
                max_value=50,
                step=1,
                key=field_key("max_concurrent_downloads"),
                value=saved.max_concurrent_downloads,
            )
        with st.container(border=True):
            section(
                "Torrent client",
                "Automatic uses the client configured here, else one already running "
                "(Transmission, qBittorrent), else starts its own.",
            )
            kinds = list(CLIENT_KINDS)
            kind_column, url_column = st.columns([1, 2])
            kind = kind_column.selectbox(
                "Client",
                kinds,
                index=kinds.index(saved.torrent_client.kind),
                key=field_key("client_kind"),
                format_func=CLIENT_KINDS.__getitem__,
            )
            url = url_column.text_input(
                "URL",
                value=saved.torrent_client.url or "",
                key=field_key("client_url"),
                placeholder=CLIENT_URL_HINT,
            )
            left, right = st.columns(2)
            with left:
                username = st.text_input(
                    "Username", value=saved.torrent_client.username or "", key=field_key("client_username")
                )
            with right:
                password = secret_input(
                    "Password", "client_password", saved.torrent_client.password is not None
                )
        with st.container(border=True):
            section(
                "Indexers",
                "Torznab endpoints (Prowlarr, Jackett, …). An API key shown as ******** is kept as it is.",
            )
            table = st.data_editor(
                pd.DataFrame(indexer_rows(saved), columns=["name", "url", "api_key", "enabled"]),
                key=field_key("indexers"),
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                column_config={
                    "name": st.column_config.TextColumn("Name", required=True, max_chars=64),
                    "url": st.column_config.TextColumn("Torznab URL", width="large"),
                    "api_key": st.column_config.TextColumn("API key"),
                    "enabled": st.column_config.CheckboxColumn("Enabled", default=True),
                },
            )
        if not st.form_submit_button("Save", type="primary", icon=":material/save:"):
            return None
    return SettingsForm(
        tmdb_api_key=tmdb,
        library_dir=library_dir or "",
        client_kind=str(kind),
        client_url=url or "",
        client_username=username or "",
        client_password=password,
        max_concurrent_downloads=int(limit),
        indexers=[IndexerRow(**row) for row in table.to_dict("records")],
    )


def mark(ok: bool | None) -> str:
    if ok is None:
        return ":gray[:material/help:]"
    return ":green[:material/check_circle:]" if ok else ":red[:material/cancel:]"


def show_health(health: GatewayHealth) -> None:
    if health.status == "ok":
        st.success("Everything is running.", icon=":material/check_circle:")
    else:
        st.warning(
            f"NiluFlix is {literal(health.status)}: see what is wrong below.", icon=":material/warning:"
        )
    services, client, indexers = st.columns(3)
    with services, st.container(border=True, height="stretch"):
        st.markdown("**Services**")
        if health.nats is not None:
            st.markdown(f"{mark(health.nats.ok)} NATS")
            if not health.nats.ok and health.nats.detail:
                st.caption(literal(health.nats.detail))
        if not health.services:
            st.caption("No service answered.")
        for service in health.services:
            version = f" :gray[{literal(service.version)}]" if service.version else ""
            st.markdown(f"{mark(service.ok)} {literal(service.service)}{version}")
            if service.detail:
                st.caption(literal(service.detail))
            for check in service.checks:
                if not check.ok:
                    st.caption(f"{literal(check.name)}: {literal(check.detail or 'failing')}")
    with client, st.container(border=True, height="stretch"):
        st.markdown("**Torrent client**")
        tc = health.torrent_client
        if tc is None:
            st.caption("Not reported yet.")
        else:
            kind = CLIENT_NAMES.get(tc.kind or "", tc.kind or "unknown")
            st.markdown(f"{mark(tc.ok)} {literal(kind)}")
            if tc.detail:
                st.caption(literal(tc.detail))
    with indexers, st.container(border=True, height="stretch"):
        st.markdown("**Indexers**")
        if not health.indexers:
            st.caption("No indexer configured.")
        for check in health.indexers:
            st.markdown(f"{mark(check.ok)} {literal(check.name.removeprefix('indexer:') or 'indexer')}")
            if check.detail:
                st.caption(literal(check.detail))


st.set_page_config(page_title="Settings · NiluFlix")
client = gateway()
st.title("Settings")
with gateway_errors():
    saved = client.settings()
settings_hint(saved)

submitted = settings_form(saved)
if submitted is not None:
    patch = changes(saved, submitted)
    if not patch:
        st.info("Nothing changed.", icon=":material/info:")
    else:
        try:
            client.save_settings(patch)
        except GatewayRejected as exc:
            # The gateway's own words: which field is wrong and why.
            st.error(literal(exc.detail), icon=":material/error:")
        except GatewayError as exc:
            show_error(exc)
        else:
            st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
            st.session_state[JUST_SAVED] = True
            st.rerun()
if st.session_state.pop(JUST_SAVED, False):
    st.success("Saved", icon=":material/check_circle:")

indexer_tools(client, saved)

profiles_editor(saved)

st.subheader("Health")
with gateway_errors(stop=False):
    show_health(client.health())

st.subheader("Remote access")
with st.container(border=True):
    st.caption("Apps and scripts that use NiluFlix from elsewhere send this key in the X-Api-Key header.")
    if st.toggle("Show the API key", key="show-api-key"):
        with gateway_errors(stop=False):
            st.code(client.api_key().get_secret_value(), language=None)
    account_section()
