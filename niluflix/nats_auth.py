"""Who may talk on NiluFlix's NATS: one user and a random password, made on first start.

Without them any process on the machine (and any container on the Compose network) could subscribe to `>`
and read every message, indexer API keys among them (`search.v1.indexers.test`).

- The credentials live in `<data dir>/nats-credentials.json` (mode 0600), made by whichever starts first
  (the supervisor of `niluflix up`, or Compose's `init` step) with `O_EXCL`, and reused on every later start.
- The NATS server gets them from a generated config file (mode 0600: `authorization { user, password }`),
  never on its command line, where `ps` would show them to every user of the machine.
- Each service reads the file named by `NILUFLIX_NATS_CREDENTIALS_FILE` (a path, nothing secret, in its
  environment) and hands user and password to nats-py.

A `NATS_URL` of the user's own NATS may carry `user:password@`: it is used as it is (its credentials win over
the file's), and shown only through `redact_url`.
"""

import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from niluflix.errors import ServiceError

ENV_VAR = "NILUFLIX_NATS_CREDENTIALS_FILE"
FILE_NAME = "nats-credentials.json"
USER = "niluflix"
HIDDEN = "********"


class NatsCredentialsError(ServiceError):
    pass


@dataclass(frozen=True)
class NatsCredentials:
    user: str
    password: str = field(repr=False)  # never in a log line or a traceback's locals


def credentials_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def load_or_create(path: Path) -> NatsCredentials:
    """The credentials in `path`, made on first use; two processes starting together agree on one."""
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # O_EXCL: of two starters, exactly one writes; the other reads what it wrote.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        except OSError as exc:
            raise NatsCredentialsError(
                f"cannot create {path} ({exc.strerror}): the data folder must be writable"
            ) from exc
        else:
            with os.fdopen(fd, "w") as f:
                json.dump({"user": USER, "password": secrets.token_urlsafe(32)}, f)
    for attempt in range(100):
        try:
            if found := _parse(path, _read_text(path)):
                return found
        except NatsCredentialsError:
            if attempt == 99:
                raise
        time.sleep(0.02)  # the other starter has created the file but not written all of it yet
    raise NatsCredentialsError(f"{path} is empty: delete it and start NiluFlix again to make new credentials")


def read(path: Path) -> NatsCredentials:
    """The credentials a service connects with; a missing or broken file stops it, saying which file."""
    text = _read_text(path)
    found = _parse(path, text)
    if found is None:
        raise NatsCredentialsError(
            f"{path} is empty: delete it and start NiluFlix again to make new credentials"
        )
    return found


def _read_text(path: Path) -> str:
    try:
        return path.read_text()
    except FileNotFoundError:
        raise NatsCredentialsError(
            f"{path} (named by {ENV_VAR}) does not exist: NiluFlix makes it on first start "
            "(`niluflix up`, or Compose's init step)"
        ) from None
    except OSError as exc:
        raise NatsCredentialsError(
            f"cannot read {path} ({exc.strerror}): give it to the user the service runs as"
        ) from None


def _parse(path: Path, text: str) -> NatsCredentials | None:
    if not text.strip():
        return None
    try:
        data = json.loads(text)
        return NatsCredentials(user=str(data["user"]), password=str(data["password"]))
    except (ValueError, KeyError, TypeError):
        # Never quote the content: it may be the password.
        raise NatsCredentialsError(
            f"{path} is not NiluFlix's NATS credentials: delete it and start NiluFlix again to make new ones"
        ) from None


def server_authorization(credentials: NatsCredentials) -> str:
    """The NATS server config that admits only these credentials (for `-c` or an `include`)."""
    # Quoted: a password starting with a digit would otherwise be read as a number. token_urlsafe's
    # alphabet has no quote, backslash or `$`, so nothing in it needs escaping.
    return (
        "# Made by NiluFlix from its NATS credentials; remade on every start.\n"
        "authorization {\n"
        f"  user: {json.dumps(credentials.user)}\n"
        f"  password: {json.dumps(credentials.password)}\n"
        "}\n"
    )


def write_private(path: Path, text: str) -> None:
    """Write `path` with mode 0600 from its first byte, replacing it whole (a reader never sees half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def connect_options(nats_url: str, credentials: NatsCredentials | None) -> dict[str, str]:
    """nats-py's `user` and `password` for these credentials; none when the URL carries its own."""
    if credentials is None or any(_userinfo(url) for url in nats_url.split(",")):
        return {}
    return {"user": credentials.user, "password": credentials.password}


def redact_url(nats_url: str) -> str:
    """A NATS URL fit to print: `nats://user:********@host:4222`; a bare token is hidden too."""
    return ",".join(_redact_one(url) for url in nats_url.split(","))


def _userinfo(url: str) -> str | None:
    """What stands before `@` in the URL's host part (nats-py reads `host:4222` as `nats://host:4222`)."""
    url = url.strip()
    netloc = urlsplit(url if "://" in url else f"nats://{url}").netloc
    return netloc.rsplit("@", 1)[0] if "@" in netloc else None


def _redact_one(url: str) -> str:
    userinfo = _userinfo(url)
    if userinfo is None:
        return url
    user, has_password, _ = userinfo.partition(":")
    # `nats://token@host`: the user part alone is a secret.
    shown = f"{user}:{HIDDEN}" if has_password else HIDDEN
    return url.replace(f"{userinfo}@", f"{shown}@", 1)
