"""Transmission over its RPC (transmission-rpc, which blocks: every call runs in a thread).

Torrents are addressed by info hash, which Transmission accepts wherever it takes an id. Done means
status "seeding" (or stopped with nothing left): `percentDone` reaches 1 while the files may still be
on their way out of the incomplete directory.
"""

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import transmission_rpc
from transmission_rpc.error import TransmissionAuthError, TransmissionError

from downloader.clients import metainfo
from downloader.clients.base import (
    TorrentClientAuthError,
    TorrentClientError,
    TorrentFile,
    TorrentNotFoundError,
    TorrentSource,
    TorrentState,
    TorrentStatus,
)
from niluflix.url_secrets import SecretMasker, mask_url, secret_values

T = TypeVar("T")

DEFAULT_RPC_PATH = "/transmission/rpc"

# Only what the status mapping reads: a poll of hundreds of torrents stays a few milliseconds.
_LIST_FIELDS = [
    "id",
    "hashString",
    "name",
    "status",
    "percentDone",
    "sizeWhenDone",
    "leftUntilDone",
    "rateDownload",
    "eta",
    "peersConnected",
    "peersSendingToUs",
    "downloadDir",
    "error",
    "errorString",
    "metadataPercentComplete",
]

# tr_torrent_activity
_STOPPED, _CHECK_WAIT, _CHECK, _DOWNLOAD_WAIT, _DOWNLOAD, _SEED_WAIT, _SEED = range(7)
_LOCAL_ERROR = 3  # tr_stat_errtype: 1 and 2 are tracker warnings/errors, which a download can live with


class TransmissionClient:
    name = "transmission"

    def __init__(
        self,
        url: str,
        username: str | None = None,
        password: str | None = None,
        *,
        timeout: float = 10.0,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"Transmission needs an http:// or https:// URL, got {url!r}")
        self.url = url
        # Errors name the client by its address, less the secrets it may carry; an echoed password is hidden too.
        self._shown = mask_url(url)
        self._mask = SecretMasker([password, *secret_values(url)])
        self._connect_args: dict[str, Any] = {
            "protocol": parts.scheme,
            "host": parts.hostname,
            "port": parts.port or (443 if parts.scheme == "https" else 80),
            "path": parts.path if parts.path not in ("", "/") else DEFAULT_RPC_PATH,
            "username": username,
            "password": password,
            "timeout": timeout,
        }
        self._rpc: transmission_rpc.Client | None = None
        # One requests.Session underneath, which is not meant to be shared between threads.
        self._lock = threading.Lock()

    async def start(self) -> None:
        """Connect now, so a wrong URL or password shows at start; later calls reconnect on their own."""
        await self._call(lambda rpc: None)

    async def close(self) -> None:
        self._rpc = None  # nothing to hang up: each RPC is a plain HTTP request

    async def add(self, source: TorrentSource, save_dir: Path) -> str:
        info_hash = metainfo.info_hash(source)  # a malformed source fails as such, before any RPC
        content: str | bytes = source.magnet_uri if source.magnet_uri is not None else source.torrent  # type: ignore[assignment]
        torrent = await self._call(lambda rpc: rpc.add_torrent(content, download_dir=str(save_dir)))
        return torrent.fields.get("hashString", info_hash).lower()

    async def list_all(self) -> list[TorrentStatus]:
        torrents = await self._call(lambda rpc: rpc.get_torrents(arguments=_LIST_FIELDS))
        return [_to_status(t.fields) for t in torrents]

    async def files(self, info_hash: str) -> list[TorrentFile]:
        def files(rpc: transmission_rpc.Client) -> list[dict[str, Any]]:
            found = rpc.get_torrents(ids=[info_hash], arguments=["id", "files"])
            if not found:
                raise TorrentNotFoundError(info_hash)
            return found[0].fields.get("files", [])

        return [TorrentFile(path=f["name"], size=f["length"]) for f in await self._call(files)]

    async def pause(self, info_hash: str) -> None:
        def pause(rpc: transmission_rpc.Client) -> None:
            self._require(rpc, info_hash)
            rpc.stop_torrent(ids=[info_hash])

        await self._call(pause)

    async def resume(self, info_hash: str) -> None:
        def resume(rpc: transmission_rpc.Client) -> None:
            self._require(rpc, info_hash)
            rpc.start_torrent(ids=[info_hash])

        await self._call(resume)

    async def remove(self, info_hash: str, *, delete_data: bool) -> None:
        def remove(rpc: transmission_rpc.Client) -> None:
            rpc.remove_torrent(ids=[info_hash], delete_data=delete_data)
            # Transmission removes (and deletes) in its own loop after answering: wait for it, so the
            # caller sees the torrent and its files gone.
            deadline = time.monotonic() + 10
            while rpc.get_torrents(ids=[info_hash], arguments=["id"]):
                if time.monotonic() > deadline:
                    raise TorrentClientError(f"Transmission did not remove {info_hash} within 10 s")
                time.sleep(0.05)

        await self._call(remove)

    @staticmethod
    def _require(rpc: transmission_rpc.Client, info_hash: str) -> None:
        # stop/start quietly ignore unknown ids; a caller acting on a vanished torrent should know.
        if not rpc.get_torrents(ids=[info_hash], arguments=["id"]):
            raise TorrentNotFoundError(info_hash)

    async def _call(self, fn: Callable[[transmission_rpc.Client], T]) -> T:
        return await asyncio.to_thread(self._call_sync, fn)

    def _call_sync(self, fn: Callable[[transmission_rpc.Client], T]) -> T:
        with self._lock:
            try:
                if self._rpc is None:
                    self._rpc = transmission_rpc.Client(**self._connect_args)
                return fn(self._rpc)
            except TransmissionAuthError as exc:
                self._rpc = None
                raise TorrentClientAuthError(
                    f"Transmission at {self._shown} refused the login: check the username and password"
                ) from exc
            except TransmissionError as exc:
                # Reconnect next time: the daemon may have restarted with a new session id.
                self._rpc = None
                raise TorrentClientError(f"Transmission at {self._shown}: {self._mask(exc.message)}") from exc


def _to_status(f: dict[str, Any]) -> TorrentStatus:
    status, size, left = f["status"], f.get("sizeWhenDone", 0), f.get("leftUntilDone", 0)
    rate = f.get("rateDownload", 0)
    has_metadata = f.get("metadataPercentComplete", 1) >= 1
    complete = has_metadata and size > 0 and left == 0
    error = f.get("errorString") or None
    if f.get("error") == _LOCAL_ERROR:
        state = TorrentState.ERROR
    elif status in (_SEED, _SEED_WAIT) or (status == _STOPPED and complete):
        state = TorrentState.COMPLETED
    elif status in (_CHECK, _CHECK_WAIT):
        state = TorrentState.CHECKING
    elif status == _STOPPED:
        state = TorrentState.PAUSED
    elif status == _DOWNLOAD_WAIT:
        state = TorrentState.QUEUED
    elif not has_metadata:
        state = TorrentState.METADATA
    elif rate == 0 and f.get("peersSendingToUs", 0) == 0:
        state = TorrentState.STALLED
    else:
        state = TorrentState.DOWNLOADING
    eta = f.get("eta", -1)
    return TorrentStatus(
        info_hash=f["hashString"].lower(),
        name=f.get("name") or f["hashString"],
        state=state,
        progress=min(max(float(f.get("percentDone", 0.0)), 0.0), 1.0),
        size=size,
        downloaded=max(size - left, 0),
        download_rate=rate,
        eta_seconds=eta if eta >= 0 else None,
        peers=f.get("peersConnected", 0),
        save_path=f.get("downloadDir", ""),
        error=error,
    )
