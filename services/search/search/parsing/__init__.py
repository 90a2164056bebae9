"""What a release name says, behind one function: `parse_release(name) -> ParsedRelease`.

The parser is our own single-pass reader (`search.parsing.names`); docs/parsing.md tells why it beat the
libraries we measured. Indexers repeat names (the same release on several trackers, the same search run
twice), so parsed names are kept in a bounded cache.
"""

import logging
from functools import lru_cache

from niluflix.contracts.search import ParsedRelease
from search.parsing.names import Parsed, parse

log = logging.getLogger(__name__)

_LIST_FIELDS = ("seasons", "episodes", "hdr", "audio", "languages")
_BLANK = ParsedRelease()


@lru_cache(maxsize=65_536)
def _parse_cached(name: str) -> Parsed:
    return parse(name)


def parse_release(name: str) -> ParsedRelease:
    """Title, year, season/episodes, resolution, source, codec, group... as far as the name tells.

    Never raises: a name the parser chokes on is a release we know nothing about, not a failed search.
    """
    try:
        found = _parse_cached(name)
    except Exception:
        log.warning("cannot parse release name %r", name, exc_info=True)
        return ParsedRelease()
    fields = {k: v for k, v in vars(found).items() if v is not None and v is not False}
    # every list is a fresh one: neither the cache's nor the prototype's may be shared with a caller
    for key in _LIST_FIELDS:
        fields[key] = list(fields[key])
    # A copy of a blank model updated with our own typed values: validating them again would only cost time
    # (a third of a whole search's parse-and-rank).
    return _BLANK.model_copy(update=fields)
