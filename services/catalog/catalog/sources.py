"""Where titles come from: TMDB when a key is set, else the built-in sample; switched live by settings."""

import logging
from collections.abc import Callable
from typing import Protocol

from catalog.sample import SampleCatalog
from niluflix.contracts.catalog import (
    EpisodeDetails,
    GetEpisode,
    GetSeason,
    GetTitle,
    ListTitles,
    SearchTitles,
    SeasonDetails,
    TitleDetails,
    TitlePage,
)
from niluflix.contracts.common import HealthCheck
from niluflix.contracts.settings import SharedSettings

log = logging.getLogger(__name__)


class TitleSource(Protocol):
    """What the catalog asks of TMDB or the sample: movies and shows alike."""

    @property
    def description(self) -> str: ...

    def health(self) -> HealthCheck: ...

    async def popular(self, request: ListTitles) -> TitlePage: ...

    async def trending(self, request: ListTitles) -> TitlePage: ...

    async def search(self, request: SearchTitles) -> TitlePage: ...

    async def details(self, request: GetTitle) -> TitleDetails: ...

    async def season(self, request: GetSeason) -> SeasonDetails: ...

    async def episode(self, request: GetEpisode) -> EpisodeDetails: ...


TmdbFactory = Callable[[str, str], TitleSource]  # (base_url, api_key) -> source


class SourceSwitch:
    """The source in use, chosen from the shared settings and swapped when they change."""

    def __init__(self, tmdb_factory: TmdbFactory, sample: TitleSource | None = None) -> None:
        self._tmdb_factory = tmdb_factory
        self._sample = sample or SampleCatalog()
        self._tmdb_identity: tuple[str, str] | None = None
        self.current: TitleSource = self._sample

    def apply(self, settings: SharedSettings) -> None:
        key = settings.tmdb_api_key.get_secret_value().strip() if settings.tmdb_api_key else ""
        if not key:
            if self.current is not self._sample:
                log.info("no TMDB key: now answering from %s", self._sample.description)
            self._tmdb_identity = None
            self.current = self._sample
            return
        identity = (settings.tmdb_base_url, key)
        if identity != self._tmdb_identity:
            self.current = self._tmdb_factory(settings.tmdb_base_url, key)
            self._tmdb_identity = identity
            log.info("now answering from %s", self.current.description)

    async def on_settings(self, settings: SharedSettings) -> None:
        self.apply(settings)

    def health(self) -> HealthCheck:
        return self.current.health()

    async def popular(self, request: ListTitles) -> TitlePage:
        return await self.current.popular(request)

    async def trending(self, request: ListTitles) -> TitlePage:
        return await self.current.trending(request)

    async def search(self, request: SearchTitles) -> TitlePage:
        return await self.current.search(request)

    async def details(self, request: GetTitle) -> TitleDetails:
        return await self.current.details(request)

    async def season(self, request: GetSeason) -> SeasonDetails:
        return await self.current.season(request)

    async def episode(self, request: GetEpisode) -> EpisodeDetails:
        return await self.current.episode(request)
