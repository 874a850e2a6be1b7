"""Which Department of Finance site each province's scores used, and why (``finance_sites.csv``).

One row per finance site crawled in the round: the registry's (or the sites file's) and any the
crawl added because the province's portal names it in its link directory
(:mod:`crawler.discovery`, ``source = discovered``). A site's findings count for scoring when its
start page was fetched (``used_for_scores``); ``reason`` says in words why, and for a discovered
site ``discovered_from`` / ``evidence_sha256`` / ``link_label`` are the portal page that named it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.models import Channel, FetchStatus, SiteKind
from pobi.store.tables import CrawlSite, Finding
from scoring.views import Row

DISCOVERED = "discovered"


def finance_sites_rows(session: Session, round_id: str) -> list[Row]:
    sites = session.scalars(
        select(CrawlSite).where(
            CrawlSite.round_id == round_id, CrawlSite.site_kind == SiteKind.FINANCE.value
        )
    ).all()
    named: dict[int, Finding] = {}
    for f in session.scalars(
        select(Finding).where(
            Finding.round_id == round_id, Finding.channel == Channel.FINANCE_SITE.value
        )
    ):
        site_id = (f.details or {}).get("crawled_as_site")
        if isinstance(site_id, int):
            named.setdefault(site_id, f)
    by_province: dict[str, list[CrawlSite]] = {}
    for s in sites:
        by_province.setdefault(s.province_code, []).append(s)
    rows = []
    for code, group in by_province.items():
        listed = [s for s in group if s.source != DISCOVERED]
        found = [s for s in group if s.source == DISCOVERED]
        for s in group:
            used = s.fetch_status == FetchStatus.OK.value
            finding = named.get(s.id)
            if s.source == DISCOVERED:
                ref = ", ".join(x.url for x in listed) or "none"
                reason = (
                    "named by the portal's link directory"
                    + (f" on {finding.found_on}" if finding else "")
                    + f"; differs from the listed finance site ({ref})"
                )
                down = [x for x in listed if x.fetch_status != FetchStatus.OK.value]
                if down:
                    reason += (
                        "; the listed site was unreachable ("
                        + ", ".join(x.fetch_status or "not crawled" for x in down)
                        + ")"
                    )
            else:
                reason = f"the finance site of the {'registry' if s.source == 'registry' else 'sites file'}"
                if found:
                    reason += (
                        "; the portal's link directory names another ("
                        + ", ".join(x.url for x in found)
                        + "), crawled too"
                    )
            if used:
                reason += "; its findings count as the Department of Finance's"
            else:
                reason += f"; not used: {s.fetch_status or 'not crawled'}"
                if s.source != DISCOVERED and any(
                    x.fetch_status == FetchStatus.OK.value for x in found
                ):
                    reason += " (the discovered site is used instead)"
            rows.append(
                {
                    "province_code": code,
                    "site_url": s.url,
                    "source": s.source,
                    "fetch_status": s.fetch_status,
                    "pages_fetched": s.pages_fetched,
                    "used_for_scores": used,
                    "discovered_from": finding.found_on if finding else "",
                    "link_label": str((finding.details or {}).get("label", "")) if finding else "",
                    "evidence_sha256": finding.evidence_sha256 if finding else "",
                    "reason": reason,
                }
            )
    rows.sort(key=lambda r: (r["province_code"], r["source"] == DISCOVERED, r["site_url"]))
    return rows
