"""The trusted-client credential: how NiluFlix's own UI proves itself to the gateway from anywhere.

A random token in `<data dir>/client.key` (mode 0600), made on first start by whichever of the UI and the
gateway starts first; both read the same file, as Compose gives every service the same data volume. The
UI sends it in the `X-NiluFlix-Client` header, and the gateway then treats the UI like this machine. It is
never shown to a browser, never logged, never sent anywhere but to the gateway.
"""

import os
import secrets
import time
from pathlib import Path

from niluflix.errors import ServiceError
from niluflix.private_files import private_dir

HEADER = "X-NiluFlix-Client"
# Beside it, the UI passes on the session of a browser signed in from another machine.
SESSION_HEADER = "X-NiluFlix-Session"
FILE_NAME = "client.key"


class ClientCredentialError(ServiceError):
    pass


def credential_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def load_or_create(data_dir: Path) -> str:
    """The credential of this data dir, created on first use; two processes starting together agree."""
    path = credential_path(data_dir)
    if not path.exists():
        try:
            private_dir(data_dir)
            # O_EXCL: of two starters, exactly one writes; the other reads what it wrote.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        except OSError as exc:
            raise ClientCredentialError(
                f"cannot create {path} ({exc.strerror}): NILUFLIX_DATA_DIR must be a writable folder"
            ) from exc
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(32))
    for _ in range(100):
        try:
            token = path.read_text().strip()
        except OSError as exc:
            raise ClientCredentialError(f"cannot read {path} ({exc.strerror})") from exc
        if token:
            return token
        time.sleep(0.02)  # the other starter has created the file but not written it yet
    raise ClientCredentialError(f"{path} is empty: delete it and restart NiluFlix to make a new one")
