"""The secret key: a wrong one is refused at once, in words that say which key and how to make a right one."""

import pytest

from niluflix.secretbox import MAKE_KEY, SecretBox, SecretKeyError


@pytest.mark.parametrize("wrong", ["changeme", "x" * 44, "Zm9v"])
def test_a_wrong_key_in_the_environment_names_the_variable_and_the_fix(tmp_path, monkeypatch, wrong):
    monkeypatch.setenv("NILUFLIX_SECRET_KEY", wrong)
    with pytest.raises(SecretKeyError) as caught:
        SecretBox.from_env_or_file(tmp_path)
    message = str(caught.value)
    assert message.startswith("NILUFLIX_SECRET_KEY is not a valid secret key")
    assert MAKE_KEY in message and "\n" not in message
    # no Fernet or base64 traceback chained to it
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert not (tmp_path / "secret.key").exists(), "a wrong variable must not fall back to a generated key"


def test_the_printed_one_liner_makes_a_key_that_works(tmp_path, monkeypatch):
    import subprocess
    import sys

    made = subprocess.run(
        [sys.executable, "-c", MAKE_KEY.split('"')[1]], capture_output=True, text=True, check=True
    ).stdout.strip()
    monkeypatch.setenv("NILUFLIX_SECRET_KEY", made)
    box = SecretBox.from_env_or_file(tmp_path)
    assert box.decrypt(box.encrypt("s3cret")) == "s3cret"


def test_a_damaged_key_file_names_the_file(tmp_path, monkeypatch):
    monkeypatch.delenv("NILUFLIX_SECRET_KEY", raising=False)
    (tmp_path / "secret.key").write_text("not a key")
    with pytest.raises(SecretKeyError, match=f"{tmp_path / 'secret.key'} is not a valid secret key"):
        SecretBox.from_env_or_file(tmp_path)


def test_an_empty_variable_means_the_generated_key_shared_through_the_data_dir(tmp_path, monkeypatch):
    # Compose passes NILUFLIX_SECRET_KEY="" when the user set none: every service then reads one key file.
    monkeypatch.setenv("NILUFLIX_SECRET_KEY", "")
    token = SecretBox.from_env_or_file(tmp_path).encrypt("s3cret")
    assert SecretBox.from_env_or_file(tmp_path).decrypt(token) == "s3cret"
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600


def test_a_key_file_that_cannot_be_read_names_the_file_and_the_way_out(tmp_path, monkeypatch):
    monkeypatch.delenv("NILUFLIX_SECRET_KEY", raising=False)
    (tmp_path / "secret.key").mkdir()  # unreadable as a file, even for root
    with pytest.raises(SecretKeyError) as caught:
        SecretBox.from_env_or_file(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'secret.key'} cannot be read or made")
    assert "NILUFLIX_SECRET_KEY" in message and "\n" not in message
