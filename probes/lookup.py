"""Finding a stored message or request from what a researcher types.

A message is named by its number (``messages.id``, shown by ``pobi probe holding``) or by its
Message-ID (with or without angle brackets); a request by its id (``2026-7``) or, with a round,
by its number (``7``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.errors import InputError, NotFoundError
from pobi.store.tables import Message, ProbeRequest
from probes.text import bare_id


def find_message(session: Session, ref: str, round_id: str | None = None) -> Message:
    ref = (ref or "").strip()
    if not ref:
        raise InputError("Give a message number or Message-ID.")
    if ref.isdigit():
        row = session.get(Message, int(ref))
        if row is None or (round_id and row.round_id != round_id):
            raise NotFoundError(
                f"No message #{ref}" + (f" in round {round_id}" if round_id else "") + ".",
                hint="pobi probe holding --round R lists message numbers.",
            )
        return row
    mid = bare_id(ref)
    q = select(Message).where(Message.message_id.in_([f"<{mid}>", mid]))
    if round_id:
        q = q.where(Message.round_id == round_id)
    rows = list(session.scalars(q.order_by(Message.id)))
    if not rows:
        raise NotFoundError(f"No message with Message-ID <{mid}>.")
    rounds = {r.round_id for r in rows}
    if len(rounds) > 1:
        raise InputError(
            f"Message-ID <{mid}> is stored in several rounds ({', '.join(sorted(rounds))}).",
            hint="Add --round R, or use the message number (#).",
        )
    if len(rows) > 1:  # a reused Message-ID: several distinct messages carry it
        raise InputError(
            f"Message-ID <{mid}> names {len(rows)} different messages "
            f"({', '.join('#' + str(r.id) for r in rows)}).",
            hint="Use the message number (#).",
        )
    return rows[0]


def find_request(session: Session, ref: str, round_id: str | None = None) -> ProbeRequest:
    ref = (ref or "").strip()
    row = session.get(ProbeRequest, ref)
    if row is None and round_id and ref.isdigit():
        row = session.scalar(
            select(ProbeRequest).where(
                ProbeRequest.round_id == round_id, ProbeRequest.n == int(ref)
            )
        )
    if row is None:
        raise NotFoundError(
            f"No request {ref!r}" + (f" in round {round_id}" if round_id else "") + ".",
            hint="Requests are named <round>-<n>, e.g. 2026-7.",
        )
    return row
