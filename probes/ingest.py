"""The one way a received e-mail enters the store (IMAP collection and file import both call it).

Contract (owned by the mail-side of probes; the sending side's `collect` calls it):

    ingest_message(session, evidence, round_id, raw: bytes, *, source: str,
                   received_at: datetime | None = None, settings=None) -> IngestResult

- stores ``raw`` in the evidence store (kind 'email') and a ``messages`` row, unless the same
  bytes, or a copy of the same message with other bytes (same normalised-content key,
  :mod:`probes.fingerprint`: a re-import, a webmail export), are already stored for the round
  (then returns the existing row, ``duplicate=True``, ``duplicate_of`` 'bytes' or 'content');
- a message whose Message-ID another, different message of the round already has is stored all
  the same (different bytes are different evidence), flagged ``message_id_reused`` and linked to
  the first message with that Message-ID (``messages.message_id_reused_of``);
- parses robustly (never raises on bad bytes; odd messages are flagged in ``messages.flags``);
- stores attachments as evidence with their hashes;
- classifies (bounce / auto_reply / human, with reasons) and matches to a request
  (token, thread, subject tag, sender; else unmatched -> holding pen);
- a permanent bounce for a request's recipient moves that request to state ``bounced``.

``received_at`` is the caller's idea of when the message arrived (IMAP INTERNALDATE); the topmost
``Received:`` header's date wins over it, and the ``Date:`` header is used when both are missing.
``settings`` is the :class:`pobi.config.Config` (for the token secret); ``None`` loads it.
The caller owns the transaction: this function adds and flushes, it does not commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pobi.clock import now
from pobi.config import Config, load_config
from pobi.evidence import EvidenceStore, record
from pobi.models import BounceType, MatchMethod, ReplyKind, RequestState
from pobi.rounds import get_round
from pobi.store.tables import Attachment, Message, ProbeRequest, RequestEvent
from probes.classify import classify
from probes.fingerprint import content_key
from probes.match import RoundRequests, match_message
from probes.parse import parse
from probes.text import clean, clean_list

BOUNCEABLE_STATES = {RequestState.SENT.value, RequestState.SENDING.value}


@dataclass
class IngestResult:
    message_pk: int
    message_id: str
    raw_sha256: str
    duplicate: bool
    duplicate_of: str = ""  # 'bytes' or 'content' when duplicate
    reused_message_id_of: int | None = None  # the first message with this Message-ID
    kind: str = ""
    match_method: str = ""
    request_id: str | None = None
    flags: list[str] = field(default_factory=list)
    bounced_request: str | None = None  # a request this message moved to 'bounced'


def _existing(session: Session, round_id: str, sha: str, key: str) -> tuple[Message, str] | None:
    """The stored row this message is a copy of: same bytes, else same normalised content."""
    row = session.scalar(
        select(Message).where(Message.round_id == round_id, Message.raw_sha256 == sha).limit(1)
    )
    if row is not None:
        return row, "bytes"
    row = session.scalar(
        select(Message)
        .where(Message.round_id == round_id, Message.content_key == key)
        .order_by(Message.id)
        .limit(1)
    )
    if row is not None:
        return row, "content"
    return None


def _first_with_message_id(session: Session, round_id: str, mid: str | None) -> Message | None:
    if not mid:
        return None
    return session.scalar(
        select(Message)
        .where(Message.round_id == round_id, Message.message_id == mid)
        .order_by(Message.id)
        .limit(1)
    )


def _result(row: Message, duplicate: bool, why: str = "") -> IngestResult:
    return IngestResult(
        message_pk=row.id,
        message_id=row.message_id,
        raw_sha256=row.raw_sha256,
        duplicate=duplicate,
        duplicate_of=why,
        kind=row.kind,
        match_method=row.match_method,
        request_id=row.request_id,
        flags=list(row.flags or []),
        reused_message_id_of=row.message_id_reused_of,
    )


def mark_bounced(session: Session, message: Message) -> str | None:
    """If ``message`` is a permanent bounce of its request's recipient, move the request to
    ``bounced`` (with a journal row). Returns the request id moved, else None."""
    if (
        message.kind != ReplyKind.BOUNCE.value
        or message.bounce_type != BounceType.PERMANENT.value
        or not message.request_id
    ):
        return None
    req = session.get(ProbeRequest, message.request_id)
    if req is None or req.state not in BOUNCEABLE_STATES:
        return None
    failed = {str(a).lower() for a in (message.bounced_recipients or [])}
    if req.recipient.lower() not in failed:
        return None
    session.add(
        RequestEvent(
            request_id=req.id,
            from_state=req.state,
            to_state=RequestState.BOUNCED.value,
            detail=f"permanent bounce for {req.recipient}: message {message.message_id} (#{message.id})",
            at=now(),
        )
    )
    req.state = RequestState.BOUNCED.value
    session.flush()
    return req.id


def ingest_message(
    session: Session,
    evidence: EvidenceStore,
    round_id: str,
    raw: bytes,
    *,
    source: str,
    received_at: datetime | None = None,
    settings: Config | None = None,
) -> IngestResult:
    get_round(session, round_id)  # NotFoundError with a hint when the round does not exist
    raw = bytes(raw)
    p = parse(raw)
    mid = None if p.synthesized_message_id else p.message_id
    key = content_key(p)
    found = _existing(session, round_id, p.raw_sha256, key)
    if found is not None:
        return _result(found[0], True, found[1])
    first = _first_with_message_id(session, round_id, clean(mid) if mid else None)

    cfg = settings if settings is not None else load_config()
    secret = cfg.secret("token_secret") if hasattr(cfg, "secret") else ""
    c = classify(p)
    probes_cfg = getattr(cfg, "probes", None)
    m = match_message(
        p,
        c,
        RoundRequests(session, round_id),
        secret,
        reply_local=getattr(probes_cfg, "reply_local", ""),
        reply_domain=getattr(probes_cfg, "reply_domain", ""),
    )
    stamp = now()
    when, origin = p.effective_received_at(received_at, stamp)
    flags = list(p.flags)
    if m.detail.startswith(("this is our own request", "sent by us")):
        flags.append("from_us")
    if origin == "import_time" and "no_date" not in flags:
        flags.append("no_date")
    elif origin == "date":
        flags.append("received_at_from_date")  # the sender's clock, not our server's
    flags.extend(f for f in c.flags if f not in flags)  # feedback_report, challenge_response
    if first is not None:
        flags.append("message_id_reused")  # another, different message has this Message-ID

    raw_sha = record(
        session, evidence, raw, kind="email", media_type="message/rfc822", note=clean(source[:2000])
    )
    row = Message(
        round_id=round_id,
        message_id=clean(p.message_id),
        raw_sha256=raw_sha,
        source=clean(source),
        from_addr=clean(p.from_addr),
        to_addrs=clean(", ".join([*p.to_addrs, *p.cc_addrs])[:10000]),
        subject=clean(p.subject[:2000]),
        sent_at=p.sent_at,
        received_at=when,
        kind=c.kind.value,
        kind_reasons=clean_list(c.reasons[:50]),
        bounce_type=c.bounce.bounce_type.value if c.bounce else "",
        bounced_recipients=clean_list(c.bounce.recipients[:100] if c.bounce else []),
        request_id=m.request_id,
        match_method=m.method.value,
        match_detail=clean(m.detail[:4000]),
        flags=clean_list(flags),
        body_text=clean(p.body_text),
        stored_at=stamp,
        content_key=key,
        message_id_reused_of=first.id if first is not None else None,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # A concurrent collector stored the same bytes first: report theirs.
        found = _existing(session, round_id, p.raw_sha256, key)
        if found is None:
            raise
        return _result(found[0], True, found[1])

    for att in p.attachments:
        digest = record(
            session,
            evidence,
            att.data,
            kind="attachment",
            media_type=clean(att.content_type or "application/octet-stream")[:128],
            note=clean(f"{att.filename} in {p.message_id}"[:2000]),
        )
        session.add(
            Attachment(
                message_pk=row.id,
                filename=clean(att.filename),
                content_type=clean(att.content_type[:255]),
                sha256=digest,
                size=len(att.data),
            )
        )
    session.flush()
    result = _result(row, False)
    result.bounced_request = mark_bounced(session, row)
    return result


__all__ = ["IngestResult", "MatchMethod", "ingest_message", "mark_bounced"]
