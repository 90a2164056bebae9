"""Following 500 shows: indexer requests per cycle with RSS (one per indexer, whatever the number of shows)
against a per-show search baseline (one search per followed show), measured in the same run on a loopback
Torznab indexer holding the newest 100 TV releases; and each cycle's time.

The RSS cycle is the search service's own poller (read the feed, skip items seen, parse the new ones,
publish them on JetStream); the baseline is the search service's own indexer pool asked once per show for its
next episode, as a monitor without RSS would do every cycle.

    .venv/bin/python bench/rss_polling.py [--shows 500] [--cycles 3]
"""

import argparse
import asyncio
import hashlib
import time
from urllib.parse import quote

import httpx
import nats
from search.indexers.base import SearchQuery
from search.indexers.pool import IndexerPool
from search.rss.poller import RssPoller

from niluflix.contracts.common import MediaType
from niluflix.contracts.settings import IndexerSettings
from niluflix.demo.torznab import DEFAULT_API_KEY, TV, TorznabItem, TorznabServer
from niluflix.testing.nats_server import embedded_nats


def item(show: int, episode: int) -> TorznabItem:
    title = f"Followed.Show.{show}.S01E{episode:02d}.1080p.WEB-DL.x264-BENCH"
    info_hash = hashlib.sha1(title.encode()).hexdigest()
    return TorznabItem(
        title, size=1_500_000_000, seeders=10, magnet_uri=f"magnet:?xt=urn:btih:{info_hash}&dn={quote(title)}",
        category=TV + 40,
    )  # fmt: skip


async def run(shows: int, cycles: int) -> None:
    with TorznabServer([item(s, 1) for s in range(100)]) as server, embedded_nats() as url:
        nc = await nats.connect(url)
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=20)) as http:
            pool = IndexerPool(http, timeout=30, max_feed_bytes=10 << 20)
            pool.configure([IndexerSettings(name="Loopback", url=server.url, api_key=DEFAULT_API_KEY)])
            poller = RssPoller(pool, nc.jetstream(), every=900, timeout=30)

            rss_requests, rss_times = [], []
            for cycle in range(cycles):
                server.add(*(item(s, cycle + 2) for s in range(cycle * 10, cycle * 10 + 10)))
                before = len(server.queries)
                started = time.perf_counter()
                await poller.poll()
                rss_times.append(time.perf_counter() - started)
                rss_requests.append(len(server.queries) - before)

            await pool.search(SearchQuery(title="warm caps", media_type=MediaType.TV))  # caps read once
            search_requests, search_times = [], []
            for _ in range(cycles):
                before = len(server.queries)
                started = time.perf_counter()
                await asyncio.gather(
                    *(
                        pool.search(
                            SearchQuery(
                                title=f"Followed Show {s}", media_type=MediaType.TV, season=1, episodes=(2,)
                            )
                        )
                        for s in range(shows)
                    )
                )
                search_times.append(time.perf_counter() - started)
                search_requests.append(len(server.queries) - before)
        await nc.close()

    rss_req, search_req = max(rss_requests), min(search_requests)
    rss_s, search_s = min(rss_times), min(search_times)
    print(f"following {shows} shows, 1 indexer, best of {cycles} cycles")
    print(f"  RSS cycle:           {rss_req} request(s) per indexer, {rss_s * 1000:.0f} ms")
    print(f"  per-show searches:   {search_req} requests per indexer, {search_s * 1000:.0f} ms")
    print(
        f"  requests ratio:      1 : {search_req / rss_req:.0f}  (RSS / per-show = {rss_req / search_req:.4f})"
    )
    print(f"  cycle time ratio:    {rss_s / search_s:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shows", type=int, default=500)
    parser.add_argument("--cycles", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.shows, args.cycles))


if __name__ == "__main__":
    main()
