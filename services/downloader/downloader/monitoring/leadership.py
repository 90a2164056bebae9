"""The monitor runs in the replica that runs the download tick: it follows the tick's lease, never takes it."""

import asyncio

from downloader.jobs.lease import Lease


class FollowTickLease:
    """Leadership while the tick's lease is held; at start it waits a little for the tick to take it."""

    def __init__(self, lease: Lease, *, wait: float) -> None:
        self._lease = lease
        self._wait = wait

    async def hold(self) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._wait
        while not self._lease.held and loop.time() < deadline:
            await asyncio.sleep(0.1)
        return self._lease.held

    async def release(self) -> None:
        """The tick releases its lease itself."""
