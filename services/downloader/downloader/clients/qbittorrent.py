"""qBittorrent over its WebUI API (qbittorrent-api, which blocks: every call runs in a thread).

The API answers an add with "Ok." and no info hash, so the hash is read from the magnet or .torrent
here before adding. Done means progress 1 in a seeding or stopped state.
"""

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import qbittorrentapi

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

NO_ETA = 8_640_000  # qBittorrent's "infinity"

_STATES: dict[str, TorrentState] = {
    "error": TorrentState.ERROR,
    "missingFiles": TorrentState.ERROR,
    "checkingUP": TorrentState.CHECKING,
    "checkingDL": TorrentState.CHECKING,
    "checkingResumeData": TorrentState.CHECKING,
    "allocating": TorrentState.CHECKING,
    "moving": TorrentState.CHECKING,  # on its way to the final folder: not done yet
    "metaDL": TorrentState.METADATA,
    "forcedMetaDL": TorrentState.METADATA,
    "pausedDL": TorrentState.PAUSED,
    "stoppedDL": TorrentState.PAUSED,  # 5.0 renamed paused to stopped
    "queuedDL": TorrentState.QUEUED,
    "stalledDL": TorrentState.STALLED,
    "downloading": TorrentState.DOWNLOADING,
    "forcedDL": TorrentState.DOWNLOADING,
}
_SEEDING_OR_STOPPED = {"uploading", "stalledUP", "forcedUP", "queuedUP", "pausedUP", "stoppedUP"}


class QBittorrentClient:
    name = "qbittorrent"

    def __init__(
        self,
        url: str,
        username: str | None = None,
        password: str | None = None,
        *,
        tag: str | None = "niluflix",
        timeout: float = 10.0,
    ) -> None:
        self.url = url.rstrip("/")
        # Errors name the client by its address, less the secrets it may carry; an echoed password is hidden too.
        self._shown = mask_url(self.url)
        self._mask = SecretMasker([password, *secret_values(url)])
        self.tag = tag
        self._api = qbittorrentapi.Client(
            host=self.url,
            username=username,
            password=password,
            REQUESTS_ARGS={"timeout": (3.0, timeout)},
            DISABLE_LOGGING_DEBUG_OUTPUT=True,
        )
        self._lock = threading.Lock()  # one requests.Session underneath, not meant for several threads

    async def start(self) -> None:
        """Log in now, so a wrong URL or password shows at start; later calls log in again on their own."""
        # Any call logs in first when qBittorrent asks for it, and works without credentials where the
        # user lets local clients skip the login.
        await self._call(lambda api: api.app_version())

    async def close(self) -> None:
        with contextlib.suppress(TorrentClientError):  # an unreachable client has no session to end
            await self._call(lambda api: api.auth_log_out())

    async def add(self, source: TorrentSource, save_dir: Path) -> str:
        info_hash = metainfo.info_hash(source)

        def add(api: qbittorrentapi.Client) -> str:
            if api.torrents_info(torrent_hashes=info_hash):
                return info_hash
            answer = api.torrents_add(
                urls=source.magnet_uri,
                torrent_files=source.torrent,
                save_path=str(save_dir),
                tags=self.tag,
                use_auto_torrent_management=False,  # else the category's folder wins over save_path
                content_layout="Original",  # files() paths then match the torrent's own layout
            )
            if answer != "Ok." and not api.torrents_info(torrent_hashes=info_hash):
                raise TorrentClientError(
                    f"qBittorrent at {self._shown} refused the torrent ({self._mask(str(answer))})"
                )
            return info_hash

        return await self._call(add)

    async def list_all(self) -> list[TorrentStatus]:
        torrents = await self._call(lambda api: api.torrents_info())
        return [_to_status(t) for t in torrents]

    async def files(self, info_hash: str) -> list[TorrentFile]:
        def files(api: qbittorrentapi.Client) -> list[dict[str, Any]]:
            try:
                return api.torrents_files(torrent_hash=info_hash)
            except qbittorrentapi.NotFound404Error as exc:
                raise TorrentNotFoundError(info_hash) from exc

        return [TorrentFile(path=f["name"], size=f["size"]) for f in await self._call(files)]

    async def pause(self, info_hash: str) -> None:
        def pause(api: qbittorrentapi.Client) -> None:
            self._require(api, info_hash)
            api.torrents_stop(torrent_hashes=info_hash)

        await self._call(pause)

    async def resume(self, info_hash: str) -> None:
        def resume(api: qbittorrentapi.Client) -> None:
            self._require(api, info_hash)
            api.torrents_start(torrent_hashes=info_hash)

        await self._call(resume)

    async def remove(self, info_hash: str, *, delete_data: bool) -> None:
        def remove(api: qbittorrentapi.Client) -> None:
            found = api.torrents_info(torrent_hashes=info_hash)
            if not found:
                return
            content = Path(found[0].get("content_path") or "")
            api.torrents_delete(delete_files=delete_data, torrent_hashes=info_hash)
            # qBittorrent deletes after answering: wait for it, so the caller sees the state it asked for.
            # (The content path only exists here when the downloader shares qBittorrent's filesystem.)
            deadline = time.monotonic() + 10
            while api.torrents_info(torrent_hashes=info_hash) or (
                delete_data and content.is_absolute() and content.exists()
            ):
                if time.monotonic() > deadline:
                    raise TorrentClientError(f"qBittorrent did not remove {info_hash} within 10 s")
                time.sleep(0.05)

        await self._call(remove)

    @staticmethod
    def _require(api: qbittorrentapi.Client, info_hash: str) -> None:
        # stop/start quietly ignore unknown hashes; a caller acting on a vanished torrent should know.
        if not api.torrents_info(torrent_hashes=info_hash):
            raise TorrentNotFoundError(info_hash)

    async def _call(self, fn: Callable[[qbittorrentapi.Client], T]) -> T:
        return await asyncio.to_thread(self._call_sync, fn)

    def _call_sync(self, fn: Callable[[qbittorrentapi.Client], T]) -> T:
        with self._lock:
            try:
                return fn(self._api)
            except (qbittorrentapi.LoginFailed, qbittorrentapi.Forbidden403Error) as exc:
                raise TorrentClientAuthError(
                    f"qBittorrent at {self._shown} refused the login: check the username and password"
                ) from exc
            except qbittorrentapi.APIConnectionError as exc:
                raise TorrentClientError(
                    f"qBittorrent at {self._shown} does not answer: {self._mask(str(exc))}"
                ) from exc
            except qbittorrentapi.APIError as exc:
                raise TorrentClientError(f"qBittorrent at {self._shown}: {self._mask(str(exc))}") from exc


def _to_status(t: dict[str, Any]) -> TorrentStatus:
    raw_state, progress = t.get("state", "unknown"), float(t.get("progress", 0.0))
    if raw_state in _SEEDING_OR_STOPPED and progress >= 1.0:
        state = TorrentState.COMPLETED
    elif raw_state in _SEEDING_OR_STOPPED:
        # Seeding a part: the user unticked files, or a recheck found pieces missing.
        state = (
            TorrentState.PAUSED if raw_state.startswith(("paused", "stopped")) else TorrentState.DOWNLOADING
        )
    else:
        state = _STATES.get(raw_state, TorrentState.QUEUED)
    eta = int(t.get("eta", NO_ETA))
    size = int(t.get("size", 0))
    return TorrentStatus(
        info_hash=t["hash"].lower(),
        name=t.get("name") or t["hash"],
        state=state,
        progress=min(max(progress, 0.0), 1.0),
        size=size,
        downloaded=min(int(t.get("completed", 0)), size) if size else int(t.get("completed", 0)),
        download_rate=int(t.get("dlspeed", 0)),
        eta_seconds=eta if 0 <= eta < NO_ETA else None,
        peers=int(t.get("num_seeds", 0)) + int(t.get("num_leechs", 0)),
        save_path=t.get("save_path", ""),
        error=raw_state if state is TorrentState.ERROR else None,
    )
