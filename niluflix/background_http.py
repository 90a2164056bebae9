"""A small HTTP server answering from a background thread: the demo's indexer and the test servers."""

import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class BackgroundHttpServer:
    """Listening from construction on; `stop()` returns promptly and frees the port.

    Port 0 takes a free one (see `port`). Request threads are daemons and are not waited for, so an answer
    that is held back (a slow indexer, a stalled client) never holds up `stop()`.
    """

    def __init__(
        self, handler: type[BaseHTTPRequestHandler], *, host: str = "127.0.0.1", port: int = 0, name: str
    ) -> None:
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self.port: int = self._httpd.server_address[1]
        # A short poll interval makes stop() quick: shutdown() waits for the loop's next poll.
        serve = partial(self._httpd.serve_forever, poll_interval=0.05)
        self._thread = threading.Thread(target=serve, name=f"{name}-{self.port}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout)
