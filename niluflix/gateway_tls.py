"""The gateway's HTTPS as the other processes see it: its scheme, and its self-signed certificate.

`NILUFLIX_GATEWAY_TLS=self-signed`: the certificate is made once, on the gateway's first start with TLS on, and reused after: `<data dir>/tls/gateway.crt` and
`gateway.key` (mode 0600). The certificate is its own CA, so whoever shares the data folder (the UI, the
`niluflix` command) trusts exactly it and nothing else by using the .crt file as the CA to verify against;
a browser elsewhere shows a warning once, or is given the .crt to import. Its names are this machine's
names and addresses plus the configured host names, as they were when it was made: delete both files and
restart to make a new one after adding a name.
"""

import datetime
import ipaddress
import os
import ssl
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from niluflix import locality
from niluflix.errors import ServiceError

FOLDER = "tls"
CERT_FILE = "gateway.crt"
KEY_FILE = "gateway.key"
VALID_DAYS = 3650  # no one renews a certificate nobody else checks


class CertificateError(ServiceError):
    pass


def gateway_scheme(env: Mapping[str, str]) -> str:
    """`https` when these environment variables turn the gateway's TLS on (gateway/settings.py: `tls`)."""
    tls = env.get("NILUFLIX_GATEWAY_TLS", "").strip().lower()
    given = env.get("NILUFLIX_GATEWAY_TLS_CERT_FILE") or env.get("NILUFLIX_GATEWAY_TLS_KEY_FILE")
    return "https" if tls not in ("", "off") or given else "http"


def certificate_path(data_dir: Path) -> Path:
    return data_dir / FOLDER / CERT_FILE


def key_path(data_dir: Path) -> Path:
    return data_dir / FOLDER / KEY_FILE


def load_or_create(data_dir: Path, names: list[str], addresses: list[str]) -> tuple[Path, Path]:
    """The certificate and key files of this data folder, made for `names` and `addresses` when missing."""
    cert, key = certificate_path(data_dir), key_path(data_dir)
    if cert.exists() and key.exists():
        return cert, key
    try:
        cert.parent.mkdir(parents=True, exist_ok=True)
        private = ec.generate_private_key(ec.SECP256R1())
        key_pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # The key first, created 0600 from the start: it is never readable by others, not even briefly.
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key_pem)
        os.chmod(key, 0o600)  # an older file of the same name keeps its mode through O_TRUNC
        cert.write_bytes(_certificate(private, names, addresses).public_bytes(serialization.Encoding.PEM))
    except OSError as exc:
        raise CertificateError(
            f"cannot write the TLS certificate in {cert.parent} ({exc.strerror}): NILUFLIX_DATA_DIR must be "
            "a writable folder"
        ) from exc
    return cert, key


def _certificate(
    private: ec.EllipticCurvePrivateKey, names: list[str], addresses: list[str]
) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "NiluFlix gateway")])
    alt: list[x509.GeneralName] = [x509.DNSName(n) for n in dict.fromkeys(["localhost", *names])]
    alt += [x509.IPAddress(ipaddress.ip_address(a)) for a in dict.fromkeys(["127.0.0.1", "::1", *addresses])]
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        # Its own CA: clients verify the gateway by pinning this one certificate as their trust root.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(private.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(private.public_key()), critical=False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(private, hashes.SHA256())
    )


def verify_for(url: str, data_dir: Path) -> str | bool:
    """The CA file a client of the gateway at `url` verifies against: this data folder's self-signed
    certificate when there is one and the URL is https; else True, the system's CAs."""
    cert = certificate_path(data_dir)
    if url.startswith("https://") and cert.exists():
        return str(cert)
    return True


def ssl_context(verify: str | bool) -> ssl.SSLContext | bool:
    """httpx's `verify` for `verify_for`'s answer (httpx wants a context, not a file name)."""
    return ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify


def command_verify(url: str, data_dir: Path) -> ssl.SSLContext | bool:
    """httpx's `verify` for the `niluflix` command's own calls to the gateway of `data_dir`.

    The owner's certificate (`tls_cert_file`) names the machine as the world knows it, never 127.0.0.1, where
    the command reaches the gateway it started: that one connection is not verified.
    """
    verify = verify_for(url, data_dir)
    if verify is True and url.startswith("https://") and locality.is_loopback(urlsplit(url).hostname):
        return False
    return ssl_context(verify)
