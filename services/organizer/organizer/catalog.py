"""Asking catalog what a completion leaves out (the IMDb id, sometimes the title): helpful, never required."""

import logging

from faststream.nats import NatsBroker

from niluflix.contracts import catalog
from niluflix.contracts.catalog import GetTitle, TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.errors import ServiceError
from niluflix.messaging import request

log = logging.getLogger(__name__)


class CatalogLookup:
    def __init__(self, broker: NatsBroker, *, timeout: float, subject: str = catalog.DETAILS) -> None:
        self._broker = broker
        self._timeout = timeout
        self._subject = subject

    async def details(self, tmdb_id: int, media_type: MediaType = MediaType.MOVIE) -> TitleDetails | None:
        """The title's details, or None when catalog is off, down or does not know it.

        A movie is filed without its IMDb id rather than left waiting for catalog.
        """
        if self._timeout <= 0:
            return None
        try:
            return await request(
                self._broker,
                self._subject,
                GetTitle(tmdb_id=tmdb_id, media_type=media_type),
                TitleDetails,
                timeout=self._timeout,
            )
        except ServiceError as exc:
            log.info("no details from catalog for tmdb %s: %s", tmdb_id, exc.message)
        except Exception as exc:  # noqa: BLE001 - a malformed reply must not stop the import
            log.warning("catalog's reply for tmdb %s was unusable: %s", tmdb_id, exc)
        return None
