"""Rows of the DESIGN.md §6 tables, read from the store (sites, channels, requests, replies).

Each function returns plain dicts keyed by the column names of :mod:`scoring.columns`, sorted so
the same store always gives the same rows. Reply timing comes from :mod:`pobi.timing` (never
recomputed here).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import aware
from pobi.config import DeadlineSettings
from pobi.reviews import rejected_finding_ids
from pobi.store.tables import CrawlSite, Finding, Message, ProbeRequest
from pobi.timing import RequestTiming, latest_codings, request_timings
from pobi.workdays import Calendar

Row = dict[str, Any]


def sites_rows(session: Session, round_id: str) -> list[Row]:
    rows = [
        {
            "province_code": s.province_code,
            "site_kind": s.site_kind,
            "url": s.url,
            "final_url": s.final_url,
            "fetch_status": s.fetch_status,
            "pages_fetched": s.pages_fetched,
        }
        for s in session.scalars(select(CrawlSite).where(CrawlSite.round_id == round_id))
    ]
    rows.sort(key=lambda r: (r["province_code"], r["site_kind"], r["url"]))
    return rows


def channels_rows(session: Session, round_id: str) -> list[Row]:
    rejected = rejected_finding_ids(session, round_id)
    rows = []
    for f, site_url in session.execute(
        select(Finding, CrawlSite.url)
        .join(CrawlSite, CrawlSite.id == Finding.site_id)
        .where(Finding.round_id == round_id)
    ):
        if f.id in rejected:
            continue
        rows.append(
            {
                "province_code": f.province_code,
                "site_kind": f.site_kind,
                "site_url": site_url,
                "channel": f.channel,
                "value": f.value,
                "found_on": f.found_on,
                "evidence_sha256": f.evidence_sha256,
            }
        )
    rows.sort(
        key=lambda r: (
            r["province_code"],
            r["site_kind"],
            r["site_url"],
            r["channel"],
            r["value"],
            r["found_on"],
        )
    )
    return rows


def requests_rows(timings: list[RequestTiming], message_ids: dict[str, str]) -> list[Row]:
    return [
        {
            "request_id": t.request_id,
            "province_code": t.province_code,
            "recipient": t.recipient,
            "state": t.state,
            "sent_at": t.sent_at,
            "message_id": message_ids.get(t.request_id, ""),
            "first_reply_at": t.first_reply_at,
            "first_human_reply_at": t.first_human_reply_at,
            "deadline_status": t.deadline_status.value,
            "wave": t.wave,
            "channel": t.channel,
        }
        for t in timings  # already in request-number order
    ]


def request_message_ids(session: Session, round_id: str) -> dict[str, str]:
    return dict(
        session.execute(
            select(ProbeRequest.id, ProbeRequest.message_id).where(
                ProbeRequest.round_id == round_id
            )
        ).all()
    )


def replies_rows(
    session: Session, round_id: str, calendar: Calendar, sent: dict[str, datetime | None]
) -> list[Row]:
    codings = latest_codings(session, round_id)
    rows = []
    for m in session.scalars(select(Message).where(Message.round_id == round_id)):
        received = aware(m.received_at)
        sent_at = sent.get(m.request_id or "")
        rows.append(
            {
                "message_id": m.message_id,
                "request_id": m.request_id or "",
                "kind": m.kind,
                "received_at": received,
                "working_days": calendar.working_days_between(sent_at, received)
                if (m.request_id and sent_at)
                else None,
                "coding": codings.get(m.id, ""),
                "raw_sha256": m.raw_sha256,
                "source": m.source,
            }
        )
    rows.sort(key=lambda r: (r["received_at"], r["raw_sha256"], r["source"]))
    return rows


def base_tables(
    session: Session,
    round_id: str,
    *,
    calendar: Calendar,
    deadlines: DeadlineSettings,
    at: datetime,
) -> tuple[dict[str, list[Row]], list[RequestTiming]]:
    """The four DESIGN.md §6 tables of a round, and the request timings they came from."""
    timings = request_timings(session, round_id, calendar=calendar, deadlines=deadlines, at=at)
    sent = {t.request_id: t.sent_at for t in timings}
    return (
        {
            "sites": sites_rows(session, round_id),
            "channels": channels_rows(session, round_id),
            "requests": requests_rows(timings, request_message_ids(session, round_id)),
            "replies": replies_rows(session, round_id, calendar, sent),
        },
        timings,
    )
