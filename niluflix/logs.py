"""One log format for every service, so `niluflix logs` reads as one story, and never a secret in it."""

import logging
import sys
from collections.abc import Iterable

from pydantic import SecretStr

from niluflix.url_secrets import SecretMasker


class MaskingFormatter(logging.Formatter):
    """Each line, traceback included, with the secrets in it masked: every URL's (`?apikey=`, a password)
    and the exact configured ones (`mask_in_logs`). The last line of defence: code that logs an upstream
    message or a URL masks it itself, and this catches what a library put in an exception."""

    masker = SecretMasker()

    def format(self, record: logging.LogRecord) -> str:
        return self.masker.mask(super().format(record))


def mask_in_logs(secrets: Iterable[str | SecretStr | None]) -> None:
    """The configured secrets every log line of this process hides from now on (the service runner calls it
    with the shared settings' secrets, again after each change)."""
    MaskingFormatter.masker = SecretMasker(secrets)


def setup_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(MaskingFormatter(f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO, and TMDB URLs carry the api_key.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
