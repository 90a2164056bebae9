"""Built-in providers that need no Jackett: YTS (movies), EZTV (TV) and The Pirate Bay's JSON API.

Each speaks its site's own JSON and answers through the same `Indexer` interface as a Torznab indexer.
All are off until switched on in Settings, each with a base URL so a mirror can stand in.
"""

from search.indexers.providers.eztv import EztvProvider
from search.indexers.providers.tpb import TpbProvider
from search.indexers.providers.yts import YtsProvider

__all__ = ["EztvProvider", "TpbProvider", "YtsProvider"]
