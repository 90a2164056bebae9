"""Secrets inside URLs and free text: found in every place a URL carries one, masked, put back only at home."""

import logging
import sys

import pytest

from niluflix.logs import MaskingFormatter, mask_in_logs
from niluflix.url_secrets import MASK, mask_text, mask_url, restore_url, secret_values


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (
            "http://admin:s3cret@127.0.0.1:9091/transmission/rpc",
            f"http://admin:{MASK}@127.0.0.1:9091/transmission/rpc",
        ),
        (
            "http://127.0.0.1:9117/api/v2.0/indexers/1337x/results/torznab/api?apikey=k3yk3y&t=caps",
            f"http://127.0.0.1:9117/api/v2.0/indexers/1337x/results/torznab/api?apikey={MASK}&t=caps",
        ),
        (
            "http://127.0.0.1:9117/dl/1337x/?jackett_apikey=k3yk3y&path=Q2lwaGVy&file=Sintel",
            f"http://127.0.0.1:9117/dl/1337x/?jackett_apikey={MASK}&path=Q2lwaGVy&file=Sintel",
        ),
        (
            "http://127.0.0.1:9696/1/download?apikey=k3y&link=abc",
            f"http://127.0.0.1:9696/1/download?apikey={MASK}&link=abc",
        ),
        ("https://api.themoviedb.org/3?api_key=tmdbkey", f"https://api.themoviedb.org/3?api_key={MASK}"),
        (
            "https://t.example/rss?uid=7&passkey=abc&Token=t0k",
            f"https://t.example/rss?uid=7&passkey={MASK}&Token={MASK}",
        ),
        (
            "https://t.example/announce.php?sid=s1d&auth=a&signature=x",
            f"https://t.example/announce.php?sid={MASK}&auth={MASK}&signature={MASK}",
        ),
        ("https://tracker.example/announce/0123456789abcdef0123", f"https://tracker.example/announce/{MASK}"),
        ("https://tracker.example/0123456789abcdef0123/announce", f"https://tracker.example/{MASK}/announce"),
        (
            "https://tracker.example/download/a1b2c3d4e5f6a7b8c9d0/Sintel.torrent",
            f"https://tracker.example/download/{MASK}/Sintel.torrent",
        ),
        # nothing secret: left exactly as written
        ("https://api.themoviedb.org/3", "https://api.themoviedb.org/3"),
        ("https://yts.mx/api/v2", "https://yts.mx/api/v2"),
        ("http://127.0.0.1:9117/download/1337x/Sintel", "http://127.0.0.1:9117/download/1337x/Sintel"),
        ("/data/media/Movies", "/data/media/Movies"),
        ("Standard", "Standard"),
    ],
)
def test_a_urls_secrets_read_as_the_mask(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_a_magnets_tracker_passkey_is_masked() -> None:
    magnet = (
        "magnet:?xt=urn:btih:" + "a" * 40 + "&tr=https%3A%2F%2Ft.example%2Fannounce.php%3Fpasskey%3Dp4ssk3y"
    )
    assert "p4ssk3y" not in mask_url(magnet)
    assert secret_values(magnet) == ["p4ssk3y"]


def test_a_masked_url_sent_back_gets_its_secrets_back() -> None:
    stored = "http://admin:s3cret@127.0.0.1:9117/api?apikey=k3y&t=caps"
    masked = mask_url(stored)
    assert restore_url(masked, stored) == stored
    # another path or parameter beside the masked secrets: the secrets come back in their places
    moved = masked.replace("/api?", "/api/v2?").replace("t=caps", "t=search")
    assert restore_url(moved, stored) == "http://admin:s3cret@127.0.0.1:9117/api/v2?apikey=k3y&t=search"
    # a URL without the mask is the user's new one
    assert (
        restore_url("http://127.0.0.1:9117/api?apikey=new", stored) == "http://127.0.0.1:9117/api?apikey=new"
    )


@pytest.mark.parametrize(
    "sent",
    [
        f"http://evil.example:9117/api?apikey={MASK}&t=caps",  # another host: the key is never sent there
        f"https://127.0.0.1:9117/api?apikey={MASK}&t=caps",  # another scheme
        f"http://127.0.0.1:9117/api?token={MASK}",  # no stored secret in that place
    ],
)
def test_a_mask_is_never_filled_for_another_host_or_place(sent: str) -> None:
    with pytest.raises(ValueError, match="stands for a stored secret"):
        restore_url(sent, "http://admin:s3cret@127.0.0.1:9117/api?apikey=k3y&t=caps")


def test_free_text_loses_known_secrets_in_every_spelling_and_every_urls_secrets() -> None:
    key = "k3y/with+slash="
    text = (
        f"Invalid API Key {key} (sent as k3y%2Fwith%2Bslash%3D) for "
        "http://admin:s3cret@127.0.0.1:9117/api?apikey=other&t=caps. Retry with apikey=again"
    )
    masked = mask_text(text, [key])
    for secret in (key, "k3y%2Fwith%2Bslash%3D", "s3cret", "other", "again"):
        assert secret not in masked
    assert masked == (
        f"Invalid API Key {MASK} (sent as {MASK}) for "
        f"http://admin:{MASK}@127.0.0.1:9117/api?apikey={MASK}&t=caps. Retry with apikey={MASK}"
    )


def test_log_lines_and_tracebacks_lose_configured_secrets_and_url_secrets() -> None:
    formatter = MaskingFormatter("%(message)s")
    mask_in_logs(["tmdb-key-0042"])
    try:
        try:
            raise RuntimeError("TMDB refused tmdb-key-0042 at https://api.example/3?api_key=tmdb-key-0042")
        except RuntimeError:
            record = logging.LogRecord(
                "catalog", logging.ERROR, __file__, 1, "asked %s", ("http://u:pw0rd@h/x",), None
            )
            record.exc_info = sys.exc_info()
        line = formatter.format(record)
    finally:
        mask_in_logs([])
    assert "tmdb-key-0042" not in line and "pw0rd" not in line
    assert f"asked http://u:{MASK}@h/x" in line and f"api_key={MASK}" in line
