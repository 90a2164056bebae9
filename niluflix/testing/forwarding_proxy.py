"""A reverse proxy on this machine that says it forwards: it adds `X-Forwarded-For` to every request it passes
on, WebSocket handshakes included, as nginx or Caddy in front of NiluFlix would.

Tests of the "a proxied request is someone else's" rule go through it; a browser's own extra headers are no
substitute, since some Chromium builds leave them off WebSocket handshakes. Each connection carries one
request (`Connection: close` is asked for, unless it upgrades to a WebSocket); after its head, bytes pass
through unchanged both ways.
"""

import socket
import threading
from typing import Self

HEAD_END = b"\r\n\r\n"
MAX_HEAD = 64 * 1024


def _rewrite(head: bytes, forwarded_for: str) -> bytes:
    request_line, *lines = head.decode("latin-1").split("\r\n")
    upgrade = any(line.lower().startswith("upgrade:") for line in lines)
    kept = [line for line in lines if upgrade or not line.lower().startswith("connection:")]
    if not upgrade:
        kept.append("Connection: close")
    kept.append(f"X-Forwarded-For: {forwarded_for}")
    return "\r\n".join([request_line, *kept]).encode("latin-1") + HEAD_END


def _pipe(source: socket.socket, target: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            target.sendall(chunk)
    except OSError:
        pass
    finally:
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class ForwardingProxy:
    def __init__(self, upstream_port: int, *, forwarded_for: str = "203.0.113.9") -> None:
        self._upstream = ("127.0.0.1", upstream_port)
        self._forwarded_for = forwarded_for
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, name="forwarding-proxy", daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        head = b""
        while HEAD_END not in head and len(head) < MAX_HEAD:
            chunk = client.recv(65536)
            if not chunk:
                client.close()
                return
            head += chunk
        head, _, rest = head.partition(HEAD_END)
        try:
            upstream = socket.create_connection(self._upstream)
        except OSError:  # the server is gone (a test ending while the browser still reconnects)
            client.close()
            return
        upstream.sendall(_rewrite(head, self._forwarded_for) + rest)
        threading.Thread(target=_pipe, args=(client, upstream), daemon=True).start()
        _pipe(upstream, client)
        client.close()
        upstream.close()

    def close(self) -> None:
        self._stopped.set()
        self._listener.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
