"""Remote: reach NiluFlix from anywhere through the user's own Supabase project.

The home signs in to the project once (the gateway keeps only the refresh token), mirrors its library there
and takes the commands the remote web UI queues; this page turns that on and off and shows the phone's link.
"""

import base64
import html
from datetime import UTC, datetime

import humanize
import streamlit as st
from ui.components.confirm import confirm_button
from ui.components.feedback import flash, gateway_errors, show_flashes
from ui.components.text import literal
from ui.connection import gateway
from ui.errors import GatewayError, GatewayRejected
from ui.gateway_client import RemoteStatus

STATE_WORDS = {
    "off": ("Off", ":material/cloud_off:"),
    "connecting": ("Connecting…", ":material/cloud_sync:"),
    "online": ("Online", ":material/cloud_done:"),
    "error": ("Not working", ":material/error:"),
}


def status_section(status: RemoteStatus) -> None:
    words, icon = STATE_WORDS.get(status.state, (status.state, ":material/help:"))
    st.subheader(f"Remote access: {words}")
    if not status.enabled:
        st.caption(
            "Off: nothing leaves this machine. Turn it on to see your library and queue downloads from a phone, "
            "through your own Supabase project."
        )
        return
    facts = [f"Project: {literal(status.supabase_url)}", f"Signed in as {literal(status.email)}"]
    if status.display_name:
        facts.append(f"This home is called **{literal(status.display_name)}**")
    if status.last_sync is not None:
        ago = humanize.naturaltime(datetime.now(UTC) - status.last_sync)
        facts.append(f"Last sync {ago}")
    facts.append(f"{status.mirrored_items} titles mirrored")
    facts.append(
        "Commands arrive at once (realtime)" if status.realtime else "Commands are checked every 15 s"
    )
    st.markdown("  \n".join(facts))
    if status.state == "error" and status.last_error:
        st.error(status.last_error, icon=icon)
    elif status.last_error:
        st.warning(status.last_error, icon=":material/warning:")


def qr_image(svg: str) -> str:
    """The QR code as an <img>: drawn as a picture, so nothing in the SVG runs in the page."""
    if "xmlns=" not in svg:
        # An SVG written to sit inside HTML (segno's svg_inline) has no namespace, which an image needs.
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    data = base64.b64encode(svg.encode()).decode()
    return (
        f'<img class="nf-qr" alt="QR code of the remote web UI link" '
        f'src="data:image/svg+xml;base64,{data}" style="width:220px;background:#fff;padding:10px;border-radius:8px">'
    )


def link_section() -> None:
    st.subheader("Open it on your phone")
    try:
        link = gateway().remote_link()
    except GatewayRejected as exc:
        st.info(exc.message, icon=":material/link_off:")
        return
    except GatewayError as exc:
        st.error(exc.message, icon=":material/error:")
        return
    st.caption(
        "Scan the code with the phone's camera, or send it the link. Sign in there with the same email."
    )
    st.markdown(qr_image(link.qr_svg), unsafe_allow_html=True)
    st.code(link.url, language=None, wrap_lines=True)
    st.link_button("Open the remote web UI", link.url, icon=":material/open_in_new:")


def enable(values: dict[str, str]) -> None:
    try:
        status = gateway().enable_remote(**values)
    except GatewayError as exc:
        st.session_state["remote-enable-error"] = exc.message
        return
    st.session_state.pop("remote-enable-error", None)
    flash("Remote access is on." if status.state != "error" else "Remote access is on, but not working yet.")


def disable() -> None:
    try:
        gateway().disable_remote()
    except GatewayError as exc:
        flash(exc.message, error=True)
    else:
        flash("Remote access is off: this home no longer syncs with Supabase.")


def enable_form(status: RemoteStatus) -> None:
    st.caption(
        "From your Supabase project's settings (API): its URL and the **publishable (anon)** key, never the "
        "service-role key. The email and password are a user of that project (Authentication → Users); "
        "NiluFlix signs in once and keeps only a refresh token, not the password."
    )
    with st.form("remote-enable"):
        url = st.text_input(
            "Supabase project URL",
            key="remote-url",
            value=status.supabase_url or "",
            placeholder="https://….supabase.co",
        )
        key = st.text_input("Publishable (anon) key", key="remote-key", type="password")
        email = st.text_input("Email", key="remote-email", value=status.email or "", autocomplete="username")
        password = st.text_input(
            "Password", key="remote-password", type="password", autocomplete="current-password"
        )
        name = st.text_input(
            "Name of this home",
            key="remote-name",
            value=status.display_name or "",
            placeholder="Living-room NAS",
            help="Shown on the phone",
        )
        ui_url = st.text_input(
            "Remote web UI URL",
            key="remote-ui-url",
            value=status.remote_ui_url or "",
            placeholder="https://niluflix-remote.streamlit.app",
            help="Where you deployed the remote web UI; the phone link and QR code point there",
        )
        submitted = st.form_submit_button(
            "Turn on remote access", type="primary", icon=":material/cloud_upload:"
        )
    if submitted:
        values = {
            "supabase_url": url.strip(),
            "anon_key": key.strip(),
            "email": email.strip(),
            "password": password,
        }
        missing = [
            label
            for label, field in (
                ("project URL", "supabase_url"),
                ("key", "anon_key"),
                ("email", "email"),
                ("password", "password"),
            )
            if not values[field]
        ]
        if missing:
            st.error(f"Fill in the {', '.join(missing)}.", icon=":material/error:")
            return
        values |= {"display_name": name.strip(), "remote_ui_url": ui_url.strip()}
        with st.spinner("Signing in to Supabase…"):
            enable(values)
        st.rerun()
    if error := st.session_state.pop("remote-enable-error", None):
        st.error(f"Remote access was not turned on: {error}", icon=":material/error:")


st.set_page_config(page_title="Remote · NiluFlix")
st.title("Remote")
show_flashes()
with gateway_errors():
    status = gateway().remote_status()
status_section(status)
if status.enabled:
    link_section()
    confirm_button(
        "Turn off remote access",
        key="remote-disable",
        question=(
            "Turn off remote access? This home stops syncing with the Supabase project and the phone can no "
            "longer queue downloads."
        ),
        on_confirm=disable,
        yes="Turn off",
        no="Keep it on",
        icon=":material/cloud_off:",
    )
with st.expander(
    "Change the connection" if status.enabled else "Turn on remote access", expanded=not status.enabled
):
    enable_form(status)
st.markdown(
    f'<p class="nf-muted">{html.escape("Deploy the remote web UI once (see the README, “Remote web UI”), then put its address above.")}</p>',
    unsafe_allow_html=True,
)
