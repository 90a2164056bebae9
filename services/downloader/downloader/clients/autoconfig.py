"""Which torrent client to use, so NiluFlix downloads on any machine without being told.

In order: the client the user configured; else a Transmission answering on 127.0.0.1:9091 or a
qBittorrent answering on 127.0.0.1:8080 (a quick probe; one that wants a password we do not have is
skipped and named in the reason); else a transmission-daemon binary, which NiluFlix starts and manages;
else the embedded engine. The reason is a sentence for the user, shown in the UI.
"""

import logging
import shutil
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from downloader.clients.base import TorrentClient, TorrentClientAuthError, TorrentClientError
from downloader.clients.embedded import EmbeddedClient
from downloader.clients.managed_transmission import ManagedTransmissionClient
from downloader.clients.qbittorrent import QBittorrentClient
from downloader.clients.transmission import TransmissionClient
from niluflix.contracts.settings import TorrentClientKind, TorrentClientSettings
from niluflix.url_secrets import mask_url

log = logging.getLogger(__name__)

TRANSMISSION_URL = "http://127.0.0.1:9091/transmission/rpc"
QBITTORRENT_URL = "http://127.0.0.1:8080"


class ChosenKind(StrEnum):
    TRANSMISSION = "transmission"
    QBITTORRENT = "qbittorrent"
    MANAGED_TRANSMISSION = "managed-transmission"  # a transmission-daemon NiluFlix runs itself
    EMBEDDED = "embedded"


@dataclass
class ClientChoice:
    client: TorrentClient  # started; close it when done
    kind: ChosenKind
    reason: str


class _Probe(StrEnum):
    OPEN = "open"  # answers, no password needed
    LOCKED = "locked"  # answers, wants a login
    ABSENT = "absent"


async def choose_client(
    settings: TorrentClientSettings,
    *,
    data_dir: Path,
    downloads_dir: Path | None = None,
    transmission_url: str = TRANSMISSION_URL,
    qbittorrent_url: str = QBITTORRENT_URL,
    search_path: str | None = None,
    embedded_port: int = 0,
    probe_timeout: float = 1.0,
) -> ClientChoice:
    """Pick, build and start a torrent client.

    `data_dir` holds the state of the clients NiluFlix runs itself (`transmission/`, `embedded/`);
    `search_path` is the PATH searched for transmission-daemon (default: the process's PATH). The probe
    URLs and `search_path` are there so each branch can be exercised.
    """
    downloads_dir = downloads_dir or data_dir / "downloads"
    username = settings.username
    password = settings.password.get_secret_value() if settings.password else None

    if settings.kind is not TorrentClientKind.AUTO:
        return await _configured(settings, password, data_dir, embedded_port)

    notes = ["No torrent client is configured"]
    async with httpx.AsyncClient(timeout=probe_timeout) as http:
        transmission = await _probe_transmission(http, transmission_url)
        qbittorrent = await _probe_qbittorrent(http, qbittorrent_url)

    found: list[tuple[ChosenKind, str, str, _Probe, type[TransmissionClient | QBittorrentClient]]] = [
        (ChosenKind.TRANSMISSION, "Transmission", transmission_url, transmission, TransmissionClient),
        (ChosenKind.QBITTORRENT, "qBittorrent", qbittorrent_url, qbittorrent, QBittorrentClient),
    ]
    for kind, label, url, probe, client_type in found:
        where = _host_port(url)
        if probe is _Probe.ABSENT:
            notes.append(f"nothing answers as {label} on {where}")
            continue
        if probe is _Probe.LOCKED and password is None:
            notes.append(f"{label} on {where} asks for a password NiluFlix does not have, so it was skipped")
            continue
        client = client_type(url, username, password)
        try:
            await client.start()
        except TorrentClientAuthError:
            notes.append(f"{label} on {where} refused the saved username and password, so it was skipped")
            continue
        except TorrentClientError as exc:
            notes.append(f"{label} on {where} failed ({exc}), so it was skipped")
            continue
        notes.append(f"found {label} answering on {where}")
        return ClientChoice(client, kind, _sentence(notes))

    binary = shutil.which("transmission-daemon", path=search_path)
    if binary:
        managed = ManagedTransmissionClient(binary, data_dir / "transmission", downloads_dir)
        try:
            await managed.start()
        except TorrentClientError as exc:
            await managed.close()
            log.error("could not start transmission-daemon: %s", exc)
            notes.append(f"transmission-daemon ({binary}) would not start")
        else:
            notes.append(
                f"started NiluFlix's own transmission-daemon ({binary}), settings in {managed.config_dir}"
            )
            return ClientChoice(managed, ChosenKind.MANAGED_TRANSMISSION, _sentence(notes))
    else:
        notes.append("no transmission-daemon is installed")

    engine = EmbeddedClient(data_dir / "embedded", port=embedded_port)
    await engine.start()
    notes.append("using the built-in torrent engine")
    return ClientChoice(engine, ChosenKind.EMBEDDED, _sentence(notes))


async def _configured(
    settings: TorrentClientSettings, password: str | None, data_dir: Path, embedded_port: int
) -> ClientChoice:
    if settings.kind is TorrentClientKind.EMBEDDED:
        engine = EmbeddedClient(data_dir / "embedded", port=embedded_port)
        await engine.start()
        return ClientChoice(engine, ChosenKind.EMBEDDED, "Using the built-in torrent engine, as configured.")
    assert settings.url  # the settings model requires it for these kinds
    client: TorrentClient
    if settings.kind is TorrentClientKind.TRANSMISSION:
        client = TransmissionClient(settings.url, settings.username, password)
        kind, label = ChosenKind.TRANSMISSION, "Transmission"
    else:
        client = QBittorrentClient(settings.url, settings.username, password)
        kind, label = ChosenKind.QBITTORRENT, "qBittorrent"
    shown = mask_url(settings.url)
    reason = f"Using {label} at {shown}, as configured."
    try:
        await client.start()
    except TorrentClientError as exc:
        # The user chose it: keep it (each call reconnects), and say why downloads cannot start yet.
        log.warning("configured %s is not usable yet: %s", label, exc)
        reason = f"Using {label} at {shown}, as configured, but it is not usable yet: {exc}"
    return ClientChoice(client, kind, reason)


async def _probe_transmission(http: httpx.AsyncClient, url: str) -> _Probe:
    try:
        response = await http.get(url)
    except httpx.HTTPError:
        return _Probe.ABSENT
    if response.status_code == 409 and "x-transmission-session-id" in response.headers:
        return _Probe.OPEN
    if response.status_code == 401 and "transmission" in response.headers.get("www-authenticate", "").lower():
        return _Probe.LOCKED
    return _Probe.ABSENT


async def _probe_qbittorrent(http: httpx.AsyncClient, url: str) -> _Probe:
    try:
        version = await http.get(f"{url.rstrip('/')}/api/v2/app/version")
        if version.status_code == 200 and version.text.startswith("v"):
            return _Probe.OPEN
        if version.status_code == 403:
            home = await http.get(f"{url.rstrip('/')}/")
            if "qBittorrent" in home.text:
                return _Probe.LOCKED
    except httpx.HTTPError:
        pass
    return _Probe.ABSENT


def _host_port(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def _sentence(clauses: list[str]) -> str:
    return "; ".join(clauses) + "."
