"""Rows of the export tables that both ``pobi export`` (:mod:`scoring.export`) and the
dashboard's Data page offer: ``documents.csv``, ``finance_sites.csv``, ``codings.csv``,
``agreement.csv`` and ``disputes.csv``. Built here, in the core, because the stages never import
each other; the column lists are declared in :mod:`scoring.columns`.

- documents: one row per budget document found (docs/documents.md);
- finance sites: which Department of Finance site each province's scores used, and why
  (docs/sites.md);
- codings: each coder's newest code per reply (role ``coder``), the adjudicator's (``adjudicator``)
  and the newest single code (``single``);
- agreement: Cohen's κ and Krippendorff's α (:mod:`pobi.agreement`), empty until a reply has two
  codes; disputes: one row per dispute with its newest decision.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.agreement import agreement_rows
from pobi.clock import aware
from pobi.models import Channel, Coding, FetchStatus, ReplyKind, SiteKind
from pobi.store.tables import (
    CrawlSite,
    Dispute,
    DisputeDecision,
    Document,
    Finding,
    Message,
    MessageCoding,
)

Row = dict[str, Any]
DISCOVERED = "discovered"


def documents_rows(session: Session, round_id: str) -> list[Row]:
    rows = []
    for d, site_url in session.execute(
        select(Document, CrawlSite.url)
        .join(CrawlSite, CrawlSite.id == Document.site_id)
        .where(Document.round_id == round_id)
    ):
        rows.append(
            {
                "province_code": d.province_code,
                "site_url": site_url,
                "doc_type": d.doc_type,
                "fiscal_year": d.fiscal_year,
                "period": d.period,
                "title": d.title,
                "url": d.url,
                "found_on": d.found_on,
                "published_on": date.fromisoformat(d.published_on) if d.published_on else None,
                "date_source": d.date_source,
                "format": d.format,
                "sha256": d.sha256,
            }
        )
    rows.sort(
        key=lambda r: (
            r["province_code"],
            r["doc_type"],
            r["fiscal_year"] or 0,
            r["period"],
            r["url"],
        )
    )
    return rows


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


def codings_rows(session: Session, round_id: str) -> list[Row]:
    newest: dict[tuple[int, str, str], tuple[MessageCoding, str]] = {}
    for c, mid in session.execute(
        select(MessageCoding, Message.message_id)
        .join(Message, Message.id == MessageCoding.message_pk)
        .where(Message.round_id == round_id)
        .order_by(MessageCoding.id)
    ):
        role = c.role or "single"
        who = c.coder if role != "single" else ""
        newest[(c.message_pk, role, who)] = (c, mid)
    rows = [
        {
            "message_id": mid,
            "coder": c.coder,
            "role": role,
            "code": c.coding,
            "coded_at": aware(c.at),
        }
        for (_pk, role, _who), (c, mid) in newest.items()
    ]
    rows.sort(key=lambda r: (r["message_id"], r["role"] != "coder", r["role"], r["coder"]))
    return rows


def ratings(session: Session, round_id: str) -> dict[int, list[tuple[str, str]]]:
    """human reply pk -> [(coder, newest code)] of its coders, earliest first coder first."""
    first_at: dict[tuple[int, str], int] = {}
    code: dict[tuple[int, str], str] = {}
    for c in session.scalars(
        select(MessageCoding)
        .join(Message, Message.id == MessageCoding.message_pk)
        .where(
            Message.round_id == round_id,
            Message.kind == ReplyKind.HUMAN.value,
            MessageCoding.role == "coder",
        )
        .order_by(MessageCoding.id)
    ):
        first_at.setdefault((c.message_pk, c.coder), c.id)
        code[(c.message_pk, c.coder)] = c.coding
    out: dict[int, list[tuple[str, str]]] = {}
    for (pk, coder), _first in sorted(first_at.items(), key=lambda kv: kv[1]):
        out.setdefault(pk, []).append((coder, code[(pk, coder)]))
    return out


def agreement_table(session: Session, round_id: str) -> list[Row]:
    r = ratings(session, round_id)
    if not any(len(v) >= 2 for v in r.values()):
        return []
    return agreement_rows(r, [c.value for c in Coding])


def survey_tables(session: Session, round_id: str) -> dict[str, list[Row]]:
    return {
        "codings": codings_rows(session, round_id),
        "agreement": agreement_table(session, round_id),
        "disputes": dispute_rows(session, round_id),
    }


def dispute_rows(session: Session, round_id: str) -> list[dict[str, object]]:
    """disputes.csv: one row per dispute with its newest decision (empty while undecided)."""
    latest: dict[int, DisputeDecision] = {}
    for d in session.scalars(
        select(DisputeDecision)
        .join(Dispute, Dispute.id == DisputeDecision.dispute_id)
        .where(Dispute.round_id == round_id)
        .order_by(DisputeDecision.id)
    ):
        latest[d.dispute_id] = d
    rows = []
    for d in session.scalars(
        select(Dispute).where(Dispute.round_id == round_id).order_by(Dispute.id)
    ):
        dec = latest.get(d.id)
        rows.append(
            {
                "dispute_id": d.id,
                "province_code": d.province_code,
                "target": d.target,
                "finding_id": d.finding_id,
                "indicator": d.indicator,
                "filed_by": d.filed_by,
                "filed_at": d.filed_at,
                "claim": d.claim,
                "evidence": ";".join(d.evidence or []),
                "decision": dec.decision if dec else "",
                "decided_at": dec.at if dec else None,
                "decided_by": dec.researcher if dec else "",
                "reason": dec.reason if dec else "",
                "change": dec.change if dec else "",
            }
        )
    return rows
