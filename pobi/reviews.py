"""Researchers' decisions on crawl findings (append-only ``finding_reviews``; the newest row wins).

One query, used by every stage that must ignore what a researcher rejected: the probe plan (no
request to a rejected address), scoring (no credit for a rejected channel) and the dashboard.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pobi.models import ReviewStatus
from pobi.store.tables import Finding, FindingReview


def latest_review_status(session: Session, round_id: str) -> dict[int, str]:
    """finding id -> its latest review status, for findings of the round that were reviewed."""
    newest = (
        select(FindingReview.finding_id, func.max(FindingReview.id).label("rid"))
        .join(Finding, Finding.id == FindingReview.finding_id)
        .where(Finding.round_id == round_id)
        .group_by(FindingReview.finding_id)
        .subquery()
    )
    rows = session.execute(
        select(FindingReview.finding_id, FindingReview.status).join(
            newest, FindingReview.id == newest.c.rid
        )
    )
    return {fid: status for fid, status in rows}


def rejected_finding_ids(session: Session, round_id: str) -> set[int]:
    """Findings of the round whose latest review is ``rejected``."""
    return {
        fid
        for fid, s in latest_review_status(session, round_id).items()
        if s == ReviewStatus.REJECTED.value
    }
