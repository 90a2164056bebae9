"""The search service's errors.

    SearchError
    ├── InvalidSearch (InvalidRequest)        the request cannot be searched, e.g. a blank title
    ├── NoIndexers (Unavailable)              no indexer is configured and enabled: add one in Settings
    ├── AllIndexersFailed (UpstreamError)     every indexer failed; the message says how each did
    └── IndexerError (UpstreamError)          one indexer failed; kept in its IndexerResult, not sent alone
        ├── IndexerUnreachable                connection refused, DNS, TLS, reset
        ├── IndexerTimeout                    no full answer within the indexer timeout
        ├── IndexerHttpError                  an HTTP error status without a Torznab error document
        │   └── IndexerRateLimited            429 Too Many Requests; `retry_after` seconds when it said so
        ├── TorznabError                      a Torznab `<error code=.. description=..>`, e.g. 100 Invalid API Key
        ├── FeedTooLarge                      the answer exceeds the size cap
        └── MalformedFeed                     not XML, unsafe XML, an HTML page, not a Torznab document,
                                              or a provider's JSON not in its API's shape

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
    # Set when the indexer said "too many requests" (a 429, whatever its body): the pool then rests it.
    rate_limited: bool = False
    retry_after: float | None = None


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


class IndexerRateLimited(IndexerHttpError):
    def __init__(self, retry_after: float | None) -> None:
        super().__init__(429, "Too Many Requests")
        if retry_after is not None:
            self.message = f"rate limited (HTTP 429), asked to wait {retry_after:.0f} s"
            self.args = (self.message,)
        self.rate_limited = True
        self.retry_after = retry_after
