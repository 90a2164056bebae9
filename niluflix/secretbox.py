"""Encryption of secrets at rest (settings in the NATS bucket, credentials in tables).

The key comes from `NILUFLIX_SECRET_KEY` (a Fernet key; Compose passes the same one to every
service) or else from `<data dir>/secret.key`, created on first use with mode 0600.
"""

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from niluflix.errors import ServiceError


class SecretKeyError(ServiceError):
    pass


class SecretBox:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def from_env_or_file(cls, data_dir: Path) -> "SecretBox":
        env = os.environ.get("NILUFLIX_SECRET_KEY")
        if env:
            return cls(env.encode())
        path = data_dir / "secret.key"
        if not path.exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            key = Fernet.generate_key()
            # O_EXCL: two services starting together must not each write their own key.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "wb") as f:
                    f.write(key)
        for _ in range(50):
            key = path.read_bytes().strip()
            if key:
                return cls(key)
            import time

            time.sleep(0.02)  # the other writer has created the file but not written it yet
        raise SecretKeyError(f"{path} is empty")

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise SecretKeyError("a stored secret cannot be decrypted: the secret key has changed") from exc
