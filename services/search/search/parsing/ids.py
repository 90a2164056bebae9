"""Identifiers in the one form NiluFlix compares: info hashes as 40 lower-case hex digits (BitTorrent v1),
IMDb ids as `tt` and at least seven digits."""

import base64
import binascii
import re
from urllib.parse import parse_qs, urlsplit

_HEX = re.compile(r"^[0-9a-fA-F]{40}$")
_BASE32 = re.compile(r"^[A-Za-z2-7]{32}$")


def normalise_info_hash(value: str | None) -> str | None:
    """Hex of either case, or the 32-character base32 form some magnets use; None for anything else."""
    if not value:
        return None
    value = value.strip()
    if _HEX.match(value):
        return value.lower()
    if _BASE32.match(value):
        try:
            return base64.b32decode(value.upper()).hex()
        except binascii.Error:
            return None
    return None


def info_hash_from_magnet(uri: str | None) -> str | None:
    """The v1 info hash of a magnet's `xt=urn:btih:...`, or None when it has none."""
    if not uri or not uri.lower().startswith("magnet:"):
        return None
    for xt in parse_qs(urlsplit(uri).query).get("xt", []):
        if xt.lower().startswith("urn:btih:"):
            found = normalise_info_hash(xt[len("urn:btih:") :])
            if found:
                return found
    return None


def normalise_imdb_id(value: str | int | None) -> str | None:
    """`tt0133093`, `0133093` and `133093` all name one title: `tt0133093`."""
    if value is None:
        return None
    digits = str(value).strip().lower().removeprefix("tt")
    if not digits.isdigit() or int(digits) == 0:
        return None
    return f"tt{int(digits):07d}"


def imdb_digits(imdb_id: str) -> str | None:
    """The form the Torznab `imdbid` parameter takes: digits, at least seven, no `tt`."""
    normal = normalise_imdb_id(imdb_id)
    return normal[2:] if normal else None
