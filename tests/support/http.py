"""A vendor's HTTP API played on loopback: the adapters' tests send real requests to it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RecordingHandler(BaseHTTPRequestHandler):
    """Reads a request, lets ``record`` note what matters, and answers the server's status."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.requests.append(self.record(body))  # type: ignore[attr-defined]
        self.send_response(self.server.status)  # type: ignore[attr-defined]
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def record(self, body: bytes) -> dict[str, object]:
        raise NotImplementedError

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def local_server(handler: type[BaseHTTPRequestHandler], *, status: int) -> Iterator[ThreadingHTTPServer]:
    """A server on a free port whose handler records each request in ``server.requests`` and
    answers ``server.status`` (which a test may change)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests = []  # type: ignore[attr-defined]
    server.status = status  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
