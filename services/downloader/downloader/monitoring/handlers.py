"""The follow subjects (`niluflix.contracts.follows`) and the consumer of the indexers' RSS sightings."""

import logging
from typing import Annotated

from faststream import Context
from faststream.nats import JStream, NatsRouter

from downloader.monitoring.monitor import Monitor
from niluflix.contracts import follows, search
from niluflix.contracts.follows import Follow, FollowList, FollowRef, ListFollows, SetFollow
from niluflix.contracts.search import ReleasesSeen
from niluflix.errors import NotFound, RemoteError
from niluflix.messaging import durable_consumer, rpc_queue, rpc_router

MONITOR = "monitor"
MonitorDep = Annotated[Monitor, Context(MONITOR)]

QUEUE = rpc_queue("downloader")
RSS_CONSUMER = "downloader-monitor-rss"

log = logging.getLogger("downloader.actions")


def build_monitoring_router() -> NatsRouter:
    rpc = rpc_router()

    @rpc.subscriber(follows.SET, queue=QUEUE)
    async def set_follow(req: SetFollow, monitor: MonitorDep) -> Follow:
        """Follow a show (or change how); its wanted episodes are looked for at once."""
        try:
            show = await monitor.peers.show(req.tmdb_id)
        except RemoteError as exc:
            raise NotFound(f"no show {req.tmdb_id} in the catalog: {exc.message}") from exc
        follow = await monitor.follows.save(req, show.title)
        log.info("following %s: %s, profile %s", follow.title, follow.describe(), follow.profile or "default")
        monitor.check_soon(follow.tmdb_id)
        return follow

    @rpc.subscriber(follows.REMOVE, queue=QUEUE)
    async def remove_follow(req: FollowRef, monitor: MonitorDep) -> Follow:
        follow = await monitor.follows.remove(req.tmdb_id)
        log.info("no longer following %s", follow.title)
        return follow

    @rpc.subscriber(follows.LIST, queue=QUEUE)
    async def list_follows(req: ListFollows, monitor: MonitorDep) -> FollowList:
        return FollowList(follows=await monitor.follows.all())

    # An event consumer, not an RPC handler: an error must reach the ack policy so the sighting is redelivered.
    events = NatsRouter()

    @events.subscriber(
        search.RELEASES_SEEN,
        # Made by `start_monitoring` before the subscribers start; not re-declared per broker.
        stream=JStream(search.EVENTS_STREAM, declare=False),
        **durable_consumer(RSS_CONSUMER),
    )
    async def releases_seen(event: ReleasesSeen, monitor: MonitorDep) -> None:
        await monitor.releases_seen(event)

    router = NatsRouter()
    router.include_router(rpc)
    router.include_router(events)
    return router
