"""A service's version, as its health and the gateway's API show it: the installed `niluflix-<service>`."""

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def service_version(service: str) -> str:
    """The version of the distribution `niluflix-<service>`; "" when it runs from a tree not installed."""
    try:
        return version(f"niluflix-{service}")
    except PackageNotFoundError:
        return ""
