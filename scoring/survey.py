"""Rows of the survey tables (issue 17): codings.csv and agreement.csv (two coders), disputes.csv.

``codings.csv`` has one row per coder and reply: each coder's newest code (role ``coder``), the
adjudicator's newest code (role ``adjudicator``) and, for codes entered before the two-coder
design or with ``pobi probe code``, the newest single code (role ``single``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import aware
from pobi.models import Coding, ReplyKind
from pobi.store.tables import Message, MessageCoding
from scoring.agreement import agreement_rows
from scoring.disputes import dispute_rows

Row = dict[str, Any]


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
