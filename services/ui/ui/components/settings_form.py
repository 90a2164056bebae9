"""What the settings form changed, as the partial object `PUT /api/settings` takes.

Secrets are never shown: an empty secret field keeps the saved one (sent back as the mask), a typed value
replaces it, and "remove" clears it. Only what changed is sent, so two people editing different sections
do not undo each other.
"""

import math
from dataclasses import dataclass, field
from typing import Any

from niluflix.contracts.settings import SharedSettings
from ui.gateway_client import MASK


@dataclass
class SecretInput:
    typed: str = ""
    remove: bool = False

    def value(self, saved: bool) -> str | None:
        if self.remove:
            return None
        if self.typed.strip():
            return self.typed.strip()
        return MASK if saved else None

    def changed(self, saved: bool) -> bool:
        return bool(self.typed.strip()) or (self.remove and saved)


@dataclass
class IndexerRow:
    """One row of the indexer table, with cells as the table editor returns them (None, NaN, numpy bools)."""

    name: object
    url: object
    api_key: object = None
    enabled: object = True


@dataclass
class SettingsForm:
    tmdb_api_key: SecretInput = field(default_factory=SecretInput)
    library_dir: str = ""
    client_kind: str = "auto"
    client_url: str = ""
    client_username: str = ""
    client_password: SecretInput = field(default_factory=SecretInput)
    max_concurrent_downloads: int = 3
    indexers: list[IndexerRow] = field(default_factory=list)


def blank_to_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    # Empty cells of a new data-editor row come back as None, NaN or "".
    return None if not text or text.lower() in ("nan", "none") else text


def enabled(value: object) -> bool:
    # A row added in the table editor has no tick yet (None or NaN): a new indexer starts enabled.
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return bool(value)


def indexer_rows(saved: SharedSettings) -> list[dict[str, Any]]:
    return [
        {"name": i.name, "url": i.url, "api_key": MASK if i.api_key is not None else "", "enabled": i.enabled}
        for i in saved.indexers
    ]


def changes(saved: SharedSettings, form: SettingsForm) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if form.tmdb_api_key.changed(saved.tmdb_api_key is not None):
        out["tmdb_api_key"] = form.tmdb_api_key.value(saved.tmdb_api_key is not None)
    if form.library_dir.strip() != saved.library_dir:
        out["library_dir"] = form.library_dir.strip()

    client = saved.torrent_client
    password_saved = client.password is not None
    wanted = {
        "kind": form.client_kind,
        "url": blank_to_none(form.client_url),
        "username": blank_to_none(form.client_username),
    }
    if wanted != {
        "kind": str(client.kind),
        "url": client.url,
        "username": client.username,
    } or form.client_password.changed(password_saved):
        # Sent whole: the client's fields are checked together (Transmission needs a URL).
        out["torrent_client"] = wanted | {"password": form.client_password.value(password_saved)}

    if form.max_concurrent_downloads != saved.max_concurrent_downloads:
        out["max_concurrent_downloads"] = int(form.max_concurrent_downloads)

    rows = []
    for row in form.indexers:
        name, url = blank_to_none(row.name), blank_to_none(row.url)
        if name is None and url is None:
            continue  # the empty row a table editor leaves behind
        rows.append(
            {
                "name": name or "",
                "url": url or "",
                "api_key": blank_to_none(row.api_key),
                "enabled": enabled(row.enabled),
            }
        )
    before = [
        {
            "name": i.name,
            "url": i.url,
            "api_key": MASK if i.api_key is not None else None,
            "enabled": i.enabled,
        }
        for i in saved.indexers
    ]
    if rows != before:
        out["indexers"] = rows
    return out
