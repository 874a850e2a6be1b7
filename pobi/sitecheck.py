"""Live check of site URLs (``pobi sites verify``): is each registry URL the unit's site?

Per URL, one polite conversation: the host's ``robots.txt`` first, then the URL, following
redirects by hand (at most :data:`MAX_REDIRECTS`). Each step is recorded: the address the name
resolved to (through :class:`pobi.hostmap.Resolver`, so tests map names to loopback addresses),
the connection, TLS (an invalid certificate is noted and the page is read anyway: many .gov.vn
certificates are misconfigured), the HTTP status, the redirect chain and final host, the page's
title, and whether the page names the unit under either era's name (diacritics-insensitive;
"Sở Tài chính" too for a finance site). The result is one :class:`pobi.models.SiteVerdict`.

Bounds: the URLs of one host are checked one after the other (one request per host at a time,
also across hosts through a lock per host), the hosts concurrently; each host has a total time
budget (robots, redirects and bodies included), and a body is read up to :data:`MAX_BYTES`, so an
endless page or a redirect loop is a verdict, never a hang. Only the standard library is used
(this is not the crawl).
"""

from __future__ import annotations

import csv
import http.client
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from pobi.hostmap import Resolver, Unresolvable
from pobi.models import Era, SiteKind, SiteVerdict, UrlSource
from pobi.registry import (
    PROVENANCE_COLUMNS,
    REGISTRY_COLUMNS,
    SITE_COLUMNS,
    Site,
    ascii_name,
    legacy_sources,
    province,
    registry_sites,
    short_name,
    successor,
)

MAX_REDIRECTS = 10
ROBOTS_REDIRECTS = 5  # RFC 9309 §2.3.1.2: follow at least five
MAX_BYTES = 2_000_000
TEXT_CHARS = 200_000
FINANCE_HEAD_CHARS = 3000  # a finance site names "Sở Tài chính" in its title or this much text
BLOCKING_STATUSES = {401, 403, 429, 451}

REPORT_COLUMNS = [
    "era",
    "province_code",
    "site_kind",
    "url",
    "verdict",
    "detail",
    "address",
    "tls",
    "http_status",
    "redirects",
    "final_url",
    "final_host",
    "title",
    "names_unit",
    "matched_name",
    "robots",
    "elapsed_s",
    "checked_at",
]


class Failure(Exception):
    """A step failed; ``verdict`` says how."""

    def __init__(self, verdict: SiteVerdict, detail: str) -> None:
        super().__init__(detail)
        self.verdict = verdict
        self.detail = detail


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    truncated: bool
    address: str


@dataclass
class Result:
    era: str
    province_code: str
    site_kind: str
    url: str
    verdict: str = ""
    detail: str = ""
    address: str = ""
    tls: str = ""
    http_status: str = ""
    redirects: str = ""  # ' -> '.join of the chain after the first URL
    final_url: str = ""
    final_host: str = ""
    title: str = ""
    names_unit: str = ""  # yes | no | ''
    matched_name: str = ""
    robots: str = ""
    elapsed_s: str = ""
    checked_at: str = ""

    def row(self) -> list[str]:
        return [str(getattr(self, f.name)) for f in fields(self)]


# --------------------------------------------------------------------------- one exchange


class Session:
    """Everything a host's worker shares: resolver, deadline, per-host locks, TLS notes."""

    def __init__(
        self,
        resolver: Resolver,
        user_agent: str,
        deadline: float,
        locks: dict[str, threading.Lock],
        locks_guard: threading.Lock,
        delay: float = 0.0,
        last: dict[str, float] | None = None,
    ) -> None:
        self.delay = delay  # seconds between two requests to one host
        self.last = last if last is not None else {}  # host -> when its last request ended
        self.resolver = resolver
        self.user_agent = user_agent
        self.deadline = deadline
        self.locks = locks
        self.locks_guard = locks_guard
        self.tls_notes: dict[str, str] = {}  # netloc -> why the certificate is not trusted
        self.robots: dict[str, tuple[RobotFileParser | None, str]] = {}

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Failure(SiteVerdict.TIMEOUT, "time for this host ran out")
        return left

    def _lock(self, netloc: str) -> threading.Lock:
        with self.locks_guard:
            return self.locks.setdefault(netloc, threading.Lock())

    def get(self, url: str) -> Answer:
        parts = urlsplit(url)
        host = parts.hostname or ""
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        lock = self._lock(f"{host}:{port}")
        if not lock.acquire(timeout=self.remaining()):
            raise Failure(SiteVerdict.TIMEOUT, f"waited for {host} too long")
        try:
            wait = self.last.get(f"{host}:{port}", 0.0) + self.delay - time.monotonic()
            if wait > 0:
                time.sleep(min(wait, self.remaining()))
            return self._get(parts.scheme, host, port, url)
        finally:
            self.last[f"{host}:{port}"] = time.monotonic()
            lock.release()

    def _connect(self, host: str, port: int, https: bool) -> tuple[socket.socket, str]:
        try:
            address = self.resolver.resolve(host)
        except Unresolvable as exc:
            raise Failure(SiteVerdict.UNREACHABLE, f"DNS: {exc}") from exc
        try:
            raw = socket.create_connection((address, port), timeout=self.remaining())
        except TimeoutError as exc:
            raise Failure(SiteVerdict.TIMEOUT, f"connect to {address}:{port} timed out") from exc
        except OSError as exc:
            raise Failure(
                SiteVerdict.UNREACHABLE, f"connect to {address}:{port}: {exc.strerror or exc}"
            ) from exc
        if not https:
            return raw, address
        key = f"{host}:{port}"
        if key not in self.tls_notes:
            ctx = ssl.create_default_context()
            try:
                return ctx.wrap_socket(raw, server_hostname=host), address
            except ssl.SSLCertVerificationError as exc:
                self.tls_notes[key] = f"certificate not trusted: {exc.verify_message or exc}"
                raw.close()
                return self._connect(host, port, https)
            except (ssl.SSLError, OSError) as exc:
                raw.close()
                raise Failure(SiteVerdict.TLS_ERROR, f"TLS handshake failed: {exc}") from exc
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        try:
            return ctx.wrap_socket(raw, server_hostname=host), address
        except (ssl.SSLError, OSError) as exc:
            raw.close()
            raise Failure(SiteVerdict.TLS_ERROR, f"TLS handshake failed: {exc}") from exc

    def _get(self, scheme: str, host: str, port: int, url: str) -> Answer:
        sock, address = self._connect(host, port, scheme == "https")
        conn = http.client.HTTPConnection(host, port, timeout=self.remaining())
        conn.sock = sock
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default = 443 if scheme == "https" else 80
        try:
            sock.settimeout(self.remaining())
            conn.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", host if port == default else f"{host}:{port}")
            conn.putheader("User-Agent", self.user_agent)
            conn.putheader("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
            conn.putheader("Accept-Language", "vi,en;q=0.5")
            conn.putheader("Connection", "close")
            conn.endheaders()
            resp = conn.getresponse()
            chunks: list[bytes] = []
            size = 0
            truncated = False
            while True:
                sock.settimeout(self.remaining())
                chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size >= MAX_BYTES:
                    truncated = True
                    break
            headers = {k.lower(): v for k, v in resp.getheaders()}
            return Answer(resp.status, headers, b"".join(chunks), truncated, address)
        except Failure:
            raise
        except http.client.RemoteDisconnected as exc:
            raise Failure(
                SiteVerdict.UNREACHABLE, "closed the connection without an answer"
            ) from exc
        except TimeoutError as exc:
            raise Failure(SiteVerdict.TIMEOUT, "no complete answer in time") from exc
        except (http.client.HTTPException, UnicodeError) as exc:
            raise Failure(SiteVerdict.GARBAGE, f"not an HTTP answer: {exc!r}"[:300]) from exc
        except ssl.SSLError as exc:
            raise Failure(SiteVerdict.TLS_ERROR, f"TLS: {exc}") from exc
        except OSError as exc:
            raise Failure(SiteVerdict.UNREACHABLE, f"connection broke: {exc}") from exc
        finally:
            conn.close()

    def allowed(self, url: str) -> tuple[bool, str]:
        """robots.txt of the URL's host (fetched once per host): (allowed, what robots said)."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self.robots:
            self.robots[key] = self._read_robots(key)
        parser, note = self.robots[key]
        if parser is None:
            return True, note
        ok = parser.can_fetch(self.user_agent, url)
        return ok, f"{note}: allows" if ok else f"{note}: disallows"

    def _read_robots(self, origin: str) -> tuple[RobotFileParser | None, str]:
        """Fetch ``origin``/robots.txt, following up to :data:`ROBOTS_REDIRECTS` redirects.

        RFC 9309 §2.3.1.2: a crawler follows at least five consecutive redirects for robots.txt,
        even to another host, and reads the rules it lands on. A 4xx means "no rules" (allowed).
        A 5xx is also read as "no rules", as the crawl (Scrapy's robots middleware) reads it, so
        that ``sites verify`` and ``pobi crawl`` agree on what they may fetch.
        """
        where = f"{origin}/robots.txt"
        seen = [where]
        for _ in range(ROBOTS_REDIRECTS + 1):
            try:
                answer = self.get(where)
            except Failure as exc:
                if exc.verdict == SiteVerdict.GARBAGE or len(seen) > 1:
                    # garbage, or a redirect target that cannot be reached: no rules to obey
                    return None, f"robots.txt unreadable ({exc.detail[:80]}): allowed"
                raise
            location = answer.headers.get("location")
            if 300 <= answer.status < 400 and location:
                nxt = urljoin(where, location.strip())
                if urlsplit(nxt).scheme not in ("http", "https") or nxt in seen:
                    return None, f"robots.txt redirect loop or bad target ({nxt[:80]}): allowed"
                seen.append(nxt)
                where = nxt
                continue
            via = f" (via {' -> '.join(seen[1:])})" if len(seen) > 1 else ""
            if answer.status == 200:
                parser = RobotFileParser()
                parser.parse(answer.body.decode("utf-8", "replace").splitlines())
                return parser, f"robots.txt read{via}"
            return None, f"robots.txt {answer.status}{via}: allowed"
        return None, f"robots.txt: more than {ROBOTS_REDIRECTS} redirects: allowed"


# --------------------------------------------------------------------------- page reading


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.parts: list[str] = []
        self.size = 0
        self._in_title = False
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in ("script", "style", "noscript"):
            self._skip += 1
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in ("script", "style", "noscript") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title and not self.title:
            self.title = " ".join(data.split())
        elif not self._skip and self.size < TEXT_CHARS:
            self.parts.append(data)
            self.size += len(data)


def decode(body: bytes, content_type: str) -> str:
    m = re.search(r"charset=([\w-]+)", content_type, re.I) or re.search(
        rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:4096], re.I
    )
    names = []
    if m:
        raw = m.group(1)
        names.append(raw.decode("ascii", "replace") if isinstance(raw, bytes) else raw)
    names += ["utf-8", "cp1258"]
    for name in names:
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")


def page_text(body: bytes, content_type: str) -> tuple[str, str]:
    """(title, visible text) of an HTML page."""
    parser = _Text()
    try:
        parser.feed(decode(body, content_type))
        parser.close()
    except Exception:  # html.parser is lenient; anything else is a broken page, read what we have
        pass
    return parser.title, " ".join(parser.parts)


def norm(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ('Bà Rịa-Vũng Tàu' -> 'ba ria vung tau')."""
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_name(text).lower()).split())


def unit_names(era: Era, code: str) -> tuple[list[str], list[str]]:
    """(the unit's own names, the other era's related names), normalised."""
    p = province(era, code)
    own = [norm(short_name(p.name))]
    if p.code == "46":
        own.append("thua thien hue")
    related = (
        [norm(short_name(successor(code).name))]
        if era == Era.LEGACY
        else [norm(short_name(x.name)) for x in legacy_sources(code)]
    )
    return own, [r for r in related if r not in own]


def _find(names: list[str], text: str) -> str:
    padded = f" {text} "
    return next((n for n in names if f" {n} " in padded), "")


# --------------------------------------------------------------------------- one URL


@dataclass
class Target:
    era: Era
    site: Site
    successor_hosts: set[str] = field(default_factory=set)
    portal_hosts: set[str] = field(default_factory=set)  # the unit's own portal (same era)


def check_one(session: Session, target: Target) -> Result:
    site = target.site
    result = Result(
        era=target.era.value,
        province_code=site.province_code,
        site_kind=site.site_kind.value,
        url=site.url,
        checked_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    started = time.monotonic()
    try:
        _walk(session, target, result)
    except Failure as exc:
        result.verdict = exc.verdict.value
        result.detail = exc.detail
    except Exception as exc:  # a bug must not lose the other rows; it is reported as a value
        result.verdict = SiteVerdict.GARBAGE.value
        result.detail = f"internal error: {exc!r}"[:300]
    result.elapsed_s = f"{time.monotonic() - started:.2f}"
    return result


def _walk(session: Session, target: Target, result: Result) -> None:
    url = target.site.url
    chain = [url]
    while True:
        ok, said = session.allowed(url)
        result.robots = said
        if not ok:
            raise Failure(SiteVerdict.BLOCKED, f"{said}: {url}")
        answer = session.get(url)
        netloc = urlsplit(url).netloc
        host, port = urlsplit(url).hostname or "", urlsplit(url).port
        key = f"{host}:{port or (443 if url.startswith('https') else 80)}"
        result.address = answer.address
        result.tls = session.tls_notes.get(key, "ok" if url.startswith("https") else "")
        result.http_status = str(answer.status)
        result.final_url = url
        result.final_host = netloc
        location = answer.headers.get("location")
        if 300 <= answer.status < 400 and location:
            nxt = urljoin(url, location.strip())
            if urlsplit(nxt).scheme not in ("http", "https"):
                raise Failure(SiteVerdict.GARBAGE, f"redirect to {nxt!r}")
            if nxt in chain or len(chain) > MAX_REDIRECTS:
                result.redirects = " -> ".join([*chain[1:], nxt])
                raise Failure(SiteVerdict.REDIRECT_LOOP, f"redirect chain repeats at {nxt}")
            chain.append(nxt)
            result.redirects = " -> ".join(chain[1:])
            url = nxt
            continue
        break
    _judge(target, result, answer)


def _judge(target: Target, result: Result, answer: Answer) -> None:
    status = answer.status
    if status in BLOCKING_STATUSES:
        raise Failure(SiteVerdict.BLOCKED, f"HTTP {status}")
    if status >= 400:
        raise Failure(SiteVerdict.HTTP_ERROR, f"HTTP {status}")
    ctype = answer.headers.get("content-type", "")
    looks_html = b"<html" in answer.body[:4096].lower() or b"<title" in answer.body[:8192].lower()
    if ctype and "html" not in ctype.lower() and not looks_html:
        raise Failure(SiteVerdict.GARBAGE, f"not a web page ({ctype})")
    if not looks_html and not ctype:
        raise Failure(SiteVerdict.GARBAGE, "no content type and no HTML")
    title, text = page_text(answer.body, ctype)
    result.title = title[:200]
    words = norm(f"{title} {text}")
    own, related = unit_names(target.era, target.site.province_code)
    own_hit = _find(own, words)
    rel_hit = _find(related, words)
    result.matched_name = own_hit or rel_hit
    names = bool(own_hit or rel_hit)
    detail = []
    if answer.truncated:
        detail.append(f"page cut at {MAX_BYTES} bytes")
    start_host = (urlsplit(target.site.url).hostname or "").lower()
    final_host = (urlsplit(result.final_url).hostname or "").lower()
    if target.site.site_kind == SiteKind.FINANCE:
        # the department names itself in its title or banner, not only in a link list below
        head = f" {norm(title)} {norm(text)[:FINANCE_HEAD_CHARS]} "
        if " so tai chinh " not in head:
            names = False
            detail.append("the page does not name 'Sở Tài chính' in its title or banner")
        elif final_host.removeprefix("www.") in target.portal_hosts:
            names = False
            detail.append("lands on the provincial portal, not the department's site")
    result.names_unit = "yes" if names else "no"
    moved = final_host.removeprefix("www.") != start_host.removeprefix("www.")
    if not names:
        verdict = SiteVerdict.WRONG_SITE
        if not detail:
            detail.append("the page names neither era's name of the unit")
    elif target.era == Era.LEGACY and (
        (moved and final_host.removeprefix("www.") in target.successor_hosts)
        or (rel_hit and not own_hit)
    ):
        verdict = SiteVerdict.REDIRECTS_TO_SUCCESSOR
        detail.append(f"now shows the successor ({rel_hit or final_host})")
    elif moved:
        verdict = SiteVerdict.MOVED
        detail.append(f"moved to {final_host}")
    else:
        verdict = SiteVerdict.OK
    if verdict in (SiteVerdict.OK, SiteVerdict.MOVED) and result.tls not in ("", "ok"):
        detail.append(result.tls)
        verdict = SiteVerdict.TLS_ERROR
    result.verdict = verdict.value
    result.detail = "; ".join(detail)


# --------------------------------------------------------------------------- many URLs


def targets_for(sites: Iterable[Site], era: Era) -> list[Target]:
    """Sites to check; a legacy row knows its successor's hosts, every row its unit's portal
    host (from the registry)."""
    registry = {e: registry_sites(e) for e in Era}

    def hosts(e: Era, code: str, kind: SiteKind | None = None) -> set[str]:
        return {
            (urlsplit(x.url).hostname or "").removeprefix("www.")
            for x in registry[e]
            if x.province_code == code and (kind is None or x.site_kind == kind)
        }

    out = []
    for s in sites:
        e = Era(s.era) if s.era else era
        succ = hosts(Era.CURRENT, successor(s.province_code).code) if e == Era.LEGACY else set()
        out.append(Target(e, s, succ, hosts(e, s.province_code, SiteKind.PORTAL)))
    return out


def verify(
    targets: list[Target],
    *,
    resolver: Resolver,
    user_agent: str,
    per_host: float = 30.0,
    workers: int = 8,
    delay: float = 0.0,
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Check every target; hosts concurrently, each host's URLs in turn within ``per_host`` s."""
    groups: dict[str, list[int]] = {}
    for i, t in enumerate(targets):
        groups.setdefault((urlsplit(t.site.url).netloc or "").lower(), []).append(i)
    resolver.prefetch([urlsplit(t.site.url).hostname or "" for t in targets])
    results: list[Result | None] = [None] * len(targets)
    locks: dict[str, threading.Lock] = {}
    guard = threading.Lock()
    last: dict[str, float] = {}

    def run(indexes: list[int]) -> None:
        deadline = time.monotonic() + per_host
        session = Session(resolver, user_agent, deadline, locks, guard, delay, last)
        for i in indexes:
            r = check_one(session, targets[i])
            results[i] = r
            if on_result:
                on_result(r)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for f in [pool.submit(run, idx) for idx in groups.values()]:
            f.result()
    return [r for r in results if r is not None]


def write_report(results: list[Result], fh: IO[str]) -> None:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for r in results:
        writer.writerow(r.row())


USABLE = {SiteVerdict.OK, SiteVerdict.MOVED, SiteVerdict.TLS_ERROR}


def updated_rows(targets: list[Target], results: list[Result], today: date) -> list[list[str]]:
    """The checked sites as registry rows: a URL seen to be the unit's site becomes
    ``source=verified`` with ``verified_on``; a moved site takes its final URL; the old value is
    kept in ``note``. Other rows keep their URL and source, their note says what the check saw."""
    rows = []
    for t, r in zip(targets, results, strict=True):
        s = t.site
        verdict = SiteVerdict(r.verdict)
        usable = verdict in USABLE and r.names_unit == "yes"
        old = f"was {s.url} source={s.source.value}" + (
            f" verified_on={s.verified_on}" if s.verified_on else ""
        )
        seen = f"pobi sites verify {today}: {verdict.value}" + (
            f" ({r.detail})" if r.detail else ""
        )
        if usable:
            url = s.url
            if verdict == SiteVerdict.MOVED:
                parts = urlsplit(r.final_url)
                url = f"{parts.scheme}://{parts.netloc}/"
            note = f"{seen}; {old}" + (f"; {s.note}" if s.note else "")
            rows.append(
                [
                    t.era.value,
                    s.province_code,
                    s.site_kind.value,
                    url,
                    UrlSource.VERIFIED.value,
                    today.isoformat(),
                    note,
                ]
            )
        else:
            note = seen + (f"; {s.note}" if s.note else "")
            rows.append(
                [
                    t.era.value,
                    s.province_code,
                    s.site_kind.value,
                    s.url,
                    s.source.value,
                    s.verified_on.isoformat() if s.verified_on else "",
                    note,
                ]
            )
    return rows


WRITTEN_COLUMNS = [*SITE_COLUMNS, *PROVENANCE_COLUMNS]


def write_sites(rows: list[list[str]], path: Path) -> None:
    """A sites file (DESIGN §6: ``province_code,site_kind,url`` first) with the provenance
    columns after them; ``rows`` are in registry order (era first)."""
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(WRITTEN_COLUMNS)
        for r in rows:
            record = dict(zip(REGISTRY_COLUMNS, r, strict=True))
            writer.writerow([record[c] for c in WRITTEN_COLUMNS])
