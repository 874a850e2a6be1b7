"""Researchers' decisions on crawl findings (append-only ``finding_reviews``; the newest row wins).

One query, used by every stage that must ignore what a researcher rejected: the probe plan (no
request to a rejected address), scoring (no credit for a rejected channel) and the dashboard.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from pobi.models import ReviewStatus
from pobi.store.history import newest_values
from pobi.store.tables import Finding, FindingReview


def latest_review_status(session: Session, round_id: str) -> dict[int, str]:
    """finding id -> its latest review status, for findings of the round that were reviewed."""
    return newest_values(session, FindingReview.finding_id, FindingReview.status, Finding, round_id)


def rejected_finding_ids(session: Session, round_id: str) -> set[int]:
    """Findings of the round whose latest review is ``rejected``."""
    return {
        fid
        for fid, s in latest_review_status(session, round_id).items()
        if s == ReviewStatus.REJECTED.value
    }
