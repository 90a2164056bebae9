"""HTTPS: a self-signed certificate made once in the data folder, which the UI and the command trust."""

import asyncio
import ssl
import stat

import httpx
import pytest
from gateway.settings import GatewaySettings, Tls
from pydantic import SecretStr
from ui.gateway_client import GatewayClient
from ui.settings import UiSettings

from niluflix import client_credential, gateway_tls
from niluflix.testing.net import free_port

from .conftest import serve_gateway


@pytest.fixture
def tls_settings(settings: GatewaySettings) -> GatewaySettings:
    return settings.model_copy(update={"tls": Tls.SELF_SIGNED, "allowed_hosts": ["nas.example.com"]})


async def test_a_self_signed_gateway_serves_https_and_keeps_its_certificate(
    tls_settings: GatewaySettings,
) -> None:
    cert = gateway_tls.certificate_path(tls_settings.data_dir)
    key = gateway_tls.key_path(tls_settings.data_dir)
    async with serve_gateway(tls_settings):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        trust = ssl.create_default_context(cafile=str(cert))
        for host in ("127.0.0.1", "localhost"):
            url = f"https://{host}:{tls_settings.port}/api/health/live"
            async with httpx.AsyncClient(verify=trust) as https:
                assert (await https.get(url)).status_code == 200, host
        # Plain HTTP to it is no answer, and a client trusting only the system's CAs refuses it.
        async with httpx.AsyncClient() as plain:
            with pytest.raises(httpx.HTTPError):
                await plain.get(f"http://127.0.0.1:{tls_settings.port}/api/health/live")
            with pytest.raises(httpx.ConnectError):
                await plain.get(f"https://127.0.0.1:{tls_settings.port}/api/health/live")
    made = cert.read_bytes(), key.read_bytes()
    assert b"PRIVATE KEY" in made[1] and b"PRIVATE KEY" not in made[0]

    # A restart (on another port, as after a reboot) serves the same certificate: clients keep trusting it.
    again = tls_settings.model_copy(update={"port": free_port()})
    async with serve_gateway(again), httpx.AsyncClient(verify=trust) as https:
        assert (await https.get(f"https://127.0.0.1:{again.port}/api/health/live")).status_code == 200
    assert (cert.read_bytes(), key.read_bytes()) == made


def test_the_certificate_names_the_machine_and_the_configured_hosts(tls_settings: GatewaySettings) -> None:
    from cryptography import x509
    from gateway.auth.tls import tls_files

    cert, _ = tls_files(tls_settings)
    names = x509.load_pem_x509_certificate(cert.read_bytes()).extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    dns = names.value.get_values_for_type(x509.DNSName)
    ips = [str(a) for a in names.value.get_values_for_type(x509.IPAddress)]
    assert {"localhost", "nas.example.com"} <= set(dns)
    assert {"127.0.0.1", "::1"} <= set(ips)


async def test_the_ui_reaches_a_self_signed_gateway(tls_settings: GatewaySettings, monkeypatch) -> None:
    async with serve_gateway(tls_settings) as gateway:
        # The UI in its container: the shared data folder, the gateway's https URL, nothing else configured.
        monkeypatch.setenv("NILUFLIX_GATEWAY_URL", f"https://localhost:{tls_settings.port}")
        monkeypatch.setenv("NILUFLIX_DATA_DIR", str(tls_settings.data_dir))
        ui = UiSettings()
        assert ui.gateway_verify == str(gateway_tls.certificate_path(tls_settings.data_dir))
        credential = SecretStr(client_credential.load_or_create(ui.data_dir))

        def as_the_ui() -> tuple[str, str]:
            with GatewayClient(ui.gateway_url, client_key=credential, verify=ui.gateway_verify) as client:
                return client.api_key().get_secret_value(), client.settings().library_dir

        # The UI's client is synchronous: off the loop, which serves the gateway.
        key, library = await asyncio.to_thread(as_the_ui)
        assert key == gateway.state.api_key and library


def test_tls_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="tls_cert_file and tls_key_file"):
        GatewaySettings(tls=Tls.FILES)
    given = GatewaySettings(tls_cert_file="/etc/ssl/nas.crt", tls_key_file="/etc/ssl/nas.key")
    assert given.tls is Tls.FILES and given.scheme == "https"
    assert gateway_tls.gateway_scheme({"NILUFLIX_GATEWAY_TLS": "self-signed"}) == "https"
    assert gateway_tls.gateway_scheme({"NILUFLIX_GATEWAY_TLS": "off"}) == "http"
    assert gateway_tls.gateway_scheme({}) == "http"
