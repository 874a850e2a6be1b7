"""Finance sites discovered in a portal's link directory, crawled by the same crawl.

When a portal's own "Liên kết website" directory names a Department of Finance site
(``finance_site`` finding, :mod:`crawler.checks.finance_site`) on a host that differs from the
registry's (or the sites file's) finance URL for that province — the registry's URL is a guess,
or the department moved after the 2025 merger — that site is added to the crawl as a ``finance``
site with ``source = "discovered"``. Its findings then count as the department's for scoring and
the probe plan. Why it was added is the portal's ``finance_site`` finding: the page it was
``discovered_from`` (``found_on``), the link's label and the WARC evidence of that page; its
details gain ``crawled_as_site`` (the id of the site row it added). ``scoring`` exports this as
``finance_sites.csv``.

A site is not added when its host is already in the crawl (the registry's finance site, or the
final host that site redirected to), nor when the link is the registry's own host. When the
registry's URL is unreachable, a link directory naming the same host adds nothing (it would fail
the same way); one naming another host is crawled like any other difference.
"""

from __future__ import annotations

from sqlalchemy import select

from crawler.job import Target
from crawler.records import Recorder
from crawler.urls import host_key
from pobi.models import Channel, SiteKind
from pobi.store.tables import CrawlSite, Finding

SOURCE = "discovered"


def discover_finance_sites(recorder: Recorder, portal_id: int, known: set[str]) -> list[CrawlSite]:
    """Rows of the finance sites to crawl because portal ``portal_id`` names them (new or, on a
    resumed crawl, the row of an earlier run). ``known``: host keys already in the crawl."""
    with recorder.store.session() as s:
        portal = s.get(CrawlSite, portal_id)
        if portal is None or portal.site_kind != SiteKind.PORTAL.value:
            return []
        findings = s.scalars(
            select(Finding)
            .where(Finding.site_id == portal_id, Finding.channel == Channel.FINANCE_SITE.value)
            .order_by(Finding.id)
        ).all()
        wanted = []
        for f in findings:
            details = f.details or {}
            if details.get("matches_registry"):
                continue
            key = host_key(f.value)
            if key in known:
                continue
            known.add(key)
            wanted.append((f.id, f.province_code, f.value))
    if not wanted:
        return []
    rows = recorder.prepare_sites(
        [Target(code, SiteKind.FINANCE.value, url, SOURCE) for _, code, url in wanted]
    )
    with recorder.store.session() as s:  # the finding says which site it made the crawl add
        for row, (finding_id, _, _) in zip(rows, wanted, strict=True):
            f = s.get(Finding, finding_id)
            if f is not None:
                f.details = {**(f.details or {}), "crawled_as_site": row.id}
    return rows
