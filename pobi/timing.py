"""Reply timing per request, in Vietnamese working days (the one place this is computed).

Probes shows it, scoring exports and scores it, the dashboard draws it; none of them recomputes.
It reads only the store: requests, messages (``messages.request_id`` is the *effective* match,
manual assignments included) and the latest coding per message.

Definitions (DESIGN.md §7, Law 104/2016; days from :mod:`pobi.workdays`):
- ``first_reply_at``: earliest matched message that is not a bounce (auto-replies count);
- ``first_human_reply_at``: earliest matched ``human`` message;
- ``first_substantive_at``: earliest human message coded ``substantive``;
- deadline status (``deadlines.simple`` working days, default 3, the time the law gives for a
  simple answer or for the notice that a complex one is coming):
  ``not_sent`` (never handed to a server, or rejected) · ``bounced`` (permanent failure, no human
  reply) · ``on_time`` (first human reply within the deadline) · ``late`` (after it) ·
  ``overdue`` (no human reply and the deadline has passed) · ``pending`` (not yet).
- ``substantive_within_full``: the substantive answer came within ``deadlines.full`` (15) days.
- ``wave``: 1 + the reminders (``request_waves``) sent before the first human reply (all sent
  reminders when there is none): the wave at which the request was answered, or has reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import aware, now
from pobi.config import DeadlineSettings
from pobi.models import Coding, DeadlineStatus, ReplyKind, RequestState
from pobi.store.history import newest_values
from pobi.store.tables import Message, MessageCoding, ProbeRequest, RequestWave
from pobi.workdays import Calendar

SENT_STATES = {RequestState.SENT.value, RequestState.BOUNCED.value}


@dataclass(frozen=True)
class RequestTiming:
    request_id: str
    province_code: str
    recipient: str
    state: str
    sent_at: datetime | None
    first_reply_at: datetime | None
    first_human_reply_at: datetime | None
    first_substantive_at: datetime | None
    days_to_first_reply: int | None
    days_to_human_reply: int | None
    days_to_substantive: int | None
    days_elapsed: int | None  # sent -> now (for censoring in survival curves)
    deadline_status: DeadlineStatus
    substantive_within_full: bool | None
    codings: tuple[str, ...]  # latest coding of each human reply, in time order
    # issue 17: how the request was made, and the wave it had reached when a person first
    # answered (or has reached so far): 1 = the request itself, 2 = after the first reminder...
    channel: str = "email"
    wave: int = 1


def latest_codings(session: Session, round_id: str) -> dict[int, str]:
    """message pk -> latest coding value (append-only history, newest wins), except that an
    adjudicator's code (role ``adjudicator``, two-coder design) wins over the coders' codes."""
    out = newest_values(session, MessageCoding.message_pk, MessageCoding.coding, Message, round_id)
    for pk, coding in session.execute(
        select(MessageCoding.message_pk, MessageCoding.coding)
        .join(Message, Message.id == MessageCoding.message_pk)
        .where(Message.round_id == round_id, MessageCoding.role == "adjudicator")
        .order_by(MessageCoding.id)
    ):
        out[pk] = coding
    return out


def request_timings(
    session: Session,
    round_id: str,
    *,
    calendar: Calendar | None = None,
    deadlines: DeadlineSettings | None = None,
    at: datetime | None = None,
) -> list[RequestTiming]:
    calendar = calendar or Calendar()
    deadlines = deadlines or DeadlineSettings()
    at = aware(at or now())
    codings = latest_codings(session, round_id)
    reminders: dict[str, list[datetime]] = {}
    for request_id, sent_at in session.execute(
        select(RequestWave.request_id, RequestWave.sent_at)
        .join(ProbeRequest, ProbeRequest.id == RequestWave.request_id)
        .where(ProbeRequest.round_id == round_id, RequestWave.sent_at.is_not(None))
    ):
        reminders.setdefault(request_id, []).append(aware(sent_at))
    messages: dict[str, list[Message]] = {}
    for m in session.scalars(
        select(Message)
        .where(Message.round_id == round_id, Message.request_id.is_not(None))
        .order_by(Message.received_at, Message.id)
    ):
        messages.setdefault(m.request_id or "", []).append(m)

    out = []
    for r in session.scalars(
        select(ProbeRequest).where(ProbeRequest.round_id == round_id).order_by(ProbeRequest.n)
    ):
        msgs = messages.get(r.id, [])
        sent = aware(r.sent_at) if r.sent_at else None
        first_reply = next(
            (aware(m.received_at) for m in msgs if m.kind != ReplyKind.BOUNCE.value), None
        )
        humans = [m for m in msgs if m.kind == ReplyKind.HUMAN.value]
        first_human = aware(humans[0].received_at) if humans else None
        first_subst = next(
            (aware(m.received_at) for m in humans if codings.get(m.id) == Coding.SUBSTANTIVE.value),
            None,
        )

        def days(t: datetime | None, sent: datetime | None = sent) -> int | None:
            return calendar.working_days_between(sent, t) if (sent and t) else None

        elapsed = days(at)
        if sent is None or r.state not in SENT_STATES:
            status = DeadlineStatus.NOT_SENT
        elif first_human is not None:
            status = (
                DeadlineStatus.ON_TIME
                if (days(first_human) or 0) <= deadlines.simple
                else DeadlineStatus.LATE
            )
        elif r.state == RequestState.BOUNCED.value:
            status = DeadlineStatus.BOUNCED
        elif elapsed is not None and elapsed > deadlines.simple:
            status = DeadlineStatus.OVERDUE
        else:
            status = DeadlineStatus.PENDING
        out.append(
            RequestTiming(
                request_id=r.id,
                province_code=r.province_code,
                recipient=r.recipient,
                state=r.state,
                sent_at=sent,
                first_reply_at=first_reply,
                first_human_reply_at=first_human,
                first_substantive_at=first_subst,
                days_to_first_reply=days(first_reply),
                days_to_human_reply=days(first_human),
                days_to_substantive=days(first_subst),
                days_elapsed=elapsed,
                deadline_status=status,
                substantive_within_full=(days(first_subst) or 0) <= deadlines.full
                if first_subst
                else None,
                codings=tuple(codings.get(m.id, "") for m in humans),
                channel=r.channel or "email",
                wave=1
                + sum(1 for w in reminders.get(r.id, []) if first_human is None or w < first_human),
            )
        )
    return out
