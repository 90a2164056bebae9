"""The embedded engine: libtorrent inside the downloader, for machines with no torrent client at all.

Each torrent's resume data is kept in `<state_dir>/<info hash>.resume` (written atomically), saved when
it is added, when its metadata arrives, when it finishes, every `save_interval` seconds while it changes,
and on close; `start()` loads them all, so a restart continues where it stopped and never downloads
again what is on disk. Alerts are read by one background thread: libtorrent's alert notification would
call into Python from libtorrent's own thread, which can deadlock against the GIL.
"""

import asyncio
import contextlib
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

import libtorrent as lt

from downloader.clients import metainfo
from downloader.clients.base import (
    TorrentClientError,
    TorrentFile,
    TorrentNotFoundError,
    TorrentSource,
    TorrentState,
    TorrentStatus,
)
from niluflix import libtorrent_config
from niluflix.private_files import private_dir

log = logging.getLogger(__name__)

# torrent_handle::query_name and ::query_save_path, which the Python binding does not name.
_QUERY_NAME_AND_SAVE_PATH = 64 | 128

_SAVE_FLAGS = lt.save_resume_flags_t.save_info_dict | lt.save_resume_flags_t.flush_disk_cache

# Started at once and never queued by libtorrent: the job engine decides how many run.
_ADD_FLAGS = lt.torrent_flags.default_flags & ~lt.torrent_flags.paused & ~lt.torrent_flags.auto_managed

_CHECKING = {
    lt.torrent_status.states.checking_files,
    lt.torrent_status.states.checking_resume_data,
}

# What the alert reader handles: errors, removals and deletions, resume data.
_ALERT_MASK = (
    lt.alert.category_t.error_notification
    | lt.alert.category_t.status_notification
    | lt.alert.category_t.storage_notification
)


class EmbeddedClient:
    name = "embedded"

    def __init__(
        self,
        state_dir: Path,
        *,
        listen_interface: str = "127.0.0.1",
        port: int = 0,
        save_interval: float = 30.0,
    ) -> None:
        self.state_dir = state_dir
        self.listen_interface = listen_interface
        self.port = port
        self.save_interval = save_interval
        self._settings = {
            **libtorrent_config.session_settings(listen_interface=listen_interface, port=port),
            "alert_mask": _ALERT_MASK,
        }
        self._session: lt.session | None = None
        self._alert_thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._removing: dict[str, tuple[asyncio.Future[None], bool]] = {}
        self._removed: set[str] = set()  # a late resume alert must not bring a removed torrent back
        self._resume_lock = threading.Lock()

    @property
    def listen_port(self) -> int:
        return self._require_session().listen_port()

    async def start(self) -> None:
        if self._session is not None:
            return
        private_dir(self.state_dir)
        session = await asyncio.to_thread(lt.session, self._settings)
        if not session.is_listening():
            raise TorrentClientError(
                f"the embedded engine cannot listen on {self._settings['listen_interfaces']}"
            )
        self._session = session
        loaded = await asyncio.to_thread(self._load_resume_files, session)
        log.info(
            "embedded engine listening on %s:%d, %d torrent(s) resumed",
            self.listen_interface,
            session.listen_port(),
            loaded,
        )
        self._stopping.clear()
        self._alert_thread = threading.Thread(
            target=self._read_alerts,
            args=(session, asyncio.get_running_loop()),
            name="embedded-alerts",
            daemon=True,
        )
        self._alert_thread.start()

    async def close(self) -> None:
        if self._session is None:
            return
        self._stopping.set()
        if self._alert_thread:
            await asyncio.to_thread(self._alert_thread.join)
            self._alert_thread = None
        await asyncio.to_thread(self._save_all_and_wait, self._session, 10.0)
        # The session's destructor blocks until its threads end: hand the last reference to a thread.
        holder = [self._session]
        self._session = None
        await asyncio.to_thread(_shut_down, holder)

    async def add(self, source: TorrentSource, save_dir: Path) -> str:
        session = self._require_session()
        if source.magnet_uri is not None:
            params = metainfo.magnet_params(source.magnet_uri)
        else:
            assert source.torrent is not None
            params = lt.add_torrent_params()
            params.ti = metainfo.torrent_info(source.torrent)
        info_hash = str(params.ti.info_hashes().v1 if params.ti else params.info_hashes.v1)
        params.save_path = str(save_dir)
        params.flags = _ADD_FLAGS
        return await asyncio.to_thread(self._add, session, params, info_hash, save_dir)

    def _add(self, session: lt.session, params: lt.add_torrent_params, info_hash: str, save_dir: Path) -> str:
        if session.find_torrent(_sha1(info_hash)).is_valid():
            return info_hash
        save_dir.mkdir(parents=True, exist_ok=True)
        with self._resume_lock:
            self._removed.discard(info_hash)
        # Written before the add returns, so a crash a moment later still knows the torrent.
        self._write_resume(info_hash, lt.write_resume_data_buf(params))
        session.add_torrent(params).save_resume_data(_SAVE_FLAGS)
        return info_hash

    async def list_all(self) -> list[TorrentStatus]:
        session = self._require_session()
        statuses = await asyncio.to_thread(
            session.get_torrent_status, lambda _: True, _QUERY_NAME_AND_SAVE_PATH
        )
        return [_to_status(s) for s in statuses]

    async def files(self, info_hash: str) -> list[TorrentFile]:
        return await asyncio.to_thread(self._files, info_hash)

    def _files(self, info_hash: str) -> list[TorrentFile]:
        info = self._handle(info_hash).torrent_file()
        if info is None:
            return []
        layout = info.layout()
        return [
            TorrentFile(path=layout.file_path(i), size=layout.file_size(i))
            for i in range(layout.num_files())
            if not layout.file_flags(i) & lt.file_storage.flag_pad_file
        ]

    async def pause(self, info_hash: str) -> None:
        handle = await asyncio.to_thread(self._handle, info_hash)
        handle.pause()
        handle.save_resume_data(_SAVE_FLAGS)

    async def resume(self, info_hash: str) -> None:
        handle = await asyncio.to_thread(self._handle, info_hash)
        handle.resume()
        handle.save_resume_data(_SAVE_FLAGS)

    async def remove(self, info_hash: str, *, delete_data: bool) -> None:
        session = self._require_session()
        try:
            handle = await asyncio.to_thread(self._handle, info_hash)
        except TorrentNotFoundError:
            await asyncio.to_thread(self._forget, info_hash)
            return
        await asyncio.to_thread(self._forget, info_hash)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._removing[info_hash] = (done, delete_data)
        session.remove_torrent(handle, lt.session.delete_files if delete_data else 0)
        try:
            # Wait for the files to be gone, so the caller sees the state it asked for.
            await asyncio.wait_for(done, 30)
        except TimeoutError as exc:
            raise TorrentClientError(f"the embedded engine did not finish removing {info_hash}") from exc
        finally:
            self._removing.pop(info_hash, None)

    # Alerts, read by one thread: an alert object is only valid until the next pop_alerts, so each is
    # handled where it was popped, and only plain values cross over to the event loop.

    def _read_alerts(self, session: lt.session, loop: asyncio.AbstractEventLoop) -> None:
        next_save = time.monotonic() + self.save_interval
        while not self._stopping.is_set():
            session.wait_for_alert(250)
            try:
                for alert in session.pop_alerts():
                    self._on_alert(alert, loop)
                if time.monotonic() >= next_save:
                    next_save = time.monotonic() + self.save_interval
                    for handle in session.get_torrents():
                        if handle.need_save_resume_data():
                            handle.save_resume_data(_SAVE_FLAGS)
            except Exception:
                # One bad alert or a full disk must not stop the engine from reading the next ones.
                log.exception("embedded engine: handling alerts failed")

    def _on_alert(self, alert: lt.alert, loop: asyncio.AbstractEventLoop) -> None:
        if isinstance(alert, lt.save_resume_data_alert):
            self._write_resume(str(alert.params.info_hashes.v1), lt.write_resume_data_buf(alert.params))
        elif isinstance(alert, lt.metadata_received_alert | lt.torrent_finished_alert):
            alert.handle.save_resume_data(_SAVE_FLAGS)
        elif isinstance(alert, lt.torrent_removed_alert):
            loop.call_soon_threadsafe(self._settle_removal, str(alert.info_hashes.v1), False, None)
        elif isinstance(alert, lt.torrent_deleted_alert):
            loop.call_soon_threadsafe(self._settle_removal, str(alert.info_hashes.v1), True, None)
        elif isinstance(alert, lt.torrent_delete_failed_alert):
            # A magnet removed before its metadata came has no files, and "fails" with no error.
            error = f"could not delete the files: {alert.error.message()}" if alert.error.value() else None
            loop.call_soon_threadsafe(self._settle_removal, str(alert.info_hashes.v1), True, error)
        elif isinstance(alert, lt.save_resume_data_failed_alert):
            pass  # nothing changed since the last save, or the torrent is going away
        elif alert.category() & lt.alert.category_t.error_notification:
            log.warning("embedded engine: %s", alert.message())

    def _settle_removal(self, info_hash: str, deleted: bool, error: str | None) -> None:
        pending = self._removing.get(info_hash)
        if pending is None:
            return
        done, delete_data = pending
        if done.done() or deleted != delete_data:
            return
        if error:
            done.set_exception(TorrentClientError(error))
        else:
            done.set_result(None)

    # Resume files (blocking: called in a thread)

    def _resume_path(self, info_hash: str) -> Path:
        return self.state_dir / f"{info_hash}.resume"

    def _write_resume(self, info_hash: str, data: bytes) -> None:
        with self._resume_lock:
            if info_hash not in self._removed:
                self._write_atomically(self._resume_path(info_hash), data)

    def _write_atomically(self, path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def _forget(self, info_hash: str) -> None:
        with self._resume_lock:
            self._removed.add(info_hash)
            with contextlib.suppress(FileNotFoundError):
                self._resume_path(info_hash).unlink()

    def _load_resume_files(self, session: lt.session) -> int:
        loaded = 0
        for path in sorted(self.state_dir.glob("*.resume")):
            try:
                params = lt.read_resume_data(path.read_bytes())
                params.flags = params.flags & ~lt.torrent_flags.auto_managed
                session.add_torrent(params)
                loaded += 1
            except (RuntimeError, OSError) as exc:
                # Keep the file for a human to look at, but out of the way of the next start.
                log.error("embedded engine: cannot resume from %s (%s); moved aside", path.name, exc)
                path.rename(path.with_suffix(".unreadable"))
        return loaded

    def _save_all_and_wait(self, session: lt.session, timeout: float) -> None:
        waiting = set()
        for handle in session.get_torrents():
            if handle.is_valid():
                handle.save_resume_data(_SAVE_FLAGS)
                waiting.add(str(handle.info_hashes().v1))
        deadline = time.monotonic() + timeout
        while waiting and time.monotonic() < deadline:
            session.wait_for_alert(100)
            for alert in session.pop_alerts():
                if isinstance(alert, lt.save_resume_data_alert):
                    info_hash = str(alert.params.info_hashes.v1)
                    waiting.discard(info_hash)
                    self._write_resume(info_hash, lt.write_resume_data_buf(alert.params))
                elif isinstance(alert, lt.save_resume_data_failed_alert):
                    waiting.discard(str(alert.handle.info_hashes().v1))
        if waiting:
            log.warning(
                "embedded engine: no resume data saved for %d torrent(s) before closing", len(waiting)
            )

    # Lookups

    def _require_session(self) -> lt.session:
        if self._session is None:
            raise TorrentClientError("the embedded engine is not started")
        return self._session

    def _handle(self, info_hash: str) -> lt.torrent_handle:
        try:
            sha1 = _sha1(info_hash)
        except ValueError as exc:
            raise TorrentNotFoundError(info_hash) from exc
        handle = self._require_session().find_torrent(sha1)
        if not handle.is_valid():
            raise TorrentNotFoundError(info_hash)
        return handle


def _sha1(info_hash: str) -> lt.sha1_hash:
    return lt.sha1_hash(bytes.fromhex(info_hash))


def _shut_down(holder: list[lt.session]) -> None:
    session = holder.pop()
    # Pausing first lets trackers hear "stopped" before the session's sockets go away.
    session.pause()
    del session


def _to_status(s: lt.torrent_status) -> TorrentStatus:
    size, done, rate = s.total_wanted, s.total_wanted_done, s.download_payload_rate
    error = s.errc.message() if s.errc.value() else None
    complete = s.has_metadata and (s.is_seeding or (s.is_finished and done >= size))
    paused = bool(s.flags & lt.torrent_flags.paused)
    if error:
        state = TorrentState.ERROR
    elif complete:
        state = TorrentState.COMPLETED
    elif s.state in _CHECKING:
        state = TorrentState.CHECKING
    elif paused:
        state = TorrentState.PAUSED
    elif s.state == lt.torrent_status.states.downloading_metadata:
        state = TorrentState.METADATA
    elif rate == 0:
        state = TorrentState.STALLED
    else:
        state = TorrentState.DOWNLOADING
    return TorrentStatus(
        info_hash=str(s.info_hashes.v1),
        name=s.name or str(s.info_hashes.v1),
        state=state,
        progress=min(max(s.progress, 0.0), 1.0),
        size=size,
        downloaded=done,
        download_rate=rate,
        eta_seconds=(size - done) // rate if rate and size > done else None,
        peers=s.num_peers,
        save_path=s.save_path,
        error=error,
    )
