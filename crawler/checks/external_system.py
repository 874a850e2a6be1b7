"""external_system: a complaint or Q&A system on another host, linked from the portal.

Provinces run their citizen channels on systems of their own: a PAKN system ("Hệ thống tiếp
nhận, trả lời phản ánh kiến nghị", ``pakn.<tinh>.gov.vn``), HCMC's 1022 (``1022.tphcm.gov.vn``),
a Q&A system (``hoidap.<tinh>.gov.vn``), the national public-service portal's feedback page
(``dichvucong.gov.vn/p/phananhkiennghi/...``). The portal links to them from its menu or a
banner; the system is on another host, so the crawler never walked into it.

A system counts as the province's own when its host is under the site's registrable domain
(``pakn.quangninh.gov.vn`` for ``quangninh.gov.vn``) or carries the province's name
(``hoidap-laocai.vn``); national systems (``dichvucong.gov.vn``, ``chinhphu.vn``) are the
central government's, not the province's, and do not count.

This check reports such a link as a channel — ``feedback_form`` for complaint systems,
``qa_section`` for Q&A systems — with ``details.how = "external_system"``, the link's label,
zone and the page it was found on. :func:`hints` asks the engine to fetch the system's page
(one hop: its own links are not followed), so the page is archived as evidence and the other
checks judge it (a form, questions, dates); the page's own findings then replace the link's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from crawler.checks.dom import Link, host_of, is_article_url, netloc_of, parse, same_site
from crawler.checks.qa_section import QA
from crawler.checks.section import label_match
from crawler.checks.social import name_match
from crawler.page import FindingDraft, LinkHint, PageView
from crawler.text import fold_lower
from pobi.models import Channel

HINT = "external_system"  # the LinkHint reason the engine follows across hosts (one hop)
COMPLAINT_LABEL = re.compile(
    r"(phan anh,? kien nghi|phan anh - kien nghi|tiep nhan phan anh|pakn|tong dai 1022|"
    r"cong 1022|he thong 1022|\b1022\b|phan anh hien truong|gop y,? phan anh|"
    r"tiep nhan,? (xu ly|tra loi) phan anh|kien nghi cua (nguoi dan|cong dan))"
)
COMPLAINT_HOST = re.compile(r"^(pakn|phananh|gopy|1022|tuongtac|tiepnhan|kiennghi)", re.I)
COMPLAINT_PATH = re.compile(r"(phan-?anh-?kien-?nghi|phananhkiennghi|/pakn\b|/pakn[/-])", re.I)
QA_HOST = re.compile(r"^(hoidap|hoi-dap|hoidaptructuyen|tuvan)\.", re.I)
LABEL_MAX = 90


def _host(url: str) -> str:
    return host_of(url).removeprefix("www.")


def classify(link: Link, page: PageView) -> tuple[Channel, str] | None:
    """(channel, why) when ``link`` points at a citizen system on a host the site is not on."""
    if link.tag not in ("a", "area", "script_nav") or not link.url or link.in_prose:
        return None
    host = _host(link.url)
    here = {netloc_of(page.url).removeprefix("www."), netloc_of(page.site_url).removeprefix("www.")}
    if not host or netloc_of(link.url).removeprefix("www.") in here:
        return None
    if is_article_url(link.url):
        return None
    own = (
        same_site(link.url, page.site_url)
        or same_site(link.url, page.url)
        or host in (_host(page.url), _host(page.site_url))  # the same host, another port
    )
    named = "" if own else name_match(page.province_code, "https://" + host, "")
    if not own and not named:
        return None  # another agency's system (a ministry's, the national portal's)
    text = fold_lower(link.text)[:LABEL_MAX] if len(link.text) <= LABEL_MAX else ""
    path = urlsplit(link.url).path
    if COMPLAINT_LABEL.search(text):
        return Channel.FEEDBACK_FORM, f"label '{link.text}'"
    if label_match(link.text, QA):
        return Channel.QA_SECTION, f"label '{link.text}'"
    if COMPLAINT_HOST.search(host) or COMPLAINT_PATH.search(path):
        return Channel.FEEDBACK_FORM, f"address {host}{path}"
    if QA_HOST.search(host):
        return Channel.QA_SECTION, f"address {host}"
    return None


@lru_cache(maxsize=16)
def _systems(page: PageView) -> tuple[tuple[Link, Channel, str], ...]:
    """The page's links to systems, worked out once per page: the feedback_form and qa_section
    checks and the engine's link hints each ask (a small cache keyed by the view, like
    :func:`crawler.checks.dom.parse`)."""
    out = []
    for link in parse(page).links:
        found = classify(link, page)
        if found:
            out.append((link, *found))
    return tuple(out)


def systems(page: PageView, channel: Channel) -> list[FindingDraft]:
    """This channel's systems (called by the feedback_form and qa_section checks)."""
    return [d for d in check(page) if d.channel == channel]


def check(page: PageView) -> list[FindingDraft]:
    if page.depth > 0 and netloc_of(page.url) != netloc_of(page.site_url):
        return []  # on the system itself: its own checks judge it; do not chain further
    drafts: dict[tuple[Channel, str], FindingDraft] = {}
    for link, channel, why in _systems(page):
        key = (channel, link.url)
        if key in drafts:
            continue
        drafts[key] = FindingDraft(
            channel,
            link.url,
            {
                "how": HINT,
                "system_host": _host(link.url),
                "why": why,
                "label": link.text[:120],
                "zone": link.zone,
                "official": "linked from the official site",
                "rendered": page.rendered,
            },
        )
    return list(drafts.values())


def hints(page: PageView) -> list[LinkHint]:
    """The systems' pages, for the engine to fetch once (one hop) as evidence."""
    if page.depth > 0 and netloc_of(page.url) != netloc_of(page.site_url):
        return []
    return [LinkHint(url=link.url, reason=HINT, priority=60) for link, _c, _w in _systems(page)]
