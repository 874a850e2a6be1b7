"""Small real HTTP servers on loopback for engine edge cases (robots, redirects, sizes, traps).

Each :class:`Site` listens on its own 127.0.0.X address and an ephemeral port, like the farm; the
routes are plain data. Addresses are picked from a high range (127.0.0.200+) per xdist worker so
two workers never collide with each other or with the farm (which starts at 127.0.0.2).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

Route = tuple[int, dict[str, str], bytes] | Callable[[str], tuple[int, dict[str, str], bytes]]


def _worker_index() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    digits = "".join(c for c in worker if c.isdigit()) or "0"
    return int(digits) % 50


_next = {"n": 0}
_lock = threading.Lock()


def next_ip() -> str:
    with _lock:
        n = _next["n"]
        _next["n"] += 1
    return f"127.0.{200 + _worker_index()}.{10 + n % 240}"


def html(body: str, *, status: int = 200, headers: dict[str, str] | None = None) -> Route:
    return (status, {"Content-Type": "text/html; charset=utf-8", **(headers or {})}, body.encode())


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    robots: str = ""
    ip: str = field(default_factory=next_ip)
    hits: list[str] = field(default_factory=list)
    delay: float = 0.0
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://{self.ip}:{self.server.server_address[1]}"

    def start(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.hits.append(self.path)
                if site.delay:
                    time.sleep(site.delay)
                path = urlsplit(self.path).path
                full = self.path
                if path == "/robots.txt" and site.robots:
                    self._send(200, {"Content-Type": "text/plain"}, site.robots.encode())
                    return
                route = site.routes.get(full) or site.routes.get(path)
                if route is None:
                    self._send(404, {"Content-Type": "text/html"}, b"<h1>404</h1>")
                    return
                status, headers, body = route(full) if callable(route) else route
                self._send(status, headers, body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v.replace("{base}", site.base))
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body.replace(b"{base}", site.base.encode()))
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer((self.ip, 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def closed_port_url() -> str:
    """A URL where nothing listens (connection refused)."""
    ip = next_ip()
    with socket.socket() as s:
        s.bind((ip, 0))
        port = s.getsockname()[1]
    return f"http://{ip}:{port}/"


class Silent:
    """Accepts connections and never answers (a timeout)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.ip = next_ip()
        self.sock.bind((self.ip, 0))
        self.sock.listen(16)
        self.url = f"http://{self.ip}:{self.sock.getsockname()[1]}/"

    def stop(self) -> None:
        self.sock.close()
