"""Backfill the normalised-content key of messages stored before migration 0014.

Rows stored before 0014 have an empty ``messages.content_key``: they are found again by their
bytes (``raw_sha256``) but not by their content, so a webmail export of such a message (other
bytes, same message) would be stored a second time. :func:`rekey` reads each such message's
bytes back from the evidence store, parses them and stores the key that ingest would compute
today (:func:`probes.fingerprint.content_key`). The migration cannot do this itself: the bytes
live in the evidence store, not in the database, and the parser is part of the probes stage.

Two old rows can be copies of one message (a mailbox imported, then its webmail export, both
before 0014), and an old row can be a copy of a message stored after 0014. Only one row per round
may hold a key (a unique index); the row found first keeps it, and the other row gets the marker
``copy-<its id>-of-<that row's id>`` instead (never a hex key, so ingest never matches it), the
flag ``content_copy`` and a reason naming the row it copies — nothing is deleted.
A message whose bytes are missing from the evidence store keeps its empty key and is counted.

Run by ``pobi probe rekey``; idempotent (a second run finds nothing to do). The caller owns the
transaction for :func:`rekey_batch`; :func:`rekey` commits per batch through the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pobi.errors import NotFoundError
from pobi.evidence import EvidenceStore
from pobi.store import Store
from pobi.store.tables import Message
from probes.fingerprint import content_key
from probes.parse import parse
from probes.text import clean_list

COPY_FLAG = "content_copy"


@dataclass
class RekeyResult:
    keyed: int = 0  # rows that got their key
    copies: list[tuple[int, int]] = field(default_factory=list)  # (row, the row it copies)
    missing: list[int] = field(default_factory=list)  # rows whose bytes are not in evidence

    def add(self, other: RekeyResult) -> None:
        self.keyed += other.keyed
        self.copies.extend(other.copies)
        self.missing.extend(other.missing)


def _keyless(round_id: str | None):  # type: ignore[no-untyped-def]
    q = select(Message).where(Message.content_key == "")
    if round_id is not None:
        q = q.where(Message.round_id == round_id)
    return q


def count_keyless(session: Session, round_id: str | None = None) -> int:
    """How many rows still lack a content key (those whose bytes are missing stay counted)."""
    q = select(func.count()).select_from(Message).where(Message.content_key == "")
    if round_id is not None:
        q = q.where(Message.round_id == round_id)
    return int(session.scalar(q) or 0)


def rekey_batch(
    session: Session,
    evidence: EvidenceStore,
    round_id: str | None = None,
    *,
    after_id: int = 0,
    limit: int = 200,
) -> tuple[RekeyResult, int]:
    """Key up to ``limit`` keyless rows with id > ``after_id``; returns (result, last id seen)."""
    result = RekeyResult()
    rows = list(
        session.scalars(
            _keyless(round_id).where(Message.id > after_id).order_by(Message.id).limit(limit)
        )
    )
    last = after_id
    for row in rows:
        last = row.id
        try:
            raw = evidence.read(row.raw_sha256)
        except NotFoundError:
            result.missing.append(row.id)
            continue
        key = content_key(parse(raw))
        holder = session.scalar(
            select(Message.id)
            .where(Message.round_id == row.round_id, Message.content_key == key)
            .limit(1)
        )
        if holder is None:
            row.content_key = key
            session.flush()  # the unique index sees it before the next row is keyed
            result.keyed += 1
            continue
        row.content_key = f"copy-{row.id}-of-{holder}"
        row.flags = clean_list([*(row.flags or []), COPY_FLAG])
        row.kind_reasons = clean_list(
            [
                *(row.kind_reasons or []),
                f"same normalised content as message #{holder} (found by pobi probe rekey)",
            ]
        )
        session.flush()
        result.copies.append((row.id, int(holder)))
    session.flush()
    return result, last


def rekey(
    store: Store,
    evidence: EvidenceStore,
    round_id: str | None = None,
    *,
    batch: int = 200,
    progress: Callable[[int], None] | None = None,
) -> RekeyResult:
    """Key every keyless row (optionally of one round), committing every ``batch`` rows."""
    total = RekeyResult()
    after = 0
    while True:
        with store.session() as s:
            done, last = rekey_batch(s, evidence, round_id, after_id=after, limit=batch)
        if last == after:
            return total
        total.add(done)
        if progress is not None:
            progress(done.keyed + len(done.copies) + len(done.missing))
        after = last


__all__ = ["COPY_FLAG", "RekeyResult", "count_keyless", "rekey", "rekey_batch"]
