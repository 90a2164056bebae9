"""The catalog's errors.

    niluflix.errors.ServiceError
    ├── NotFound
    │   ├── TitleNotFound           no movie or show with this id
    │   ├── SeasonNotFound          the show has no such season
    │   └── EpisodeNotFound         no episode with this id (or not seen yet: open its season first)
    └── UpstreamError
        └── TmdbError               TMDB failed: network, timeout, 5xx, unreadable answer
            ├── TmdbRateLimited     429 beyond what a request may wait
            └── TmdbKeyRejected     401: the key in Settings is wrong

A `transient` TMDB error may pass (retry later, or serve a stale cached answer meanwhile); a rejected
key will not pass until someone changes the settings.
"""

from niluflix.errors import NotFound, UpstreamError


class TitleNotFound(NotFound):
    pass


class SeasonNotFound(NotFound):
    pass


class EpisodeNotFound(NotFound):
    pass


class TmdbError(UpstreamError):
    transient = True


class TmdbRateLimited(TmdbError):
    pass


class TmdbKeyRejected(TmdbError):
    transient = False

    def __init__(self) -> None:
        super().__init__("TMDB rejected the API key: check the TMDB key in Settings")
