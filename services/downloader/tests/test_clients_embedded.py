"""The embedded libtorrent engine: what only it does (resume data across restarts); the rest of what every
client promises is in test_clients_contract.py."""

from pathlib import Path

import pytest
from downloader.clients.base import (
    TorrentClientError,
    TorrentSource,
    TorrentState,
)
from downloader.clients.embedded import EmbeddedClient

from niluflix.demo.swarm import MiB, Swarm


@pytest.fixture
async def engine(tmp_path: Path):
    client = EmbeddedClient(tmp_path / "state")
    await client.start()
    try:
        yield client
    finally:
        await client.close()


def completed(s):
    return s.state is TorrentState.COMPLETED


async def test_magnet_waits_for_metadata_then_removes_cleanly(
    engine, swarm: Swarm, tmp_path, wait_for_torrent
):
    release = swarm.create("Cosmos.Laundromat.2015.1080p.WEB-DL.x264-NILU", MiB)
    info_hash = await engine.add(TorrentSource(magnet_uri=release.magnet), tmp_path)

    status = await wait_for_torrent(engine, info_hash, lambda s: s.state is TorrentState.METADATA)

    assert status.size == 0
    assert await engine.files(info_hash) == []
    await engine.remove(info_hash, delete_data=True)
    assert await engine.list_all() == []


async def test_restart_mid_download_continues_without_starting_over(
    swarm: Swarm, tmp_path, wait_for_torrent, same_files
):
    # Slow enough to stop part-way through.
    release = swarm.seed("Big.Buck.Bunny.2008.1080p.BluRay.x264-NILU", 4 * MiB, upload_limit=MiB)
    state, save_dir = tmp_path / "state", tmp_path / "movies"
    first = EmbeddedClient(state)
    await first.start()
    try:
        await first.add(TorrentSource(magnet_uri=release.magnet), save_dir)
        before = await wait_for_torrent(first, release.info_hash, lambda s: s.downloaded >= MiB)
        # Nothing more arrives from here on, so what the next run has is what this one saved.
        swarm.seeder.set_upload_limit(release.info_hash, 1)
        await first.pause(release.info_hash)
        before = next(s for s in await first.list_all() if s.info_hash == release.info_hash)
    finally:
        await first.close()
    assert 0 < before.downloaded < release.size

    second = EmbeddedClient(state)
    await second.start()
    try:
        after = await wait_for_torrent(
            second, release.info_hash, lambda s: s.state is not TorrentState.CHECKING
        )
        assert after.state is TorrentState.PAUSED
        assert after.downloaded >= before.downloaded

        swarm.seeder.set_upload_limit(release.info_hash, 0)
        await second.resume(release.info_hash)
        await wait_for_torrent(second, release.info_hash, completed)
        same_files(release, save_dir)
    finally:
        await second.close()


async def test_restart_after_completion_needs_no_peer(tmp_path, wait_for_torrent, same_files):
    state, save_dir = tmp_path / "state", tmp_path / "movies"
    with Swarm(tmp_path / "swarm") as own_swarm:
        release = own_swarm.seed("Spring.2019.1080p.WEB-DL.x264-NILU", 2 * MiB)
        first = EmbeddedClient(state)
        await first.start()
        try:
            await first.add(TorrentSource(magnet_uri=release.magnet), save_dir)
            await wait_for_torrent(first, release.info_hash, completed)
        finally:
            await first.close()
        sources = {f.path: f.source.read_bytes() for f in release.files}

    # The swarm is gone: the torrent can only be complete from what is already on disk.
    second = EmbeddedClient(state)
    await second.start()
    try:
        status = await wait_for_torrent(second, release.info_hash, completed, timeout=15)
        assert status.downloaded == release.size
        assert {f.path: (save_dir / f.path).read_bytes() for f in release.files} == sources
    finally:
        await second.close()


async def test_unreadable_resume_file_is_set_aside(tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    (state / f"{'cd' * 20}.resume").write_bytes(b"garbage")

    client = EmbeddedClient(state)
    await client.start()
    try:
        assert await client.list_all() == []
    finally:
        await client.close()
    assert [p.name for p in state.iterdir()] == [f"{'cd' * 20}.unreadable"]


async def test_not_started_says_so(tmp_path):
    with pytest.raises(TorrentClientError, match="not started"):
        await EmbeddedClient(tmp_path).list_all()
