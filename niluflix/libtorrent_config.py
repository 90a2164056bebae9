"""The settings of every libtorrent session NiluFlix starts: its embedded engine and the demo seeder.

libtorrent's defaults turn on DHT, LSD and UPnP/NAT-PMP, queue torrents on their own and give up on a peer
after a few failures; these keep a session to the peers its trackers name, on the interface it is given.
Each caller adds only what is its own (the alerts its reader handles, say).
"""


def session_settings(*, listen_interface: str, port: int) -> dict[str, object]:
    """A libtorrent settings pack listening on `listen_interface:port` (port 0: any free one)."""
    return {
        "listen_interfaces": f"{listen_interface}:{port}",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        # uTP stalls ~14 s on loopback and buys little over TCP for a home downloader.
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        # On loopback every peer shares one IP.
        "allow_multiple_connections_per_ip": True,
        # Transmission drops the first connection that follows a metadata exchange, and the default
        # max_failcount then backs off 60 s: retry soon, never give up.
        "min_reconnect_time": 1,
        "max_failcount": 1000,
        # The session's destructor holds the GIL while it waits for trackers to confirm "stopped", so an
        # in-process tracker (the demo swarm's) can never answer: do not wait long.
        "stop_tracker_timeout": 1,
        # NiluFlix decides how many torrents run; libtorrent's queue would stop some of them.
        "active_downloads": -1,
        "active_seeds": -1,
        "active_limit": -1,
    }
