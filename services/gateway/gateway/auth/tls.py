"""The certificate and key uvicorn serves HTTPS with, as `NILUFLIX_GATEWAY_TLS` says (off by default)."""

import logging
from pathlib import Path

from gateway.auth.hosts import HostRule
from gateway.settings import GatewaySettings, Tls
from niluflix import gateway_tls

log = logging.getLogger(__name__)


def tls_files(settings: GatewaySettings) -> tuple[Path | None, Path | None]:
    """(certificate, key) to serve with, or (None, None) for plain HTTP."""
    if settings.tls is Tls.OFF:
        return None, None
    if settings.tls is Tls.FILES:
        assert settings.tls_cert_file and settings.tls_key_file  # the settings' validator saw to it
        return settings.tls_cert_file, settings.tls_key_file
    names, addresses = HostRule(settings.allowed_hosts, settings.allowed_origins).certificate_names()
    existed = gateway_tls.certificate_path(settings.data_dir).exists()
    cert, key = gateway_tls.load_or_create(settings.data_dir, names, addresses)
    if not existed:
        log.info("made a self-signed TLS certificate for %s: %s", ", ".join(names + addresses), cert)
    return cert, key
