"""The catalog's NATS subjects: popular, trending, search, details, season, episode (request/reply).

Health is the runner's.
"""

from faststream.nats import NatsRouter

from catalog.deps import SourcesDep
from niluflix.contracts import catalog as contract
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
from niluflix.messaging import rpc_queue, rpc_router

SERVICE = "catalog"


def build_router() -> NatsRouter:
    """A fresh router per app, so two apps in one process (tests) do not share handlers."""
    router = rpc_router()
    queue = rpc_queue(SERVICE)

    @router.subscriber(contract.POPULAR, queue=queue, title="catalog.popular")
    async def popular(request: ListTitles, sources: SourcesDep) -> TitlePage:
        """The most popular movies or shows now."""
        return await sources.popular(request)

    @router.subscriber(contract.TRENDING, queue=queue, title="catalog.trending")
    async def trending(request: ListTitles, sources: SourcesDep) -> TitlePage:
        """The movies or shows trending this day or week."""
        return await sources.trending(request)

    @router.subscriber(contract.SEARCH, queue=queue, title="catalog.search")
    async def search(request: SearchTitles, sources: SourcesDep) -> TitlePage:
        """Movies or shows whose title matches the query."""
        return await sources.search(request)

    @router.subscriber(contract.DETAILS, queue=queue, title="catalog.details")
    async def details(request: GetTitle, sources: SourcesDep) -> TitleDetails:
        """Everything search and the organizer need about one movie or show."""
        return await sources.details(request)

    @router.subscriber(contract.SEASON, queue=queue, title="catalog.season")
    async def season(request: GetSeason, sources: SourcesDep) -> SeasonDetails:
        """One season of a show, with its episodes."""
        return await sources.season(request)

    @router.subscriber(contract.EPISODE, queue=queue, title="catalog.episode")
    async def episode(request: GetEpisode, sources: SourcesDep) -> EpisodeDetails:
        """One episode by TMDB's episode id, as a season or a show's details named it."""
        return await sources.episode(request)

    return router
