"""A port found free may be taken by another program before the gateway binds it: the stack moves on."""

import socket
from pathlib import Path

from niluflix.runtime.stack import Stack, StackConfig
from niluflix.testing.nats_server import port_open


def test_a_port_taken_before_the_gateway_binds_it_moves_the_gateway_to_the_next(tmp_path: Path) -> None:
    stack = Stack(StackConfig(data_dir=tmp_path / "data", nats_port=0, gateway_port=0, services=("gateway",)))
    try:
        stack.claim_data_dir()
        stack.log_dir.mkdir(parents=True, exist_ok=True)
        stack._pick_ports()
        stack._start_nats()
        picked = stack.gateway_port
        # Another program listens there now: the window a real start cannot close between check and bind.
        with socket.create_server(("127.0.0.1", picked)):
            stack.start_service("gateway")
            stack.wait_ready(timeout=60)
            assert stack.gateway_port != picked
            assert port_open("127.0.0.1", stack.gateway_port)
            assert stack.gateway_url.endswith(f":{stack.gateway_port}")
    finally:
        stack.stop()
