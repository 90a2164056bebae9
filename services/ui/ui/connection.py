"""The gateway client of a Streamlit run: settings read per run, one HTTP client per gateway, kept."""

import streamlit as st
from pydantic import SecretStr

from ui.gateway_client import GatewayClient
from ui.settings import UiSettings


@st.cache_resource(show_spinner=False)
def _client(base_url: str, api_key: str | None, timeout: float) -> GatewayClient:
    return GatewayClient(base_url, SecretStr(api_key) if api_key else None, timeout)


def gateway() -> GatewayClient:
    # Built on every run, never at import, so a test or a restarted gateway on another URL is picked up.
    settings = UiSettings()
    key = settings.api_key.get_secret_value() if settings.api_key else None
    return _client(settings.gateway_url, key, settings.timeout)
