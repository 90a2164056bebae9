"""How the `niluflix` command reaches a gateway serving HTTPS: the scheme it prints, what it verifies."""

import ssl
from pathlib import Path

from niluflix import gateway_tls
from niluflix.runtime.stack import Stack, StackConfig


def test_the_stack_prints_https_when_the_gateway_serves_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("NILUFLIX_GATEWAY_TLS", raising=False)
    assert Stack(StackConfig(data_dir=tmp_path)).gateway_url == "http://127.0.0.1:7979"
    tls = Stack(StackConfig(data_dir=tmp_path, env={"NILUFLIX_GATEWAY_TLS": "self-signed"}))
    assert tls.gateway_url == "https://127.0.0.1:7979"
    monkeypatch.setenv("NILUFLIX_GATEWAY_TLS", "self-signed")
    assert Stack(StackConfig(data_dir=tmp_path)).gateway_url.startswith("https://")


def test_the_command_trusts_the_data_folder_s_certificate(tmp_path: Path) -> None:
    url = "https://127.0.0.1:7979"
    # The owner's own certificate names the machine, not 127.0.0.1: that one local call is not verified.
    assert gateway_tls.command_verify(url, tmp_path) is False
    assert gateway_tls.command_verify("https://nas.example.com:7979", tmp_path) is True
    assert gateway_tls.command_verify("http://127.0.0.1:7979", tmp_path) is True

    cert, key = gateway_tls.load_or_create(tmp_path, ["nas"], ["192.168.1.20"])
    assert isinstance(gateway_tls.command_verify(url, tmp_path), ssl.SSLContext)
    assert gateway_tls.verify_for(url, tmp_path) == str(cert)
    assert gateway_tls.load_or_create(tmp_path, ["other"], []) == (cert, key)
    assert oct(key.stat().st_mode & 0o777) == "0o600"
