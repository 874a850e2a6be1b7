"""Real little web hosts on loopback for live-check tests (``pobi sites verify``/``discover``).

Each :class:`Host` listens on its own 127.0.0.X address (a range apart from the crawl farms:
127.0.150+ per xdist worker) and an ephemeral port; routes are data: ``(status, headers, body)``,
or a callable returning an iterator of body chunks (streamed, chunked: endless pages). TLS hosts
use a self-signed certificate (tests/support/mailservers.make_cert). :func:`raw_host` answers
every connection with fixed bytes (not HTTP).
"""

from __future__ import annotations

import os
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

Body = bytes | Callable[[], Iterator[bytes]]
Route = tuple[int, dict[str, str], Body]

_counter = {"n": 0}
_lock = threading.Lock()


def next_ip() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int("".join(c for c in worker if c.isdigit()) or "0") % 40
    with _lock:
        _counter["n"] += 1
        n = _counter["n"]
    return f"127.0.{150 + index}.{10 + n % 240}"


def page(title: str, text: str = "", *, status: int = 200, links: str = "") -> Route:
    body = f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
    body += f"<body><h1>{title}</h1><p>{text}</p>{links}</body></html>"
    return (status, {"Content-Type": "text/html; charset=utf-8"}, body.encode("utf-8"))


def redirect(location: str, status: int = 301) -> Route:
    return (status, {"Location": location, "Content-Type": "text/html"}, b"moved")


@dataclass
class Host:
    name: str
    routes: dict[str, Route] = field(default_factory=dict)
    robots: str = ""
    tls_cert: tuple[str, str] | None = None
    ip: str = field(default_factory=next_ip)
    hits: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        scheme = "https" if self.tls_cert else "http"
        return f"{scheme}://{self.name}:{self.port}/"

    def start(self) -> Host:
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                host.hits.append(self.path)
                path = urlsplit(self.path).path
                if path == "/robots.txt" and path not in host.routes:
                    if host.robots:
                        self._send(200, {"Content-Type": "text/plain"}, host.robots.encode())
                    else:
                        self._send(404, {"Content-Type": "text/plain"}, b"none")
                    return
                route = host.routes.get(self.path) or host.routes.get(path)
                if route is None:
                    self._send(404, {"Content-Type": "text/html"}, b"<h1>404</h1>")
                    return
                self._send(*route)

            def _send(self, status: int, headers: dict[str, str], body: Body) -> None:
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    if callable(body):
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        for chunk in body():
                            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                            self.wfile.flush()
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
                    self.close_connection = True

        server = ThreadingHTTPServer((self.ip, 0), Handler)
        server.daemon_threads = True
        if self.tls_cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*self.tls_cert)
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
        self.server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@dataclass
class RawHost:
    name: str
    answer: bytes
    ip: str = field(default_factory=next_ip)
    sock: socket.socket | None = None

    @property
    def url(self) -> str:
        assert self.sock is not None
        return f"http://{self.name}:{self.sock.getsockname()[1]}/"

    def start(self) -> RawHost:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.ip, 0))
        sock.listen(16)
        self.sock = sock

        def serve() -> None:
            while True:
                try:
                    conn, _ = sock.accept()
                except OSError:
                    return
                try:
                    conn.recv(4096)
                    conn.sendall(self.answer)
                except OSError:
                    pass
                finally:
                    conn.close()

        threading.Thread(target=serve, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.sock is not None:
            self.sock.close()


def hosts_file(path: Path, hosts: list[Host | RawHost]) -> Path:
    path.write_text("".join(f"{h.ip} {h.name}\n" for h in hosts), encoding="utf-8")
    return path
