"""What a release name says, behind one function so the parser can be swapped or layered on later."""

import logging

import PTT

from niluflix.contracts.search import ParsedRelease

log = logging.getLogger(__name__)


def parse_release(name: str) -> ParsedRelease:
    """Title, year, season/episodes, resolution, source, codec, group... as far as the name tells.

    Never raises: a name the parser chokes on is a release we know nothing about, not a failed search.
    """
    try:
        found = PTT.parse_title(name)
    except Exception:
        log.warning("cannot parse release name %r", name, exc_info=True)
        return ParsedRelease()
    seasons = found.get("seasons") or []
    return ParsedRelease(
        title=found.get("title") or None,
        year=found.get("year"),
        # A multi-season pack names no single season; its episodes are unknown until its files are seen.
        season=seasons[0] if len(seasons) == 1 else None,
        episodes=found.get("episodes") or [],
        resolution=found.get("resolution"),
        source=found.get("quality"),
        codec=found.get("codec"),
        group=found.get("group"),
        proper=bool(found.get("proper")),
        repack=bool(found.get("repack")),
        languages=found.get("languages") or [],
    )
