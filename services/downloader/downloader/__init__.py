"""The downloader service: durable download jobs, the queue, the torrent client and live progress."""
