"""Keeps a browser signed in across page reloads: the session token in a cookie of the dashboard's site.

Streamlit reads cookies (`st.context.cookies`, sent when the page connects) but has no call to set one, so
a one-off script does it in the browser (`st.html` with JavaScript allowed; nothing from a user goes into
it). The cookie is `SameSite=Strict`, so another site cannot make the browser use it, and `Secure` when the
dashboard is served over HTTPS. It only names a session the gateway keeps: signing out ends that session
for good, whatever the browser still holds.
"""

import json
import re
from datetime import UTC, datetime

import streamlit as st

NAME = "niluflix_session"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,128}$")
_HIDDEN = "<style>.st-key-nf-session-cookie{display:none}</style>"


def read() -> str | None:
    value = st.context.cookies.get(NAME)
    return value if isinstance(value, str) and _TOKEN.match(value) else None


def _script(assignment: str) -> None:
    code = f"document.cookie = {assignment} + '; Path=/; SameSite=Strict' + "
    code += "(location.protocol === 'https:' ? '; Secure' : '');"
    with st.container(key="nf-session-cookie"):
        st.html(f"{_HIDDEN}<script>{code}</script>", unsafe_allow_javascript=True)


def remember(token: str, expires_at: datetime) -> None:
    if not _TOKEN.match(token):
        raise ValueError("not a session token")
    seconds = max(int((expires_at - datetime.now(UTC)).total_seconds()), 0)
    _script(json.dumps(f"{NAME}={token}; Max-Age={seconds}"))


def forget() -> None:
    _script(json.dumps(f"{NAME}=; Max-Age=0"))
