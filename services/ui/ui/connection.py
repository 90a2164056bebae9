"""The gateway client of a Streamlit run: settings read per run, one HTTP client per gateway, kept."""

import logging
from pathlib import Path

import streamlit as st
from pydantic import SecretStr

from niluflix import client_credential
from ui.gateway_client import GatewayClient
from ui.settings import UiSettings

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _client(
    base_url: str, api_key: str | None, timeout: float, client_key: str | None, verify: str | bool
) -> GatewayClient:
    return GatewayClient(
        base_url,
        SecretStr(api_key) if api_key else None,
        timeout,
        client_key=SecretStr(client_key) if client_key else None,
        verify=verify,
    )


@st.cache_resource(show_spinner=False)
def _client_key(data_dir: Path) -> str | None:
    """The UI's trusted-client credential, shared with the gateway through the data folder."""
    try:
        return client_credential.load_or_create(data_dir)
    except client_credential.ClientCredentialError as exc:
        # Not fatal on one machine, where the UI is local to the gateway anyway; elsewhere the pages show
        # the gateway's refusal.
        log.warning(
            "no trusted-client credential, the gateway sees the UI as any other host: %s", exc.message
        )
        return None


def gateway() -> GatewayClient:
    # Built on every run, never at import, so a test or a restarted gateway on another URL is picked up.
    settings = UiSettings()
    key = settings.api_key.get_secret_value() if settings.api_key else None
    return _client(
        settings.gateway_url, key, settings.timeout, _client_key(settings.data_dir), settings.gateway_verify
    )
