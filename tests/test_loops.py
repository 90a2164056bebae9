"""Background loops: woken or on their interval, failures remembered for health and logged once."""

import asyncio
import logging

from niluflix.loops import Loop


async def eventually(check, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.01)


async def test_a_failing_step_is_remembered_until_one_succeeds_and_logged_once(caplog) -> None:
    outcomes = [OSError("disk away"), OSError("disk away"), OSError("disk away"), None]
    rounds = []

    async def step() -> None:
        rounds.append(len(rounds))
        outcome = outcomes[min(len(rounds) - 1, len(outcomes) - 1)]
        if outcome is not None:
            raise outcome

    loop = Loop("writing things", step, every=0.01)
    with caplog.at_level(logging.INFO, logger="niluflix.loops"):
        loop.start()
        await eventually(lambda: len(rounds) >= 2)
        assert loop.last_error == "OSError: disk away"
        await eventually(lambda: len(rounds) >= 5)
        await loop.stop()
    assert loop.last_error is None
    said = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert said == [
        ("WARNING", "writing things failed; trying again every 0.01 s"),
        ("INFO", "writing things works again"),
    ]


async def test_wake_runs_the_next_round_at_once_and_a_shared_event_wakes_it_too() -> None:
    rounds = 0
    written = asyncio.Event()

    async def step() -> None:
        nonlocal rounds
        rounds += 1

    loop = Loop("relay", step, every=3600, wake_on=written)
    loop.start()
    try:
        await eventually(lambda: rounds == 1)  # the first round runs at start
        loop.wake()
        await eventually(lambda: rounds == 2, timeout=1)
        written.set()  # what a store does when it commits something to send
        await eventually(lambda: rounds == 3, timeout=1)
    finally:
        await loop.stop()


class TakenLease:
    """A lease another replica holds until `free()`; records what the loop asked of it."""

    def __init__(self) -> None:
        self.ours = False
        self.released = 0

    def free(self) -> None:
        self.ours = True

    async def hold(self) -> bool:
        return self.ours

    async def release(self) -> None:
        self.released += 1


async def test_only_the_lease_holder_steps_and_stop_flushes_before_releasing_the_lease() -> None:
    lease = TakenLease()
    seen: list[str] = []

    async def step() -> None:
        seen.append("step")

    async def standby() -> None:
        seen.append("standby")

    async def last_flush() -> None:
        seen.append(f"flush, lease released {lease.released} times")

    loop = Loop("tick", step, every=0.01, lease=lease, standby=standby, on_stop=last_flush)
    loop.start()
    await eventually(lambda: seen.count("standby") >= 2)
    assert "step" not in seen and not loop.leader
    lease.free()
    await eventually(lambda: "step" in seen)
    assert loop.leader
    await loop.stop()
    assert seen[-1] == "flush, lease released 0 times"
    assert lease.released == 1
    rounds = len(seen)
    await asyncio.sleep(0.05)
    assert len(seen) == rounds  # stopped means stopped
