"""Candidate site rows from a directory page (``pobi sites discover --from URL``).

Directory pages list sites by name: the national government portal's list of local portals
("Cổng thông tin điện tử các tỉnh, thành phố"), or a province's "Liên kết website" list of its
departments. Each link (``<a>``, ``<area>``, or a dropdown ``<option value=URL>``) to another host
becomes a candidate when its label or host names a unit of the era (a portal, or a finance site
when the label says "Sở Tài chính"), or — with ``province`` given, for a province's own list —
when the label names a department ("Sở Tài chính" -> finance; others -> other, on request).
Each candidate is compared with the registry. Nothing is written anywhere but the output file:
a person reviews the candidates before using them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import IO
from urllib.parse import urljoin, urlsplit

from pobi.models import Era, SiteKind
from pobi.registry import provinces, registry_sites
from pobi.sitecheck import Session, decode, norm, unit_names

CANDIDATE_COLUMNS = [
    "province_code",
    "site_kind",
    "url",
    "label",
    "found_on",
    "registry_url",
    "same_as_registry",
]
FINANCE = re.compile(r"\bso tai chinh\b")
DEPARTMENT = re.compile(r"^(website |trang |cong thong tin dien tu |cong ttdt )?so [a-z]")
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "#")


@dataclass(frozen=True)
class Link:
    url: str
    label: str


class _Links(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[Link] = []
        self._open: tuple[str, str] | None = None  # (tag, url) collecting its text
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "base" and a.get("href"):
            self.base = urljoin(self.base, a["href"] or "")
        target = (
            a.get("href") if tag in ("a", "area") else a.get("value") if tag == "option" else None
        )
        if tag == "area" and target:
            self._add(target, a.get("alt") or a.get("title") or "")
            return
        if target:
            self._close()
            self._open = (tag, target)
            self._text = [a.get("title") or ""] if tag == "a" else []
        elif tag == "img" and self._open and a.get("alt"):
            self._text.append(a.get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            self._close()

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def close(self) -> None:
        self._close()
        super().close()

    def _close(self) -> None:
        if self._open:
            self._add(self._open[1], " ".join(self._text))
        self._open, self._text = None, []

    def _add(self, target: str, label: str) -> None:
        target = target.strip()
        if not target or target.lower().startswith(SKIP_SCHEMES):
            return
        url = urljoin(self.base, target)
        if urlsplit(url).scheme in ("http", "https"):
            self.links.append(Link(url, " ".join(label.split())))


def page_links(body: bytes, content_type: str, base: str) -> list[Link]:
    parser = _Links(base)
    try:
        parser.feed(decode(body, content_type))
        parser.close()
    except Exception:  # a broken page gives the links read so far
        pass
    return parser.links


def _root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _match_unit(label: str, host: str, era: Era) -> str:
    """The code of the unit a label (or failing that, a host) names; '' if none or ambiguous."""
    key = f" {norm(label)} "
    best: tuple[int, str] | None = None
    for p in provinces(era):
        own, _ = unit_names(era, p.code)
        for name in own:
            if f" {name} " in key and (best is None or len(name) > best[0]):
                best = (len(name), p.code)
    if best:
        return best[1]
    first = host.split(".")[0] if host.endswith(".gov.vn") else ""
    for s in registry_sites(era):
        if s.site_kind == SiteKind.PORTAL and first and _host(s.url).split(".")[0] == first:
            return s.province_code
    return ""


def candidates(
    links: list[Link], page_url: str, era: Era, province: str = "", others: bool = False
) -> list[dict[str, str]]:
    registry = {(s.province_code, s.site_kind.value): s.url for s in registry_sites(era)}
    own_host = _host(page_url)
    out: dict[tuple[str, str, str], dict[str, str]] = {}
    for link in links:
        host = _host(link.url)
        if not host or host == own_host:
            continue
        label = norm(link.label)
        finance = bool(FINANCE.search(label)) or host.startswith(("stc.", "sotaichinh."))
        code = _match_unit(link.label, host, era)
        kind = ""
        if finance and (code or province):
            kind, code = SiteKind.FINANCE.value, code or province
        elif code and not DEPARTMENT.match(label):
            kind = SiteKind.PORTAL.value
        elif province and others and DEPARTMENT.match(label):
            kind, code = SiteKind.OTHER.value, province
        if not kind:
            continue
        url = _root(link.url)
        ref = registry.get((code, kind), "") if kind != SiteKind.OTHER.value else ""
        out.setdefault(
            (code, kind, url),
            {
                "province_code": code,
                "site_kind": kind,
                "url": url,
                "label": link.label,
                "found_on": page_url,
                "registry_url": ref,
                "same_as_registry": ("yes" if _host(ref) == host else "no") if ref else "",
            },
        )
    return sorted(out.values(), key=lambda r: (r["province_code"], r["site_kind"], r["url"]))


def discover(
    session: Session, url: str, era: Era, province: str = "", others: bool = False
) -> tuple[list[dict[str, str]], str]:
    """Read the directory page (robots.txt respected, redirects followed) -> (candidates,
    the page's final URL). Failures raise :class:`pobi.sitecheck.Failure`."""
    from pobi.models import SiteVerdict
    from pobi.sitecheck import MAX_REDIRECTS, Failure

    chain = [url]
    while True:
        ok, said = session.allowed(url)
        if not ok:
            raise Failure(SiteVerdict.BLOCKED, f"{said}: {url}")
        answer = session.get(url)
        location = answer.headers.get("location")
        if 300 <= answer.status < 400 and location:
            url = urljoin(url, location.strip())
            if url in chain or len(chain) > MAX_REDIRECTS:
                raise Failure(SiteVerdict.REDIRECT_LOOP, f"redirect chain repeats at {url}")
            chain.append(url)
            continue
        break
    if answer.status >= 400:
        raise Failure(SiteVerdict.HTTP_ERROR, f"HTTP {answer.status} from {url}")
    links = page_links(answer.body, answer.headers.get("content-type", ""), url)
    return candidates(links, url, era, province, others), url


def write_candidates(rows: list[dict[str, str]], fh: IO[str]) -> None:
    writer = csv.DictWriter(fh, fieldnames=CANDIDATE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
