"""What the store knows about each province in a round: the facts the rubric's rules read.

Read in a handful of queries per round (not per province). Findings whose latest review is
``rejected`` are left out. Reply timing comes from :func:`pobi.timing.request_timings`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import aware
from pobi.reviews import rejected_finding_ids
from pobi.store.tables import CrawlSite, Document, Finding, Message, ProbeRequest
from pobi.timing import RequestTiming


@dataclass
class RequestFacts:
    request: ProbeRequest
    timing: RequestTiming
    messages: list[Message] = field(default_factory=list)


@dataclass
class ProvinceFacts:
    code: str
    round_crawled: bool  # the round has any crawl_sites at all
    round_probed: bool  # the round has any requests at all
    sites: list[CrawlSite] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    requests: list[RequestFacts] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)  # budget documents found
    publication: Any = None  # scoring.document_rules.PublicationContext (set by the scorer)

    def findings_of(self, channel: str, site_kind: str | None = None) -> list[Finding]:
        return [
            f
            for f in self.findings
            if f.channel == channel and (site_kind is None or f.site_kind == site_kind)
        ]

    def sites_of(self, site_kind: str) -> list[CrawlSite]:
        return [s for s in self.sites if s.site_kind == site_kind]


def found_at(f: Finding) -> datetime:
    return aware(f.found_at)


def gather(
    session: Session, round_id: str, codes: list[str], timings: list[RequestTiming]
) -> dict[str, ProvinceFacts]:
    rejected = rejected_finding_ids(session, round_id)
    sites = list(
        session.scalars(
            select(CrawlSite).where(CrawlSite.round_id == round_id).order_by(CrawlSite.id)
        )
    )
    findings = [
        f
        for f in session.scalars(
            select(Finding).where(Finding.round_id == round_id).order_by(Finding.id)
        )
        if f.id not in rejected
    ]
    requests = {
        r.id: r
        for r in session.scalars(select(ProbeRequest).where(ProbeRequest.round_id == round_id))
    }
    messages: dict[str, list[Message]] = defaultdict(list)
    for m in session.scalars(
        select(Message)
        .where(Message.round_id == round_id, Message.request_id.is_not(None))
        .order_by(Message.received_at, Message.id)
    ):
        messages[m.request_id or ""].append(m)

    facts = {
        c: ProvinceFacts(code=c, round_crawled=bool(sites), round_probed=bool(requests))
        for c in codes
    }
    for s in sites:
        if s.province_code in facts:
            facts[s.province_code].sites.append(s)
    for f in findings:
        if f.province_code in facts:
            facts[f.province_code].findings.append(f)
    for d in session.scalars(
        select(Document).where(Document.round_id == round_id).order_by(Document.id)
    ):
        if d.province_code in facts:
            facts[d.province_code].documents.append(d)
    for t in timings:
        if t.province_code in facts and t.request_id in requests:
            facts[t.province_code].requests.append(
                RequestFacts(requests[t.request_id], t, messages.get(t.request_id, []))
            )
    return facts
