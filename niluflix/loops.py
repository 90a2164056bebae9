"""Background loops: a step run when woken or every so many seconds, whose last error health shows."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

log = logging.getLogger(__name__)

Step = Callable[[], Awaitable[object]]


class Leadership(Protocol):
    """A lease that one replica at a time holds (the downloader's `Lease`)."""

    async def hold(self) -> bool: ...

    async def release(self) -> None: ...


class Loop:
    """Runs `step` at start, then whenever woken (`wake()`, or someone sets `wake_on`) or `every` seconds.

    A step that fails is tried again at the next round; the loop logs when it starts failing and when it works
    again, not every round, and keeps the error in `last_error` (the service's health shows it) until a step
    succeeds. With a `lease`, the step runs only in the replica holding it; the others run `standby` (say, let
    go of what only the leader may hold). `on_stop` runs once the loop has stopped, before the lease is
    released: the place for a last flush while the connection still works.
    """

    def __init__(
        self,
        name: str,
        step: Step,
        *,
        every: float,
        wake_on: asyncio.Event | None = None,
        lease: Leadership | None = None,
        standby: Step | None = None,
        on_stop: Step | None = None,
    ) -> None:
        self.name = name
        self._step = step
        self._every = every
        self._wake = wake_on or asyncio.Event()
        self._lease = lease
        self._standby = standby
        self._on_stop = on_stop
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.leader = lease is None
        self.last_error: str | None = None

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=self.name)

    def wake(self) -> None:
        """Run the next round now rather than at the next interval."""
        self._wake.set()

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._on_stop is not None:
            await self._on_stop()
        if self._lease is not None:
            await self._lease.release()

    async def run_once(self) -> None:
        """One round: the step (or `standby`), its error remembered rather than raised."""
        self._wake.clear()
        try:
            self.leader = await self._lease.hold() if self._lease is not None else True
            if self.leader:
                await self._step()
            elif self._standby is not None:
                await self._standby()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if self.last_error is None:
                log.warning("%s failed; trying again every %g s", self.name, self._every, exc_info=True)
            self.last_error = f"{type(exc).__name__}: {exc}"
            return
        if self.last_error is not None:
            log.info("%s works again", self.name)
            self.last_error = None

    async def _run(self) -> None:
        while not self._stopping:
            await self.run_once()
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation that arrives as
            # the wait ends, and stop() would wait for this loop for ever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._every):
                    await self._wake.wait()
