"""`python -m niluflix.stack_init`: the Compose stack's first step, run once as root before any service starts.

- A `NILUFLIX_SECRET_KEY` that is set but is no Fernet key stops the stack here, with one line naming the
  variable and how to make a right one, instead of every service failing on it in a restart loop.
- The data folder's layout is made and given to `PUID:PGID`, the user every service and Transmission run
  as: `torrents/` (with `incomplete/`, Transmission's partial files, on the same disk as the library) and
  `media/`. A data folder the engine created as root on first start is given to that user too, so the
  organizer can write to it. Folders inside a user's existing library are never touched.
- The config volume every service shares (the generated secret key, credentials) is given to the same user.
- NATS's user and password are made on first start (`nats-credentials.json` in the config volume, 0600, read
  by the services) and written, on every start, as the NATS server's authorization
  (`NILUFLIX_STACK_NATS_CONFIG`, on a volume only the `nats` container mounts besides this step, whose
  config includes it): no other container on the stack's network can read or send its messages.
"""

import os
import sys
from pathlib import Path

from niluflix import nats_auth
from niluflix.secretbox import ENV_VAR, SecretBox, SecretKeyError

DATA = Path(os.environ.get("NILUFLIX_STACK_DATA", "/data"))
LAYOUT = ("torrents", "torrents/incomplete", "media")


def _owner(name: str) -> int:
    value = os.environ.get(name, "1000").strip() or "1000"
    if not value.isdigit():
        raise ValueError(f"{name} must be a numeric id (as `id -u` prints it), got {value!r}")
    return int(value)


def _give(path: Path, uid: int, gid: int) -> None:
    stat = path.lstat()
    if (stat.st_uid, stat.st_gid) == (uid, gid):
        return
    try:
        os.lchown(path, uid, gid)
    except PermissionError:
        # A network share may refuse root (NFS root_squash) yet let PUID write: say so, let the services judge.
        print(
            f"niluflix init: cannot give {path} to {uid}:{gid}; if the services cannot write there, run "
            f"`chown {uid}:{gid}` on it where the folder lives",
            file=sys.stderr,
        )


def prepare(data: Path, config: Path, uid: int, gid: int) -> None:
    if data.stat().st_uid == 0:
        _give(data, uid, gid)
    for rel in LAYOUT:
        folder = data / rel
        folder.mkdir(exist_ok=True)
        _give(folder, uid, gid)
    config.mkdir(parents=True, exist_ok=True)
    for root, dirs, files in os.walk(config):
        for name in [*dirs, *files]:
            _give(Path(root) / name, uid, gid)
    _give(config, uid, gid)


def nats_authorization(config: Path, server_config: Path) -> None:
    """The services' NATS credentials, made once in the config volume, and the server's copy of them."""
    credentials = nats_auth.load_or_create(nats_auth.credentials_path(config))
    # Remade each start, so the server always admits the credentials the services read.
    nats_auth.write_private(server_config, nats_auth.server_authorization(credentials))


def main() -> None:
    try:
        if os.environ.get(ENV_VAR):
            SecretBox.from_env_or_file(Path("/nonexistent"))  # only checks the variable's key
        uid, gid = _owner("PUID"), _owner("PGID")
        config = Path(os.environ.get("NILUFLIX_DATA_DIR", "/config"))
        if server_config := os.environ.get("NILUFLIX_STACK_NATS_CONFIG"):
            # Before `prepare`, which gives the config volume's files (these credentials too) to PUID:PGID.
            nats_authorization(config, Path(server_config))
        prepare(DATA, config, uid, gid)
    except (SecretKeyError, nats_auth.NatsCredentialsError, ValueError, OSError) as exc:
        sys.exit(f"niluflix init: {exc}")
    print(f"niluflix init: {DATA} and its torrents/, media/ folders belong to {uid}:{gid}")


if __name__ == "__main__":
    main()
