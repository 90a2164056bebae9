"""The loopback swarm the client tests, the demo and the end-to-end tests download from."""

import socket
import struct
from urllib.parse import quote_from_bytes

import httpx
import libtorrent as lt

from niluflix.demo.swarm import MiB, Swarm


def announce(swarm: Swarm, info_hash: str, peer_id: bytes, port: int, **extra: str) -> dict:
    query = "&".join(
        [
            f"info_hash={quote_from_bytes(bytes.fromhex(info_hash))}",
            f"peer_id={quote_from_bytes(peer_id)}",
            f"port={port}",
            "compact=1",
            *(f"{k}={v}" for k, v in extra.items()),
        ]
    )
    response = httpx.get(f"{swarm.announce_url}?{query}")
    assert response.status_code == 200
    return lt.bdecode(response.content)


def compact(peers: bytes) -> list[tuple[str, int]]:
    return [
        (socket.inet_ntoa(peers[i : i + 4]), struct.unpack(">H", peers[i + 4 : i + 6])[0])
        for i in range(0, len(peers), 6)
    ]


def test_release_layout_and_links(swarm: Swarm):
    release = swarm.seed("Sintel.2010.1080p.BluRay.x264-NILU", 2 * MiB, sample_size=MiB // 4, nfo=True)

    assert [f.path for f in release.files] == [
        "Sintel.2010.1080p.BluRay.x264-NILU/Sample/Sintel.2010.1080p.BluRay.x264-NILU.sample.mkv",
        "Sintel.2010.1080p.BluRay.x264-NILU/Sintel.2010.1080p.BluRay.x264-NILU.mkv",
        "Sintel.2010.1080p.BluRay.x264-NILU/Sintel.2010.1080p.BluRay.x264-NILU.nfo",
    ]
    assert release.video.size == 2 * MiB
    assert release.size == sum(f.size for f in release.files)
    info = lt.torrent_info(release.torrent)
    assert str(info.info_hashes().v1) == release.info_hash
    assert not info.info_hashes().has_v2()  # Transmission 3 cannot read hybrid torrents
    assert lt.bdecode(release.torrent)[b"announce"] == swarm.announce_url.encode()
    magnet = lt.parse_magnet_uri(release.magnet)
    assert str(magnet.info_hashes.v1) == release.info_hash
    assert magnet.trackers == [swarm.announce_url]
    assert magnet.peers == [("127.0.0.1", swarm.seeder.port)]
    # Fresh bytes every time, so every release is a new torrent.
    again = swarm.create("Sintel.2010.1080p.BluRay.x264-NILU", 2 * MiB, sample_size=MiB // 4, nfo=True)
    assert again.info_hash != release.info_hash


def test_season_pack_and_single_file_layouts(swarm: Swarm):
    pack = swarm.create(
        "Show.S01.1080p.WEB-DL.x264-NILU",
        files={"Show.S01E01.1080p.WEB-DL.x264-NILU.mkv": MiB, "Show.S01E02.1080p.WEB-DL.x264-NILU.mkv": MiB},
    )
    single = swarm.create("Tears.of.Steel.2012.720p.WEB-DL.x264-NILU", MiB, single_file=True)

    assert [f.path for f in pack.files] == [
        "Show.S01.1080p.WEB-DL.x264-NILU/Show.S01E01.1080p.WEB-DL.x264-NILU.mkv",
        "Show.S01.1080p.WEB-DL.x264-NILU/Show.S01E02.1080p.WEB-DL.x264-NILU.mkv",
    ]
    assert (
        [f.path for f in single.files] == [single.name] == ["Tears.of.Steel.2012.720p.WEB-DL.x264-NILU.mkv"]
    )


def test_tracker_hands_out_peers_and_forgets_stopped_ones(swarm: Swarm):
    release = swarm.create("Elephants.Dream.2006.1080p.BluRay.x264-NILU", MiB)

    first = announce(swarm, release.info_hash, b"-XX0001-aaaaaaaaaaaa", 51001, left="100", event="started")
    second = announce(swarm, release.info_hash, b"-XX0001-bbbbbbbbbbbb", 51002, left="0")

    assert compact(first[b"peers"]) == []
    assert compact(second[b"peers"]) == [("127.0.0.1", 51001)]
    assert (second[b"complete"], second[b"incomplete"]) == (1, 1)
    assert second[b"interval"] <= 10

    announce(swarm, release.info_hash, b"-XX0001-aaaaaaaaaaaa", 51001, event="stopped")
    third = announce(swarm, release.info_hash, b"-XX0001-bbbbbbbbbbbb", 51002, left="0")
    assert compact(third[b"peers"]) == []


def test_tracker_refuses_a_broken_announce(swarm: Swarm):
    response = httpx.get(f"{swarm.announce_url}?info_hash=short&peer_id=x&port=1")
    assert b"failure reason" in lt.bdecode(response.content)
    assert httpx.get(swarm.announce_url.replace("/announce", "/scrape")).status_code == 404


def test_seeder_dials_a_leecher_that_announced(swarm: Swarm):
    # Transmission never dials loopback peers: the seeder must come to it. A bare socket stands in for
    # the leecher and waits for the BitTorrent handshake.
    release = swarm.seed("Cosmos.Laundromat.2015.1080p.WEB-DL.x264-NILU", MiB)
    with socket.create_server(("127.0.0.1", 0)) as leecher:
        leecher.settimeout(10)
        announce(swarm, release.info_hash, b"-TR3000-cccccccccccc", leecher.getsockname()[1], left=str(MiB))

        conn, _ = leecher.accept()
        with conn:
            conn.settimeout(10)
            handshake = b""
            while len(handshake) < 48:
                handshake += conn.recv(68)
    assert handshake[:20] == b"\x13BitTorrent protocol"
    assert handshake[28:48] == bytes.fromhex(release.info_hash)
