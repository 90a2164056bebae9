"""What every torrent client adapter promises, checked on each against real parts and the loopback swarm.

One full download per client (Transmission's 10 s choke cycle makes its download the slow one); the
other checks use torrents nobody seeds, which answer at once.
"""

from pathlib import Path

import pytest
from downloader.clients.base import (
    InvalidTorrentError,
    TorrentClient,
    TorrentNotFoundError,
    TorrentSource,
    TorrentState,
)
from downloader.clients.embedded import EmbeddedClient
from downloader.clients.qbittorrent import QBittorrentClient
from downloader.clients.transmission import TransmissionClient

from niluflix.demo.swarm import MiB, Swarm


@pytest.fixture(params=["embedded", "transmission", "qbittorrent"])
async def client(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "embedded":
        adapter: TorrentClient = EmbeddedClient(tmp_path / "engine")
    elif request.param == "transmission":
        daemon = request.getfixturevalue("transmission")
        adapter = TransmissionClient(daemon.url, daemon.username, daemon.password)
    else:
        daemon = request.getfixturevalue("qbittorrent")
        adapter = QBittorrentClient(daemon.url, daemon.username, daemon.password)
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.close()


async def test_magnet_download_lands_byte_for_byte(
    client: TorrentClient, swarm: Swarm, tmp_path: Path, wait_for_torrent, same_files
):
    release = swarm.seed("Sintel.2010.1080p.BluRay.x264-NILU", 4 * MiB, sample_size=MiB // 2, nfo=True)
    save_dir = tmp_path / "movies"

    # No peer is given: the client finds the seeder (or the seeder finds it) through the tracker alone.
    info_hash = await client.add(TorrentSource(magnet_uri=release.magnet.split("&x.pe=")[0]), save_dir)

    assert info_hash == release.info_hash
    status = await wait_for_torrent(
        client, info_hash, lambda s: s.state is TorrentState.COMPLETED, timeout=90
    )
    assert (status.name, status.progress, status.size) == (release.name, 1.0, release.size)
    assert status.downloaded == release.size
    assert Path(status.save_path) == save_dir
    files = await client.files(info_hash)
    assert sorted((f.path, f.size) for f in files) == [(f.path, f.size) for f in release.files]
    same_files(release, save_dir)

    await client.remove(info_hash, delete_data=True)

    assert info_hash not in {s.info_hash for s in await client.list_all()}
    assert not (save_dir / release.name).exists()


async def test_pause_and_resume(client: TorrentClient, swarm: Swarm, tmp_path: Path, wait_for_torrent):
    release = swarm.create("Elephants.Dream.2006.1080p.BluRay.x264-NILU", MiB)  # nobody seeds it
    info_hash = await client.add(TorrentSource(torrent=release.torrent), tmp_path)
    await wait_for_torrent(client, info_hash, lambda s: s.state is TorrentState.STALLED)

    await client.pause(info_hash)
    paused = await wait_for_torrent(client, info_hash, lambda s: s.state is not TorrentState.STALLED)
    assert paused.state is TorrentState.PAUSED

    await client.resume(info_hash)
    resumed = await wait_for_torrent(client, info_hash, lambda s: s.state is not TorrentState.PAUSED)
    assert resumed.state is TorrentState.STALLED
    assert resumed.progress == 0.0

    await client.remove(info_hash, delete_data=True)
    assert info_hash not in {s.info_hash for s in await client.list_all()}


async def test_adding_twice_keeps_one_torrent(client: TorrentClient, swarm: Swarm, tmp_path: Path):
    release = swarm.create("Tears.of.Steel.2012.720p.WEB-DL.x264-NILU", MiB, single_file=True)

    first = await client.add(TorrentSource(torrent=release.torrent), tmp_path)
    second = await client.add(TorrentSource(magnet_uri=release.magnet), tmp_path)

    assert first == second == release.info_hash
    listed = [s for s in await client.list_all() if s.info_hash == release.info_hash]
    assert len(listed) == 1
    assert listed[0].name == release.name
    assert [(f.path, f.size) for f in await client.files(first)] == [(release.name, MiB)]
    await client.remove(first, delete_data=False)
    await client.remove(first, delete_data=False)  # already gone is fine


async def test_bad_sources_and_unknown_torrents(client: TorrentClient, tmp_path: Path):
    with pytest.raises(InvalidTorrentError, match="magnet"):
        await client.add(TorrentSource(magnet_uri="magnet:?dn=no-hash"), tmp_path)
    with pytest.raises(InvalidTorrentError, match=".torrent"):
        await client.add(TorrentSource(torrent=b"<html>not a torrent</html>"), tmp_path)
    unknown = "ab" * 20
    with pytest.raises(TorrentNotFoundError):
        await client.files(unknown)
    with pytest.raises(TorrentNotFoundError):
        await client.pause(unknown)
    with pytest.raises(TorrentNotFoundError):
        await client.resume(unknown)
    await client.remove(unknown, delete_data=True)
