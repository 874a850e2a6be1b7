"""WARC records of one page: written with warcio, read back by warcio and by our reader."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime

from warcio.archiveiterator import ArchiveIterator

from crawler.archive import Exchange, build_warc, read_warc


def _exchange(**kw: object) -> Exchange:
    body = unicodedata.normalize("NFD", "<p>Hỏi đáp</p>").encode("cp1258")
    base = {
        "url": "http://tinh.vn/hoi-dap?page=2",
        "status": 200,
        "response_headers": [
            ("Content-Type", "text/html; charset=windows-1258"),
            ("Content-Encoding", "gzip"),
            ("Transfer-Encoding", "chunked"),
            ("Content-Length", "999"),
        ],
        "body": body,
        "request_headers": [("User-Agent", "pobi/0.1")],
        "fetched_at": datetime(2026, 3, 2, 8, 30, tzinfo=UTC),
        "ip_address": "127.0.0.9",
    }
    base.update(kw)
    return Exchange(**base)  # type: ignore[arg-type]


def test_response_and_request_records_validate() -> None:
    ex = _exchange()
    data = build_warc(ex)
    assert data[:2] == b"\x1f\x8b"  # gzipped
    recs = [
        (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(data), check_digests=True)
    ]
    assert [r[0] for r in recs] == ["response", "request"]
    _rtype, warc, http, payload = recs[0]
    assert warc.get_header("WARC-Target-URI") == ex.url
    assert warc.get_header("WARC-Date") == "2026-03-02T08:30:00.000Z"
    assert warc.get_header("WARC-IP-Address") == "127.0.0.9"
    assert payload == ex.body
    assert http.get_header("Content-Encoding") is None
    assert http.get_header("Content-Length") == str(len(ex.body))
    req = recs[1][2]
    assert f"{req.protocol} {req.statusline}" == "GET /hoi-dap?page=2 HTTP/1.1"


def test_read_back_static_and_rendered() -> None:
    static = read_warc(build_warc(_exchange()))
    assert static.status == 200 and static.rendered_html is None
    assert static.body.decode("cp1258").startswith("<p>Ho")
    rendered = read_warc(build_warc(_exchange(rendered_html="<p>Địa chỉ: a@b.vn</p>")))
    assert rendered.rendered_html == "<p>Địa chỉ: a@b.vn</p>"


def test_each_fetch_is_a_distinct_file() -> None:
    a = build_warc(_exchange())
    b = build_warc(_exchange())
    assert a != b  # record ids differ: evidence of two fetches never collides
