"""`python -m niluflix.stack_init`, the Compose stack's first step, run as it runs there: a process."""

import os
import subprocess
import sys
from pathlib import Path

from niluflix.secretbox import MAKE_KEY


def run_init(data: Path, config: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NILUFLIX_", "PUID", "PGID"))}
    return subprocess.run(
        [sys.executable, "-m", "niluflix.stack_init"],
        capture_output=True,
        text=True,
        env={**clean, "NILUFLIX_STACK_DATA": str(data), "NILUFLIX_DATA_DIR": str(config), **env},
        check=False,
    )


def test_a_wrong_secret_key_stops_the_stack_with_one_line(tmp_path):
    result = run_init(tmp_path, tmp_path / "config", NILUFLIX_SECRET_KEY="changeme")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "NILUFLIX_SECRET_KEY is not a valid secret key" in line and MAKE_KEY in line
    assert not (tmp_path / "torrents").exists(), "nothing is prepared for a stack that cannot start"


def test_the_data_layout_and_config_volume_belong_to_puid_pgid(tmp_path):
    # The stack runs it as root, giving the folders away; anyone else can only give them to themselves.
    uid, gid = (1234, 2345) if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    data, config = tmp_path / "data", tmp_path / "config"
    data.mkdir()
    config.mkdir()
    (config / "secret.key").write_text("from an earlier start as another user")
    library = data / "media" / "Movies" / "Old (1999)"
    library.mkdir(parents=True)

    result = run_init(data, config, PUID=str(uid), PGID=str(gid))

    assert result.returncode == 0, result.stderr
    for path in (
        data,
        data / "torrents",
        data / "torrents" / "incomplete",
        data / "media",
        config,
        config / "secret.key",
    ):
        assert (path.stat().st_uid, path.stat().st_gid) == (uid, gid), path
    # a user's existing library is theirs: init never walks into it
    assert library.stat().st_uid == os.geteuid()


def test_a_non_numeric_puid_is_refused_in_words(tmp_path):
    result = run_init(tmp_path, tmp_path / "config", PUID="niluflix")
    assert result.returncode == 1
    assert "PUID must be a numeric id" in result.stderr
