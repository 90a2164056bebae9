"""Why the remote web UI could not do something, worded for the person holding the phone.

RemoteError                   (ServiceError; .message is shown as is)
├── ProjectUnreachable        the Supabase project does not answer (Unavailable)
├── ProjectRejected           the project answered with an error (a refused sign-in, row-level security)
└── TmdbError                 TMDB failed or refused the key (UpstreamError)
"""

from niluflix.errors import ServiceError, Unavailable, UpstreamError


class RemoteError(ServiceError):
    pass


class ProjectUnreachable(RemoteError, Unavailable):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"Your Supabase project at {url} does not answer. Check the connection and try again."
        )
        self.url = url


class ProjectRejected(RemoteError):
    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.supabase_code = code


class TmdbError(RemoteError, UpstreamError):
    pass
