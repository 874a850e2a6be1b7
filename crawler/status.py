"""One classifier for every fetch outcome: a :class:`~pobi.models.FetchStatus` and a short detail.

The engine calls :func:`classify` for every request it made (or refused to make): with the
exception an errback received, or with the HTTP status and content type of a response. Refusals
the engine itself decides (robots, size, private address, redirect loop, off-site redirect) are
recognised from the marker the guard puts in ``request.meta['pobi_refusal']`` or from Scrapy's own
messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from pobi.models import FetchStatus

HTML_TYPES = ("text/html", "application/xhtml+xml")
#  Scrapy exception class names -> status (matched by name so this module needs no Scrapy import)
_BY_NAME = {
    "CannotResolveHostError": FetchStatus.DNS_ERROR,
    "DNSLookupError": FetchStatus.DNS_ERROR,
    "DNSUnknownError": FetchStatus.DNS_ERROR,
    "gaierror": FetchStatus.DNS_ERROR,
    "DownloadConnectionRefusedError": FetchStatus.REFUSED,
    "ConnectionRefusedError": FetchStatus.REFUSED,
    "DownloadTimeoutError": FetchStatus.TIMEOUT,
    "TimeoutError": FetchStatus.TIMEOUT,
    "TCPTimedOutError": FetchStatus.TIMEOUT,
    "UserTimeout": FetchStatus.TIMEOUT,
}
_TLS_WORDS = ("ssl", "tls", "certificate", "handshake")


@dataclass(frozen=True)
class Outcome:
    status: FetchStatus
    detail: str = ""


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        out.append(e)
        for nxt in (e.__cause__, e.__context__):
            if nxt is not None:
                todo.append(nxt)
        # twisted's ResponseFailed / ResponseNeverReceived keep their reasons as Failures
        for reason in getattr(e, "reasons", None) or []:
            value = getattr(reason, "value", reason)
            if isinstance(value, BaseException):
                todo.append(value)
    return out


def _text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def classify(
    *,
    exc: BaseException | None = None,
    http_status: int | None = None,
    content_type: str = "",
    refusal: str = "",
) -> Outcome:
    """The status of one fetch: from a refusal marker, an exception, or a response."""
    if refusal:
        status, _, detail = refusal.partition(":")
        return Outcome(FetchStatus(status), detail.strip())
    if exc is not None:
        return _from_exception(exc)
    if http_status is None:
        return Outcome(FetchStatus.NETWORK_ERROR, "no response and no error")
    if 400 <= http_status < 500:
        return Outcome(FetchStatus.HTTP_4XX, f"HTTP {http_status}")
    if http_status >= 500:
        return Outcome(FetchStatus.HTTP_5XX, f"HTTP {http_status}")
    if 300 <= http_status < 400:
        return Outcome(FetchStatus.NETWORK_ERROR, f"HTTP {http_status} without a usable Location")
    media = content_type.split(";", 1)[0].strip().lower()
    if media and not media.startswith(HTML_TYPES) and not media.startswith("text/"):
        return Outcome(FetchStatus.NOT_HTML, media)
    return Outcome(FetchStatus.OK)


def _from_exception(exc: BaseException) -> Outcome:
    chain = _chain(exc)
    first = _text(exc)
    message = " ".join(str(e) for e in chain).lower()
    names = [type(e).__name__ for e in chain]
    if "forbidden by robots.txt" in message:
        return Outcome(FetchStatus.ROBOTS_BLOCKED, "robots.txt disallows this URL for our agent")
    if "max redirections" in message:
        return Outcome(FetchStatus.REDIRECT_LOOP, "too many redirects")
    if "download max size" in message or "exceeded download_maxsize" in message:
        return Outcome(FetchStatus.TOO_LARGE, first)
    if any(w in message for w in _TLS_WORDS) or any(
        n in {"SSLError", "Error"} and "OpenSSL" in type(e).__module__
        for n, e in zip(names, chain, strict=True)
    ):
        return Outcome(FetchStatus.TLS_ERROR, first)
    for name in names:
        if name in _BY_NAME:
            return Outcome(_BY_NAME[name], first)
    if "dns lookup failed" in message or "name or service not known" in message:
        return Outcome(FetchStatus.DNS_ERROR, first)
    if "connection was refused" in message:
        return Outcome(FetchStatus.REFUSED, first)
    if "took longer than" in message or "timed out" in message:
        return Outcome(FetchStatus.TIMEOUT, first)
    if any(n in {"UnicodeDecodeError", "LookupError"} for n in names):
        return Outcome(FetchStatus.DECODE_ERROR, first)
    return Outcome(FetchStatus.NETWORK_ERROR, first)
