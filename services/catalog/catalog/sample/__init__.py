"""A sample catalog of open movies and shorts, used while no TMDB key is set (offline demo, first start)."""

from catalog.sample.source import SampleCatalog

__all__ = ["SampleCatalog"]
