"""Secrets that ride inside URLs and error texts: found, masked, and put back where a masked URL is sent back.

A URL may carry a credential in three places, and each is one *slot* of it:
- the password of its userinfo (`http://user:pass@host`);
- a query parameter named like a key (`?apikey=`, `&passkey=`, `jackett_apikey=`, `token=`...), also inside
  a URL that is itself a parameter's value (a magnet's `tr=` trackers);
- a path segment that is a private tracker's passkey (`/announce/<passkey>`, `/<passkey>/announce`,
  `/download/<passkey>/...`, `/rss/<passkey>`): a long token beside one of those words.

`mask_url` replaces each slot's value with `MASK`; `restore_url` puts the stored values back into a URL the
user sent back masked (only when it still leads to the same host, so a masked secret is never carried to a
host of someone else's choosing). `SecretMasker` masks free text (an upstream error message, a log line):
the exact known secrets (configured keys and passwords) in every spelling, every URL in it, and
`apikey=...` pairs. The structure comes from `urllib.parse`; only finding where a URL starts and ends in
free text takes a pattern.
"""

import re
from collections.abc import Callable, Iterable
from urllib.parse import SplitResult, quote, quote_plus, unquote, unquote_plus, urlsplit, urlunsplit

from pydantic import BaseModel, SecretStr

MASK = "********"

# Parameter names (lower case, `-` read as `_`) whose value is a secret.
_SECRET_NAMES = frozenset(
    {
        "apikey", "api_key", "key", "passkey", "pass_key", "token", "auth", "authkey", "auth_key", "sid",
        "pass", "password", "passwd", "pwd", "secret", "signature", "sig", "access_token", "refresh_token",
        "jackett_apikey", "torrent_pass", "rsskey", "rss_key", "torrentpass", "session", "sessionid",
        "x_api_key", "private_token", "client_secret",
    }
)  # fmt: skip
_SECRET_SUFFIXES = ("apikey", "api_key", "_key", "_token", "_secret", "_password", "passkey")
# A path segment beside one of these words is a passkey when it looks like one.
_PASSKEY_NEIGHBOURS = frozenset({"announce", "announce.php", "download", "rss", "passkey", "feed", "scrape"})
_TOKEN = re.compile(r"[A-Za-z0-9_\-]{16,}")
_NESTED_SCHEMES = ("http://", "https://", "udp://", "wss://", "ws://")
# Where a URL (or a magnet link) starts and ends inside free text.
_URL_IN_TEXT = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*://|magnet:\?)[^\s'\"<>`]+(?<![).,;:\]])")
# `apikey=...` written outside any URL (an error message quoting a form or a query).
_PAIR_IN_TEXT = re.compile(r"(?<![\w.\-])([A-Za-z][\w\-]*)=([^\s&'\"<>;,)]+)")
# Shorter known values are not masked in free text: a one-letter password would blank every word.
MIN_KNOWN = 4

Slot = tuple[str | int, ...]


def secret_name(name: str) -> bool:
    """Whether a query parameter named so carries a secret."""
    norm = unquote_plus(name).strip().lower().replace("-", "_")
    return norm in _SECRET_NAMES or norm.endswith(_SECRET_SUFFIXES)


def _passkey_like(segment: str) -> bool:
    return segment == MASK or (_TOKEN.fullmatch(segment) is not None and any(c.isdigit() for c in segment))


def _parse(url: str) -> SplitResult | None:
    """The parts of an absolute URL or a magnet link; None for anything else (a path, a word)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # a bad IPv6 literal, a bad port
        return None
    if parts.scheme.lower() == "magnet" or (parts.scheme and parts.netloc):
        return parts
    return None


def _rewrite(url: str, replace: Callable[[Slot, str], str]) -> str:
    """`url` with each secret slot's raw value replaced by `replace(slot, raw value)`; everything else
    stays as written, byte for byte."""
    parts = _parse(url)
    if parts is None:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            user, password = userinfo.split(":", 1)
            netloc = f"{user}:{replace(('password',), password)}@{host}"
    path = parts.path
    if path:
        segments = path.split("/")
        for i, segment in enumerate(segments):
            near = {segments[j].lower() for j in (i - 1, i + 1) if 0 <= j < len(segments)}
            if near & _PASSKEY_NEIGHBOURS and _passkey_like(segment):
                segments[i] = replace(("path", i), segment)
        path = "/".join(segments)
    query = parts.query
    if query:
        pairs = query.split("&")
        seen: dict[str, int] = {}
        for i, pair in enumerate(pairs):
            name, eq, value = pair.partition("=")
            if not eq:
                continue
            nth = seen[name.lower()] = seen.get(name.lower(), -1) + 1
            slot: Slot = ("query", name.lower(), nth)
            if secret_name(name):
                pairs[i] = f"{name}={replace(slot, value)}"
            else:
                nested = unquote_plus(value)
                if nested.lower().startswith(_NESTED_SCHEMES):
                    inner = _rewrite(nested, lambda s, v, slot=slot: replace((*slot, *s), v))
                    if inner != nested:
                        pairs[i] = f"{name}={quote_plus(inner, safe=':/*')}"
        query = "&".join(pairs)
    return urlunsplit((parts.scheme, netloc, path, query, parts.fragment))


def secret_slots(url: str) -> dict[Slot, str]:
    """Each secret slot of `url` and its raw value."""
    found: dict[Slot, str] = {}

    def keep(slot: Slot, value: str) -> str:
        found[slot] = value
        return value

    _rewrite(url, keep)
    return found


def secret_values(url: str) -> list[str]:
    """The secrets `url` carries, decoded, for masking them wherever else they show up."""
    return [unquote(v) for v in secret_slots(url).values() if v and v != MASK]


def has_secrets(url: str) -> bool:
    return bool(secret_values(url))


def mask_url(url: str) -> str:
    """`url` with every secret in it read as `MASK`; anything that is not a URL comes back unchanged."""
    return _rewrite(url, lambda _slot, value: MASK if value else value)


def _origin(parts: SplitResult) -> tuple[str, str, int | None]:
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def restore_url(sent: str, stored: str) -> str:
    """`sent` with each `MASK` put back from the same slot of `stored`: what a user sends back after reading
    a masked URL. Raises `ValueError`, in words for the user, when a masked secret has no stored value to
    stand for, or when `sent` leads to another host than `stored` (its secret is only ever sent there)."""
    if MASK not in sent:
        return sent
    if sent == mask_url(stored):
        return stored
    old = secret_slots(stored)
    new, was = _parse(sent), _parse(stored)
    if new is None or was is None or _origin(new) != _origin(was):
        raise ValueError(
            f'"{MASK}" stands for a stored secret, which is only kept for the same host: type the secret '
            "again when changing the address"
        )
    missing: list[Slot] = []

    def put_back(slot: Slot, value: str) -> str:
        if value != MASK:
            return value
        if slot not in old:
            missing.append(slot)
            return value
        return old[slot]

    restored = _rewrite(sent, put_back)
    if missing or MASK in restored:
        raise ValueError(f'"{MASK}" stands for a stored secret, and the stored address has none there')
    return restored


def secrets_in(value: object) -> list[str]:
    """Every secret a settings object holds: its `SecretStr` values and the secrets of its URLs."""
    found: list[str] = []
    if isinstance(value, SecretStr):
        found.append(value.get_secret_value())
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            found += secrets_in(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            found += secrets_in(item)
    elif isinstance(value, str):
        found += secret_values(value)
    return found


class SecretMasker:
    """Masks free text: the known secrets in every spelling, then the secrets of every URL and pair in it."""

    def __init__(self, known: Iterable[str | SecretStr | None] = ()) -> None:
        spellings: set[str] = set()
        for secret in known:
            plain = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
            if not plain or len(plain) < MIN_KNOWN:
                continue
            spellings |= {plain, quote(plain, safe=""), quote_plus(plain, safe="")}
        self._known = sorted(spellings, key=len, reverse=True)  # a longer spelling before its own prefix

    def __call__(self, text: str) -> str:
        return self.mask(text)

    def mask(self, text: str) -> str:
        for spelling in self._known:
            text = text.replace(spelling, MASK)
        text = _URL_IN_TEXT.sub(lambda m: mask_url(m.group(0)), text)
        return _PAIR_IN_TEXT.sub(_mask_pair, text)


def _mask_pair(match: re.Match[str]) -> str:
    name = match.group(1)
    return f"{name}={MASK}" if secret_name(name) else match.group(0)


def mask_text(text: str, known: Iterable[str | SecretStr | None] = ()) -> str:
    """`text` with the `known` secrets and every URL secret in it masked."""
    return SecretMasker(known).mask(text)
