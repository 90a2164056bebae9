"""The embedded NATS server's port, taken by another program between NiluFlix picking it and NATS binding it."""

import socket
from pathlib import Path

from niluflix.runtime.stack import Stack, StackConfig
from niluflix.testing.nats_server import port_open


def test_a_port_taken_before_nats_binds_it_moves_nats_to_the_next(tmp_path: Path) -> None:
    stack = Stack(StackConfig(data_dir=tmp_path / "data", nats_port=0, services=()))
    stack.claim_data_dir()
    stack.log_dir.mkdir(parents=True, exist_ok=True)
    try:
        stack._pick_ports()
        picked = stack.nats_port
        # Another program listens there now: the window a real start cannot close between check and bind.
        with socket.create_server(("127.0.0.1", picked)):
            stack._start_nats()
            assert stack.nats_port != picked
            assert port_open("127.0.0.1", stack.nats_port)
            assert stack.nats_url == f"nats://127.0.0.1:{stack.nats_port}"
    finally:
        stack.stop()
