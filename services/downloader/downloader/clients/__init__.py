"""Torrent clients behind one small interface: Transmission, qBittorrent, and the embedded engine."""
