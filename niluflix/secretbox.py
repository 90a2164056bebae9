"""Encryption of secrets at rest (settings in the NATS bucket, credentials in tables).

The key comes from `NILUFLIX_SECRET_KEY` (a Fernet key) or else from `<data dir>/secret.key`, created on
first use with mode 0600 (Compose gives every service the same data dir, so they share one generated key).
A key that is not a Fernet key, or a key file that cannot be read or made, stops the service at start with
`SecretKeyError`, naming where the key came from and how to make a right one.
"""

import os
import time
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from niluflix.errors import ServiceError
from niluflix.private_files import narrow, private_dir

ENV_VAR = "NILUFLIX_SECRET_KEY"
# How every Fernet token starts (version byte 0x80, then a timestamp far below 2**40): a column that holds both
# sealed values and ones written in clear before it was sealed tells them apart so.
TOKEN_START = "gAAAAA"
MAKE_KEY = 'python3 -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


class SecretKeyError(ServiceError):
    pass


class SecretBox:
    def __init__(self, key: bytes, *, source: str = "the secret key") -> None:
        try:
            self._fernet = Fernet(key)
        except ValueError:  # binascii.Error is one too
            raise SecretKeyError(
                f"{source} is not a valid secret key (32 url-safe base64-encoded bytes, a Fernet key); "
                f"make one with: {MAKE_KEY}"
            ) from None

    @classmethod
    def from_env_or_file(cls, data_dir: Path) -> "SecretBox":
        env = os.environ.get(ENV_VAR)
        if env:
            return cls(env.strip().encode(), source=ENV_VAR)
        path = data_dir / "secret.key"
        try:
            return cls._from_file(data_dir, path)
        except OSError as exc:  # a folder the service's user may not write, a key file it may not read
            raise SecretKeyError(
                f"{path} cannot be read or made ({exc.strerror or exc}): give it to the user the service runs "
                f"as, or set {ENV_VAR}"
            ) from None

    @classmethod
    def _from_file(cls, data_dir: Path, path: Path) -> "SecretBox":
        if not path.exists():
            private_dir(data_dir)
            key = Fernet.generate_key()
            # O_EXCL: two services starting together must not each write their own key.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "wb") as f:
                    f.write(key)
        narrow(path)  # a key file made by hand may be readable by others
        for _ in range(50):
            key = path.read_bytes().strip()
            if key:
                return cls(key, source=str(path))
            time.sleep(0.02)  # the other writer has created the file but not written it yet
        raise SecretKeyError(f"{path} is empty")

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def seal(self, plain: str | None) -> str | None:
        """A value for a table column: sealed, None kept as None."""
        return None if plain is None else self.encrypt(plain)

    def open(self, stored: str | None) -> str | None:
        """A column's value opened; one written in clear before the column was sealed comes back as it is."""
        return self.decrypt(stored) if is_sealed(stored) else stored

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise SecretKeyError("a stored secret cannot be decrypted: the secret key has changed") from exc


def is_sealed(stored: str | None) -> bool:
    return stored is not None and stored.startswith(TOKEN_START)
