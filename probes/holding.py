"""The holding pen: messages no rule could match, with suggestions, and manual assignment.

Suggestions rank the round's requests for one message by: the sender's domain (same domain as
the recipient, or the same provincial ``*.gov.vn`` domain), subject similarity with the request,
date proximity (received soon after the request was sent), and the recipient's address quoted in
the text. They are hints for a researcher; nothing is assigned without ``pobi probe assign``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import aware, now
from pobi.errors import InputError
from pobi.models import MatchMethod
from pobi.store.tables import Message, MessageAssignment, ProbeRequest
from probes.ingest import mark_bounced
from probes.text import ascii_fold, clean, domain_of


@dataclass(frozen=True)
class Suggestion:
    request_id: str
    score: float
    reasons: tuple[str, ...]


def holding_messages(session: Session, round_id: str) -> list[Message]:
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.round_id == round_id, Message.match_method == MatchMethod.UNMATCHED.value
            )
            .order_by(Message.received_at, Message.id)
        )
    )


def provincial_domain(domain: str) -> str:
    """'stc.hanoi.gov.vn' -> 'hanoi.gov.vn'; other domains: the last two labels."""
    labels = [x for x in domain.lower().split(".") if x]
    if len(labels) >= 3 and labels[-2:] == ["gov", "vn"]:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


_PREFIX = re.compile(r"^((re|fw|fwd|tl|tr|aw|sv|vs|tra loi|chuyen tiep)\s*:\s*)+")
_TAG = re.compile(r"\[\s*pobi-[^\]]*\]")


def _subject_key(subject: str) -> str:
    s = ascii_fold(subject)
    s = _TAG.sub(" ", s)
    s = _PREFIX.sub("", s.strip())
    return re.sub(r"\s+", " ", s).strip()


def _evidence(
    message: Message, r: ProbeRequest, sender_domain: str, subject: str, body: str
) -> dict[str, tuple[float, str]]:
    """Each kind of evidence for one request: name -> (points, reason)."""
    found: dict[str, tuple[float, str]] = {}
    rdomain = domain_of(r.recipient)
    if sender_domain and sender_domain == rdomain:
        found["domain"] = (3.0, f"same domain as {r.recipient}")
    elif sender_domain and provincial_domain(sender_domain) == provincial_domain(rdomain):
        found["domain"] = (2.0, f"same provincial domain {provincial_domain(rdomain)}")
    if subject and r.subject:
        ratio = difflib.SequenceMatcher(None, subject, _subject_key(r.subject)).ratio()
        if ratio >= 0.5:
            found["subject"] = (round(2 * ratio, 2), f"subject {ratio:.0%} similar")
    if r.recipient and r.recipient.lower() in body:
        found["text"] = (1.0, f"text mentions {r.recipient}")
    received = aware(message.received_at) if message.received_at else None
    if r.sent_at and received:
        days = (received - aware(r.sent_at)).total_seconds() / 86400
        if days < 0:
            found["date"] = (-1.0, "received before the request was sent")
        elif days <= 30:
            found["date"] = (round(1 - days / 30, 2), f"received {days:.0f} days after sending")
    return found


def suggest(message: Message, requests: list[ProbeRequest], limit: int = 3) -> list[Suggestion]:
    """The likeliest requests for an unmatched message, with reasons.

    Evidence that is the same for every request (one subject for all, one sending day) tells
    nothing apart, so it is left out; a request needs some evidence of its own to be suggested.
    """
    sender_domain = domain_of(message.from_addr)
    subject = _subject_key(message.subject)
    body = (message.body_text or "")[:50_000].lower()
    per_request = [(r, _evidence(message, r, sender_domain, subject, body)) for r in requests]
    uninformative = set()
    if len(requests) > 1:
        for name in ("domain", "subject", "text", "date"):
            values = {round(ev[name][0], 1) if name in ev else None for _, ev in per_request}
            if len(values) == 1:
                uninformative.add(name)
    out: list[Suggestion] = []
    for r, ev in per_request:
        useful = {k: v for k, v in ev.items() if k not in uninformative}
        if not any(points > 0 for points, _ in useful.values()):
            continue
        score = round(sum(points for points, _ in useful.values()), 2)
        if score > 0.5:
            out.append(Suggestion(r.id, score, tuple(reason for _, reason in useful.values())))
    out.sort(key=lambda s: (-s.score, s.request_id))
    return out[:limit]


def assign(
    session: Session,
    message: Message,
    request: ProbeRequest | None,
    *,
    reason: str,
    coder: str,
) -> MessageAssignment:
    """Resolve a message by hand: to ``request``, or to none (not related). History is kept."""
    if request is not None and request.round_id != message.round_id:
        raise InputError(
            f"Message #{message.id} belongs to round {message.round_id}, "
            f"request {request.id} to round {request.round_id}."
        )
    reason, coder = clean(reason), clean(coder)[:128]
    row = MessageAssignment(
        message_pk=message.id,
        request_id=request.id if request else None,
        reason=reason,
        coder=coder,
        at=now(),
    )
    session.add(row)
    message.request_id = request.id if request else None
    message.match_method = MatchMethod.MANUAL.value
    what = f"assigned to {request.id}" if request else "marked as not related to any request"
    message.match_detail = f"{what} by {coder}" + (f": {reason}" if reason else "")
    session.flush()
    mark_bounced(session, message)
    return row


def assignment_history(session: Session, message_pk: int) -> list[MessageAssignment]:
    return list(
        session.scalars(
            select(MessageAssignment)
            .where(MessageAssignment.message_pk == message_pk)
            .order_by(MessageAssignment.id)
        )
    )
