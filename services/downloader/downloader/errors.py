"""The downloader's errors.

    DownloaderError
    ├── JobNotFound             (NotFound)     no job with that id
    ├── InvalidDownload         (InvalidRequest) the request cannot be a download (a show without a season)
    ├── UnknownTitle            (NotFound)     catalog knows no such title, season or episode
    ├── JobConflict             (Conflict)     the job's state does not allow it (cancel a completed job), or
    │                                          the movie is in the library already (ask with replace)
    ├── PeerUnavailable         (Unavailable)  catalog, search or the torrent client did not answer: retry later
    └── ReleaseUnusable         (UpstreamError) this release cannot be downloaded: blocklist it, try the next

Handlers let them reach the RPC middleware, which replies with their code; the engine uses the split
between "retry later" and "give up on this release".
"""

from niluflix.errors import Conflict, InvalidRequest, NotFound, ServiceError, Unavailable, UpstreamError


class DownloaderError(ServiceError):
    pass


class JobNotFound(DownloaderError, NotFound):
    pass


class InvalidDownload(DownloaderError, InvalidRequest):
    pass


class UnknownTitle(DownloaderError, NotFound):
    pass


class JobConflict(DownloaderError, Conflict):
    pass


class PeerUnavailable(DownloaderError, Unavailable):
    pass


class ReleaseUnusable(DownloaderError, UpstreamError):
    pass
