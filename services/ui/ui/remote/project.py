"""Which Supabase project the remote web UI uses: its settings, else the link the home's Remote page shows
(`?supabase_url=…&anon_key=…`), remembered for this browser's session and kept in its address, so moving
between pages and reloading keep it.

Only a publishable (anon) key is accepted: a service-role or secret key bypasses row-level security, and a
page served to a phone must never hold one.
"""

import base64
import json
from dataclasses import dataclass

import streamlit as st

from ui.settings import UiSettings, http_url

_REMEMBERED = "_remote_project"


@dataclass(frozen=True)
class Project:
    url: str
    anon_key: str


class NotAPublicKey(ValueError):
    pass


def check_key(key: str) -> str:
    """The key if it is a publishable one; NotAPublicKey saying why not otherwise."""
    key = key.strip()
    if not key:
        raise NotAPublicKey("The link has no key.")
    if key.startswith("sb_secret_") or _jwt_role(key) == "service_role":
        raise NotAPublicKey(
            "This is the project's secret (service-role) key, which bypasses every access rule: it must never "
            "be given to a web page. Use the publishable (anon) key."
        )
    return key


def _jwt_role(key: str) -> str | None:
    """The `role` claim of a legacy JWT key (read, not verified: only to refuse the wrong kind)."""
    parts = key.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, json.JSONDecodeError):
        return None
    return claims.get("role") if isinstance(claims, dict) else None


def from_settings(settings: UiSettings) -> Project | None:
    if settings.supabase_url and settings.supabase_anon_key:
        return Project(settings.supabase_url, check_key(settings.supabase_anon_key.get_secret_value()))
    return None


def current(settings: UiSettings) -> Project | None:
    """This browser's project; raises NotAPublicKey (or ValueError for a bad URL) for a link that is wrong."""
    configured = from_settings(settings)
    if configured is not None:
        return configured
    params = st.query_params
    url, key = params.get("supabase_url"), params.get("anon_key")
    if url and key:
        project = Project(http_url(url.strip(), "The project URL"), check_key(key))
        st.session_state[_REMEMBERED] = project
        return project
    project = st.session_state.get(_REMEMBERED)
    if project is not None:
        # Moving to another page drops the query; put it back, so a reload (or a phone browser bringing a
        # discarded tab back) still knows the project. The key is the public one.
        params.update({"supabase_url": project.url, "anon_key": project.anon_key})
    return project
