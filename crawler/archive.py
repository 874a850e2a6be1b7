"""WARC evidence for one page: request + response records (+ the rendered DOM), gzipped.

One small WARC file per page, stored content-addressed (kind ``warc``). The response payload is the
body as the client received it after transfer and content decoding, so ``Content-Encoding`` and
``Transfer-Encoding`` are dropped from the archived headers and ``Content-Length`` is set to the
archived length. A rendered page adds a ``resource`` record (``text/html``) holding Chromium's DOM,
``WARC-Concurrent-To`` the response record.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

RENDERED_PROFILE = "urn:pobi:rendered-dom"
_DROP = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass
class Exchange:
    url: str  # final URL
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    method: str = "GET"
    fetched_at: datetime | None = None
    rendered_html: str | None = None  # Chromium's DOM, when rendered
    ip_address: str = ""


def _warc_date(at: datetime | None) -> str | None:
    if at is None:
        return None
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def build_warc(ex: Exchange) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    date = _warc_date(ex.fetched_at)
    extra = {"WARC-Date": date} if date else {}
    if ex.ip_address:
        extra["WARC-IP-Address"] = ex.ip_address
    try:
        reason = HTTPStatus(ex.status).phrase
    except ValueError:
        reason = "Unknown"
    headers = [(k, v) for k, v in ex.response_headers if k.lower() not in _DROP]
    headers.append(("Content-Length", str(len(ex.body))))
    http = StatusAndHeaders(f"{ex.status} {reason}", headers, protocol="HTTP/1.1")
    response = writer.create_warc_record(
        ex.url,
        "response",
        payload=io.BytesIO(ex.body),
        http_headers=http,
        warc_headers_dict=dict(extra),
    )
    parts = urlparts(ex.url)
    req_http = StatusAndHeaders(
        f"{ex.method} {parts} HTTP/1.1", list(ex.request_headers), is_http_request=True
    )
    request = writer.create_warc_record(
        ex.url,
        "request",
        payload=io.BytesIO(b""),
        http_headers=req_http,
        warc_headers_dict=dict(extra),
    )
    request.rec_headers.add_header(
        "WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID")
    )
    writer.write_record(response)
    writer.write_record(request)
    if ex.rendered_html is not None:
        dom = writer.create_warc_record(
            ex.url,
            "resource",
            payload=io.BytesIO(ex.rendered_html.encode("utf-8")),
            warc_content_type="text/html; charset=utf-8",
            warc_headers_dict={**extra, "WARC-Profile": RENDERED_PROFILE},
        )
        dom.rec_headers.add_header(
            "WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID")
        )
        writer.write_record(dom)
    return buf.getvalue()


def urlparts(url: str) -> str:
    from urllib.parse import urlsplit

    p = urlsplit(url)
    return (p.path or "/") + (f"?{p.query}" if p.query else "")


@dataclass
class Archived:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    rendered_html: str | None


def read_warc(data: bytes) -> Archived:
    """The response (and rendered DOM) of a page WARC written by :func:`build_warc`."""
    url, status, headers, body, rendered = "", 0, [], b"", None
    for rec in ArchiveIterator(io.BytesIO(data)):
        if rec.rec_type == "response":
            url = rec.rec_headers.get_header("WARC-Target-URI") or ""
            status = int(rec.http_headers.get_statuscode() or 0)
            headers = list(rec.http_headers.headers)
            body = rec.content_stream().read()
        elif (
            rec.rec_type == "resource"
            and rec.rec_headers.get_header("WARC-Profile") == RENDERED_PROFILE
        ):
            rendered = rec.content_stream().read().decode("utf-8", "replace")
    return Archived(url=url, status=status, headers=headers, body=body, rendered_html=rendered)
