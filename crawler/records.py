"""Everything the crawl writes to the store, each write idempotent.

- ``crawl_sites``: one row per (round, url, kind, province); re-crawls update it.
- ``pages``: one row per (round, site, requested URL); a re-crawl updates the row, a resumed crawl
  reuses it (the page is replayed from its WARC, not fetched again).
- ``findings``: one row per (round, site, channel, value). When a value is seen on several pages
  the row keeps the *best* page: the shallowest, then the shortest URL, then the first in
  alphabetical order. That rule does not depend on the order pages arrive in, so an interrupted
  and resumed crawl ends with the same rows as an uninterrupted one.

A page row, its evidence rows and its findings are written in one transaction: a crash leaves
either all of them or none (at worst an evidence file without a row, which ``pobi evidence
verify`` reports as harmless).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.job import Target
from crawler.page import FindingDraft
from crawler.urls import same_host
from pobi.clock import now
from pobi.evidence import EvidenceStore, record
from pobi.models import Channel
from pobi.store import Store
from pobi.store.tables import CrawlSite, Finding, Page


@dataclass
class PageRecord:
    url: str  # as requested (cleaned)
    final_url: str
    depth: int
    status: str
    http_status: int | None = None
    content_type: str = ""
    size: int = 0
    rendered: bool = False
    render_reason: str = ""
    detail: str = ""
    warc: bytes | None = None
    screenshot: bytes | None = None


@dataclass
class StoredPage:
    url: str
    final_url: str
    depth: int
    status: str
    warc_sha256: str
    screenshot_sha256: str
    rendered: bool
    render_reason: str
    http_status: int | None
    detail: str


@dataclass
class SiteResult:
    status: str = ""
    final_url: str = ""
    under_reported: bool = False
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


LINK_ONLY = frozenset({"link_label", "link_slug", "external_system"})  # seen as a link, not visited


def link_only(details: dict[str, Any]) -> bool:
    """A finding seen only as a link to the channel ('link_text' is the page itself, recognised
    by the label of the link that led to it)."""
    return str(details.get("how") or "") in LINK_ONLY


def rank(depth: int, url: str) -> tuple[int, int, str]:
    return (depth, len(url), url)


class Recorder:
    def __init__(
        self,
        store: Store,
        evidence: EvidenceStore,
        round_id: str,
        finance_reference: dict[str, list[str]] | None = None,
    ) -> None:
        self.store = store
        self.evidence = evidence
        self.round_id = round_id
        self.finance_reference = finance_reference or {}

    # ------------------------------------------------------------------ sites

    def prepare_sites(self, targets: list[Target]) -> list[CrawlSite]:
        out = []
        with self.store.session() as s:
            for t in targets:
                row = s.scalar(
                    select(CrawlSite).where(
                        CrawlSite.round_id == self.round_id,
                        CrawlSite.url == t.url,
                        CrawlSite.site_kind == t.site_kind,
                        CrawlSite.province_code == t.province_code,
                    )
                )
                if row is None:
                    row = CrawlSite(
                        round_id=self.round_id,
                        province_code=t.province_code,
                        site_kind=t.site_kind,
                        url=t.url,
                        source=t.source,
                    )
                    s.add(row)
                else:
                    row.source = t.source
                row.started_at = now()
                row.finished_at = None
                s.flush()
                out.append(row)
        return out

    def finish_site(self, site_id: int, result: SiteResult) -> dict[str, int]:
        with self.store.session() as s:
            row = s.get(CrawlSite, site_id)
            assert row is not None
            counts = dict(
                s.execute(
                    select(Page.status, func.count())
                    .where(Page.site_id == site_id)
                    .group_by(Page.status)
                ).all()
            )
            rendered = s.scalar(
                select(func.count()).where(Page.site_id == site_id, Page.rendered.is_(True))
            )
            findings = s.scalar(select(func.count()).where(Finding.site_id == site_id))
            row.fetch_status = result.status
            row.final_url = result.final_url
            row.pages_fetched = int(counts.get("ok", 0))
            row.pages_rendered = int(rendered or 0)
            row.under_reported = result.under_reported
            row.note = result.note
            row.finished_at = now()
            return {
                "pages": row.pages_fetched,
                "rendered": row.pages_rendered,
                "findings": int(findings or 0),
            }

    # ------------------------------------------------------------------ pages

    def stored_pages(self, site_id: int) -> dict[str, StoredPage]:
        with self.store.session() as s:
            rows = s.scalars(select(Page).where(Page.site_id == site_id))
            return {
                r.url: StoredPage(
                    url=r.url,
                    final_url=r.final_url,
                    depth=r.depth,
                    status=r.status,
                    warc_sha256=r.warc_sha256,
                    screenshot_sha256=r.screenshot_sha256,
                    rendered=r.rendered,
                    render_reason=r.render_reason,
                    http_status=r.http_status,
                    detail=r.detail,
                )
                for r in rows
            }

    def save_page(
        self,
        site: CrawlSite,
        page: PageRecord,
        drafts: list[FindingDraft],
        *,
        write_page: bool = True,
        warc_sha256: str = "",
        screenshot_sha256: str = "",
    ) -> int:
        """Store a page with its evidence and findings; return how many findings are new."""
        with self.store.session() as s:
            warc_sha = warc_sha256
            shot_sha = screenshot_sha256
            if page.warc is not None:
                warc_sha = record(
                    s,
                    self.evidence,
                    page.warc,
                    kind="warc",
                    media_type="application/warc",
                    note=page.final_url or page.url,
                )
            if page.screenshot is not None:
                shot_sha = record(
                    s,
                    self.evidence,
                    page.screenshot,
                    kind="screenshot",
                    media_type="image/png",
                    note=page.final_url or page.url,
                )
            if write_page:
                self._upsert_page(s, site.id, page, warc_sha, shot_sha)
            new = 0
            found_on = page.final_url or page.url
            for d in drafts:
                new += self._upsert_finding(s, site, d, found_on, page.depth, warc_sha, shot_sha)
            return new

    def _upsert_page(
        self, s: Session, site_id: int, page: PageRecord, warc_sha: str, shot_sha: str
    ) -> None:
        row = s.scalar(
            select(Page).where(
                Page.round_id == self.round_id, Page.site_id == site_id, Page.url == page.url
            )
        )
        if row is None:
            row = Page(round_id=self.round_id, site_id=site_id, url=page.url)
            s.add(row)
        row.final_url = page.final_url
        row.depth = page.depth
        row.status = page.status
        row.http_status = page.http_status
        row.content_type = page.content_type[:128]
        row.size = page.size
        row.rendered = page.rendered
        row.render_reason = page.render_reason
        row.warc_sha256 = warc_sha
        row.screenshot_sha256 = shot_sha
        row.fetched_at = now()
        row.detail = page.detail[:4000]
        s.flush()

    def _details(self, site: CrawlSite, d: FindingDraft, depth: int) -> dict[str, Any]:
        details = dict(d.details)
        details["found_depth"] = depth
        if d.channel == Channel.FINANCE_SITE:
            ref = self.finance_reference.get(site.province_code)
            if ref:
                details["registry_url"] = ref[0]
                details["registry_source"] = ref[1]
                details["matches_registry"] = same_host(d.value, ref[0])
            else:
                details["registry_url"] = ""
                details["registry_source"] = ""
                details["matches_registry"] = False
        return details

    def _upsert_finding(
        self,
        s: Session,
        site: CrawlSite,
        d: FindingDraft,
        found_on: str,
        depth: int,
        warc_sha: str,
        shot_sha: str,
    ) -> int:
        value = d.value[:4000]
        row = s.scalar(
            select(Finding).where(
                Finding.round_id == self.round_id,
                Finding.site_id == site.id,
                Finding.channel == d.channel.value,
                Finding.value == value,
            )
        )
        details = self._details(site, d, depth)
        if row is None:
            s.add(
                Finding(
                    round_id=self.round_id,
                    site_id=site.id,
                    province_code=site.province_code,
                    site_kind=site.site_kind,
                    channel=d.channel.value,
                    value=value,
                    found_on=found_on,
                    evidence_sha256=warc_sha,
                    screenshot_sha256=shot_sha,
                    details=details,
                    found_at=now(),
                )
            )
            s.flush()
            return 1
        old_depth = int((row.details or {}).get("found_depth", depth))
        same_page = row.found_on == found_on
        # a channel's own page (a section's content judged, a system's form seen) outranks a
        # link to it (details.how 'link_label', 'link_slug', 'external_system')
        content_new, content_old = not link_only(details), not link_only(row.details or {})
        if content_new and not content_old:
            details.setdefault("linked_from", row.found_on)
        # a Q&A list read from the JSON its page loads is never replaced by the list unread (a
        # resumed crawl judges the static page again); it replaces the unread one (crawler.xhrlist)
        read_old = bool((row.details or {}).get("list_json"))
        unread_new = details.get("list_state") == "script_loaded"
        if read_old and unread_new:
            return 0
        if (
            (content_new and not content_old)
            or (
                content_new == content_old and rank(depth, found_on) < rank(old_depth, row.found_on)
            )
            or (same_page and (row.evidence_sha256 != warc_sha or not row.screenshot_sha256))
            # a Q&A list read from the JSON its page loads outranks the same list left unread
            or (
                details.get("list_json")
                and (row.details or {}).get("list_state") == "script_loaded"
            )
        ):
            row.found_on = found_on
            row.evidence_sha256 = warc_sha or row.evidence_sha256
            row.screenshot_sha256 = shot_sha or (row.screenshot_sha256 if same_page else "")
            row.details = details
            row.found_at = now()
        return 0

    def best_ranks(self, site_id: int) -> dict[tuple[str, str], tuple[int, int, str]]:
        """(channel, value) -> rank of the page each finding currently cites (for resume)."""
        with self.store.session() as s:
            rows = s.execute(
                select(Finding.channel, Finding.value, Finding.found_on, Finding.details).where(
                    Finding.site_id == site_id
                )
            ).all()
        return {
            (c, v): rank(int((d or {}).get("found_depth", 0)), found_on)
            for c, v, found_on, d in rows
        }

    # ------------------------------------------------------------------ screenshots

    def pages_needing_screenshots(self, site_id: int) -> list[StoredPage]:
        """Pages behind a finding that have no screenshot yet (each once)."""
        with self.store.session() as s:
            found_on = set(
                s.scalars(
                    select(Finding.found_on).where(
                        Finding.site_id == site_id, Finding.screenshot_sha256 == ""
                    )
                )
            )
            if not found_on:
                return []
            pages = s.scalars(
                select(Page).where(Page.site_id == site_id, Page.status == "ok")
            ).all()
        out: dict[str, StoredPage] = {}
        for p in sorted(pages, key=lambda p: (p.depth, p.url)):
            key = p.final_url or p.url
            if key in found_on and key not in out and p.warc_sha256:
                out[key] = StoredPage(
                    url=p.url,
                    final_url=key,
                    depth=p.depth,
                    status=p.status,
                    warc_sha256=p.warc_sha256,
                    screenshot_sha256=p.screenshot_sha256,
                    rendered=p.rendered,
                    render_reason=p.render_reason,
                    http_status=p.http_status,
                    detail=p.detail,
                )
        return list(out.values())

    def save_screenshot(
        self, site_id: int, page_url: str, found_on: str, png: bytes | None, sha: str = ""
    ) -> None:
        with self.store.session() as s:
            if png is not None:
                sha = record(
                    s,
                    self.evidence,
                    png,
                    kind="screenshot",
                    media_type="image/png",
                    note=found_on,
                )
            if not sha:
                return
            page = s.scalar(
                select(Page).where(
                    Page.round_id == self.round_id, Page.site_id == site_id, Page.url == page_url
                )
            )
            if page is not None and not page.screenshot_sha256:
                page.screenshot_sha256 = sha
            for f in s.scalars(
                select(Finding).where(
                    Finding.site_id == site_id,
                    Finding.found_on == found_on,
                    Finding.screenshot_sha256 == "",
                )
            ):
                f.screenshot_sha256 = sha
