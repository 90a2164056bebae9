"""Two `niluflix up` on one data directory at the same moment: one starts, the other says who runs."""

import signal

import pytest

from niluflix.runtime.data_lock import check_free

from .conftest import niluflix, wait_until_gone


@pytest.mark.timeout(120)
def test_two_ups_racing_on_one_data_dir(niluflix_up) -> None:
    ups = [niluflix_up("same", "--no-demo", "--no-ui") for _ in range(2)]
    for up in ups:
        up.wait_for_line(r"Starting NiluFlix|already running", 30)
    losers = [up for up in ups if "already running" in up.output]
    assert len(losers) == 1, [up.output for up in ups]
    loser = losers[0]
    winner = next(u for u in ups if u is not loser)

    assert loser.proc.wait(10) == 1
    data_dir = winner.data_dir.resolve()
    assert f"NiluFlix is already running from {data_dir} (pid {winner.proc.pid})" in loser.output
    assert "Stopping NiluFlix" not in loser.output  # it touched nothing of the running one
    assert winner.proc.poll() is None
    winner.wait_for_line(r"Starting NiluFlix", 10)

    # `up --detach` is refused at once too, without starting anything in the background.
    detached = niluflix(data_dir, "up", "--detach")
    assert detached.returncode == 1
    assert f"already running from {data_dir} (pid {winner.proc.pid})" in detached.stderr

    # Once the first has stopped, the data directory is free again.
    winner.proc.send_signal(signal.SIGTERM)
    assert winner.proc.wait(30) == 0
    wait_until_gone(data_dir, 10)
    check_free(data_dir)
