"""Append-only histories (researchers' reviews of findings, codings of replies): the newest row
of each subject wins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session


def newest_values(
    session: Session,
    subject: InstrumentedAttribute[Any],
    value: InstrumentedAttribute[Any],
    parent: Any,
    round_id: str,
) -> dict[Any, Any]:
    """subject -> ``value`` of its newest history row (highest id), for subjects whose ``parent``
    row (joined on ``parent.id == subject``) belongs to ``round_id``.

    ``subject`` and ``value`` are columns of the same history table, e.g.
    ``FindingReview.finding_id`` and ``FindingReview.status`` with ``parent=Finding``."""
    history = subject.class_
    newest = (
        select(subject, func.max(history.id).label("newest"))
        .join(parent, parent.id == subject)
        .where(parent.round_id == round_id)
        .group_by(subject)
        .subquery()
    )
    rows = session.execute(select(subject, value).join(newest, history.id == newest.c.newest))
    return {key: val for key, val in rows}
