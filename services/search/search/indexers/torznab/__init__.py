"""Torznab, the search API Jackett, Prowlarr and many trackers serve: an RSS 2.0 dialect over HTTP GET."""

from search.indexers.torznab.client import TorznabIndexer

__all__ = ["TorznabIndexer"]
