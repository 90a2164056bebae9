"""TMDB v3: the client and the shapes of its JSON."""

from catalog.tmdb.client import TmdbClient

__all__ = ["TmdbClient"]
