"""Which titles are in the library or downloading, for the words over their posters."""

from niluflix.contracts.common import MediaType
from ui.components.posters import DOWNLOADING, IN_LIBRARY, Badges
from ui.errors import GatewayError
from ui.gateway_client import GatewayClient


def title_badges(client: GatewayClient) -> Badges:
    """Read once per page run; a part the gateway cannot list leaves its badges out, never the page."""
    badges: dict[tuple[MediaType, int], str] = {}
    try:
        for job in client.active_downloads().jobs:
            badges[(job.media_type, job.tmdb_id)] = DOWNLOADING
    except GatewayError:
        pass
    try:
        for item in client.library().items:
            if item.tmdb_id is not None:
                badges[(MediaType.MOVIE, item.tmdb_id)] = IN_LIBRARY
    except GatewayError:
        pass
    try:
        for show in client.library_shows():
            if show.tmdb_id is not None:
                badges.setdefault((MediaType.TV, show.tmdb_id), IN_LIBRARY)
    except GatewayError:
        pass
    return badges
