"""The fetch-status classifier, fed with the real exceptions Scrapy and Twisted raise."""

from __future__ import annotations

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from twisted.internet import error as tx
from twisted.python.failure import Failure
from twisted.web.client import ResponseFailed

from crawler.status import classify
from pobi.models import FetchStatus


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (
            CannotResolveHostError("DNS lookup failed: no results for hostname lookup: x.test."),
            FetchStatus.DNS_ERROR,
        ),
        (tx.DNSLookupError("x.test"), FetchStatus.DNS_ERROR),
        (
            DownloadConnectionRefusedError("Connection was refused by other side: 111"),
            FetchStatus.REFUSED,
        ),
        (tx.ConnectionRefusedError(), FetchStatus.REFUSED),
        (
            DownloadTimeoutError("Getting http://x/ took longer than 3.0 seconds."),
            FetchStatus.TIMEOUT,
        ),
        (tx.TCPTimedOutError(), FetchStatus.TIMEOUT),
        (IgnoreRequest("Forbidden by robots.txt"), FetchStatus.ROBOTS_BLOCKED),
        (IgnoreRequest("max redirections reached"), FetchStatus.REDIRECT_LOOP),
        (
            DownloadCancelledError(
                "Expected to receive 9000000 bytes which is larger than download max size (5000000) in request <GET http://x/>."
            ),
            FetchStatus.TOO_LARGE,
        ),
        (
            IgnoreRequest(
                "Ignored response because its body (10 B compressed, 6000000 B decompressed so far) exceeded DOWNLOAD_MAXSIZE (5000000 B) during decompression."
            ),
            FetchStatus.TOO_LARGE,
        ),
        (tx.ConnectionLost("peer reset"), FetchStatus.NETWORK_ERROR),
        (ValueError("something else"), FetchStatus.NETWORK_ERROR),
    ],
)
def test_exceptions(exc: BaseException, status: FetchStatus) -> None:
    assert classify(exc=exc).status == status


def test_tls_failure_inside_response_failed() -> None:
    from OpenSSL import SSL

    inner = SSL.Error([("SSL routines", "", "certificate verify failed")])
    wrapped = ResponseFailed([Failure(inner)])
    try:
        raise DownloadFailedError(str(wrapped)) from wrapped
    except DownloadFailedError as exc:
        assert classify(exc=exc).status == FetchStatus.TLS_ERROR


@pytest.mark.parametrize(
    ("code", "ctype", "status"),
    [
        (200, "text/html; charset=utf-8", FetchStatus.OK),
        (200, "application/xhtml+xml", FetchStatus.OK),
        (200, "", FetchStatus.OK),
        (200, "application/pdf", FetchStatus.NOT_HTML),
        (404, "text/html", FetchStatus.HTTP_4XX),
        (403, "text/html", FetchStatus.HTTP_4XX),
        (500, "text/html", FetchStatus.HTTP_5XX),
        (503, "text/html", FetchStatus.HTTP_5XX),
        (302, "text/html", FetchStatus.NETWORK_ERROR),
    ],
)
def test_responses(code: int, ctype: str, status: FetchStatus) -> None:
    assert classify(http_status=code, content_type=ctype).status == status


def test_refusal_marker_wins_and_keeps_its_detail() -> None:
    out = classify(exc=IgnoreRequest("x"), refusal="private_address: db.local resolves to 10.0.0.5")
    assert out.status == FetchStatus.PRIVATE_ADDRESS
    assert "10.0.0.5" in out.detail
