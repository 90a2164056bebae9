"""The search service's errors.

    SearchError
    ├── InvalidSearch (InvalidRequest)        the request cannot be searched, e.g. a blank title
    ├── NoIndexers (Unavailable)              no indexer is configured and enabled: add one in Settings
    ├── AllIndexersFailed (UpstreamError)     every indexer failed; the message says how each did
    └── IndexerError (UpstreamError)          one indexer failed; kept in its IndexerResult, not sent alone
        ├── IndexerUnreachable                connection refused, DNS, TLS, reset
        ├── IndexerTimeout                    no full answer within the indexer timeout
        ├── IndexerHttpError                  an HTTP error status without a Torznab error document
        ├── TorznabError                      a Torznab `<error code=.. description=..>`, e.g. 100 Invalid API Key
        ├── FeedTooLarge                      the answer exceeds the size cap
        └── MalformedFeed                     not XML, unsafe XML, an HTML page, or not a Torznab document

Messages never hold an indexer URL: its query carries the API key.
"""

from niluflix.errors import InvalidRequest, ServiceError, Unavailable, UpstreamError


class SearchError(ServiceError):
    pass


class InvalidSearch(SearchError, InvalidRequest):
    pass


class NoIndexers(SearchError, Unavailable):
    pass


class AllIndexersFailed(SearchError, UpstreamError):
    pass


class IndexerError(SearchError, UpstreamError):
    pass


class IndexerUnreachable(IndexerError):
    pass


class IndexerTimeout(IndexerError):
    pass


class IndexerHttpError(IndexerError):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"HTTP {status} {reason}".strip())
        self.status = status


class TorznabError(IndexerError):
    def __init__(self, code: int | None, description: str) -> None:
        what = description or "the indexer reported an error"
        super().__init__(f"{what} (Torznab error {code})" if code is not None else what)
        self.torznab_code = code
        self.description = description


class FeedTooLarge(IndexerError):
    pass


class MalformedFeed(IndexerError):
    pass
