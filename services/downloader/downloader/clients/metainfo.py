"""Reading a torrent source before any client sees it: its info hash, and whether it is well formed.

qBittorrent's API does not return the info hash of what it adds, and a malformed magnet should fail
as such (the release is bad, retrying cannot help) rather than as a client error.
"""

import libtorrent as lt

from downloader.clients.base import InvalidTorrentError, TorrentSource

_NO_V1 = "0" * 40


def magnet_params(magnet_uri: str) -> lt.add_torrent_params:
    try:
        params = lt.parse_magnet_uri(magnet_uri)
    except RuntimeError as exc:
        raise InvalidTorrentError(f"not a valid magnet link: {exc}") from exc
    if str(params.info_hashes.v1) == _NO_V1:
        raise InvalidTorrentError("the magnet link has no BitTorrent v1 info hash (urn:btih)")
    return params


def torrent_info(data: bytes) -> lt.torrent_info:
    try:
        info = lt.torrent_info(data)
    except RuntimeError as exc:
        raise InvalidTorrentError(f"not a valid .torrent file: {exc}") from exc
    if not info.info_hashes().has_v1():
        raise InvalidTorrentError("the .torrent file is BitTorrent v2 only")
    return info


def info_hash(source: TorrentSource) -> str:
    """The lower-case hex v1 info hash of a magnet or .torrent; InvalidTorrentError if malformed."""
    if source.magnet_uri is not None:
        return str(magnet_params(source.magnet_uri).info_hashes.v1)
    assert source.torrent is not None  # TorrentSource holds exactly one
    return str(torrent_info(source.torrent).info_hashes().v1)
