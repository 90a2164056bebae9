"""Account (remote): which home this phone looks at, and signing out."""

import streamlit as st
from ui import signin
from ui.components.text import literal
from ui.remote import connection
from ui.remote.frame import CHOSEN, last_seen

st.set_page_config(page_title="Account · NiluFlix")
st.title("Account")
homes = st.session_state[connection.HOMES]
if len(homes) > 1:
    by_id = {h.desktop_app_id: h for h in homes}
    ids = list(by_id)
    current = connection.home().desktop_app_id
    st.radio(
        "Which home",
        ids,
        index=ids.index(current),
        key="home-choice",
        format_func=lambda i: f"{by_id[i].name} ({last_seen(by_id[i]).lower()})",
        # Kept apart from the widget: a widget's value is dropped on pages that do not draw it.
        on_change=lambda: st.session_state.update({CHOSEN: st.session_state["home-choice"]}),
    )
else:
    st.markdown(f"Your home: **{literal(homes[0].name)}** ({last_seen(homes[0]).lower()}).")
signin.account_section(st.session_state.get("_remote_backend"))
