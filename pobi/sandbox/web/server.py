"""One threaded stdlib HTTP server per simulated host, each on its own loopback address."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pobi.sandbox.world import Host, Page, encode_1258, resolve

SERVER_NAME = "pobi-sandbox"


def encode_body(page: Page, bases: dict[str, str]) -> bytes:
    if isinstance(page.body, bytes):
        return page.body
    text = resolve(page.body, bases)
    if page.encoding.lower() in ("windows-1258", "cp1258"):
        return encode_1258(text)
    return text.encode(page.encoding)


def content_type(page: Page) -> str:
    if page.content_type.startswith("text/") or page.content_type.endswith("javascript"):
        return f"{page.content_type}; charset={page.encoding}"
    return page.content_type


def calendar_page(prefix: str, query: str) -> str:
    """An endless calendar: every day links to the previous and the next day (a crawler trap)."""
    raw = parse_qs(query).get("ngay", ["2025-03-03"])[0]
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = date(2025, 3, 3)
    prev, nxt = day - timedelta(days=1), day + timedelta(days=1)
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Lịch công tác '
        f"{day:%d/%m/%Y}</title></head><body><h1>Lịch công tác ngày {day:%d/%m/%Y}</h1>"
        f'<a href="{prefix}?ngay={prev}">Ngày trước</a> <a href="{prefix}?ngay={nxt}">Ngày sau</a>'
        f'<a href="{prefix}?ngay={nxt}&amp;in=1">In lịch</a></body></html>'
    )


class HostServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(
        self, address: tuple[str, int], host: Host, bases: dict[str, str], latency_ms: int = 0
    ) -> None:
        self.host = host
        self.latency_ms = latency_ms or host.latency_ms
        self.bases = bases
        self.hits = 0
        self.hits_lock = threading.Lock()
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup of the address (80 ms+ per host)."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up early (browsers, timeouts) are normal here: stay quiet."""
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    server: HostServer
    server_version = SERVER_NAME
    sys_version = ""
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def do_GET(self) -> None:
        self.respond(head=False)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 1_000_000))
        self.send_text(405, "<h1>405</h1>Không hỗ trợ gửi trong môi trường mô phỏng.")

    def send_text(
        self, status: int, html: str, *, head: bool = False, headers: dict[str, str] | None = None
    ) -> None:
        body = html.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def respond(self, head: bool) -> None:
        srv = self.server
        host = srv.host
        with srv.hits_lock:
            srv.hits += 1
        if srv.latency_ms:
            time.sleep(srv.latency_ms / 1000)
        target = self.path
        if target.startswith(("http://", "https://")):  # absolute-form request line
            parts = urlsplit(target)
            target = parts.path + ("?" + parts.query if parts.query else "")
        if host.dead == "http500":
            self.send_text(500, "<h1>500 Internal Server Error</h1>", head=head)
            return
        if host.redirect_all_to:
            base = srv.bases[host.redirect_all_to]
            self.send_text(
                301,
                f'<a href="{base}{target}">Moved</a>',
                head=head,
                headers={"Location": base + target},
            )
            return
        path = target.split("#", 1)[0]
        if path == "/robots.txt":
            if host.robots:
                body = resolve(host.robots, srv.bases).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)
            else:
                self.send_text(404, "<h1>404</h1>", head=head)
            return
        page = host.pages.get(path)
        if page is None and host.calendar_prefix and path.startswith(host.calendar_prefix):
            query = urlsplit(path).query
            page = Page(path, calendar_page(host.calendar_prefix, query))
        if page is None:
            self.send_text(404, "<h1>404 Không tìm thấy trang</h1>", head=head)
            return
        if page.location:
            location = resolve(page.location, srv.bases)
            if location.startswith("/"):
                location = srv.bases[host.key] + location
            self.send_text(
                page.status if 300 <= page.status < 400 else 302,
                f'<a href="{location}">Moved</a>',
                head=head,
                headers={"Location": location},
            )
            return
        body = encode_body(page, srv.bases)
        self.send_response(page.status)
        self.send_header("Content-Type", content_type(page))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


def bind_dead(ip: str) -> socket.socket:
    """A socket bound to an ephemeral port that never listens: connections are refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((ip, 0))
    return sock
