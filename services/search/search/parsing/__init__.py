"""What a release name says, behind one function: `parse_release(name) -> ParsedRelease`.

The parser is our own single-pass reader (`search.parsing.names`); docs/parsing.md tells why it beat the
libraries we measured. Indexers repeat names (the same release on several trackers, the same search run
twice), so parsed names are kept in a bounded cache.
"""

import logging
from collections import OrderedDict
from dataclasses import fields
from operator import attrgetter

from niluflix.contracts.search import ParsedRelease
from search.parsing.names import Parsed, parse

log = logging.getLogger(__name__)

_LIST_FIELDS = ("seasons", "episodes", "hdr", "audio", "languages", "subtitles")
_NAMES = tuple(f.name for f in fields(Parsed))
_VALUES = attrgetter(*_NAMES)
_BLANK = ParsedRelease()
_CACHE_SIZE = 65_536


class _ParseCache:
    """The names parsed last, the least recently used dropped first. An `OrderedDict`, not `lru_cache`: its
    entries are no objects the cyclic garbage collector walks, where `lru_cache` adds a list per name, and a
    search that parses thousands of new names pays for every full pass of the collector over them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.parsed: OrderedDict[str, Parsed] = OrderedDict()

    def __call__(self, name: str) -> Parsed:
        found = self.parsed.get(name)
        if found is not None:
            self.parsed.move_to_end(name)
            return found
        found = self.parsed[name] = parse(name)
        if len(self.parsed) > self.size:
            self.parsed.popitem(last=False)
        return found

    def cache_clear(self) -> None:
        self.parsed.clear()


_parse_cached = _ParseCache(_CACHE_SIZE)


def parse_release(name: str) -> ParsedRelease:
    """Title, year, season/episodes, resolution, source, codec, group... as far as the name tells.

    Never raises: a name the parser chokes on is a release we know nothing about, not a failed search.
    """
    try:
        found = _parse_cached(name)
    except Exception:
        log.warning("cannot parse release name %r", name, exc_info=True)
        return ParsedRelease()
    given = dict(zip(_NAMES, _VALUES(found)))
    # every list is a fresh one: the cache keeps tuples, and a caller may change its model
    for key in _LIST_FIELDS:
        given[key] = list(given[key])
    # A copy of a blank model updated with our own typed values: validating them again would only cost time
    # (a third of a whole search's parse-and-rank).
    return _BLANK.model_copy(update=given)
