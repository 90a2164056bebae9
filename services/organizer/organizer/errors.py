"""The organizer's errors.

    OrganizerError
    ├── CompletionUnusable   (InvalidRequest) no safe video file in the download: trying again will not help
    ├── FilesNotReady        (Unavailable)    the download's files are missing or still short: retry later
    └── LibraryUnavailable   (Unavailable)    the library folder cannot be written: retry later
        └── LibraryFull                       no space left on its filesystem

The completion consumer turns the first into a rejected message (logged, never redelivered) and the
`Unavailable` ones into a delayed redelivery, bounded by the consumer's max_deliver.
"""

from niluflix.errors import InvalidRequest, ServiceError, Unavailable


class OrganizerError(ServiceError):
    pass


class CompletionUnusable(OrganizerError, InvalidRequest):
    pass


class FilesNotReady(OrganizerError, Unavailable):
    pass


class LibraryUnavailable(OrganizerError, Unavailable):
    pass


class LibraryFull(LibraryUnavailable):
    pass
