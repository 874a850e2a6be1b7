"""Requests made by a person outside e-mail: a postal letter, a phone call, a portal form.

Each is a row in ``requests`` with its ``channel`` (so it counts in every response measure, and
``requests.csv`` names the channel), plus an append-only ``contact_logs`` entry saying what
happened, with its evidence files (scan of the posted letter and its receipt, the filled form and
confirmation page and their screenshots) stored by SHA-256.

- **postal**: ``pobi probe letter`` prints the letter (and plans the request, so the letter
  carries the request's reply address and subject tag: an answer by e-mail matches it). Logging it
  with the registered-mail number (``--ref``) marks it sent on the day it was posted.
- **phone**: one request per number called; every call is logged. A call a person answered
  (``answered``, ``referred``, ``refused``) is also stored as that request's human reply (a
  message whose raw bytes are the log entry), so a phone answer counts as a reply.
- **portal_form**: the form's URL, the confirmation id (``--ref``) and the evidence files. Filling
  the form in a browser is done by the person (the assisted browser step is not built yet).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pobi.clock import aware, now
from pobi.errors import InputError
from pobi.evidence import EvidenceStore, record
from pobi.models import CallOutcome, ReplyKind, RequestChannel, RequestState
from pobi.registry import province
from pobi.rounds import get_round
from pobi.store.tables import ContactLog, Message, ProbeRequest, RequestEvent

HUMAN_OUTCOMES = {CallOutcome.ANSWERED, CallOutcome.REFERRED, CallOutcome.REFUSED}


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 3:
        raise InputError(f"{phone!r} is not a phone number.")
    return digits


def _next_n(session: Session, round_id: str) -> int:
    return (
        session.scalar(select(func.max(ProbeRequest.n)).where(ProbeRequest.round_id == round_id))
        or 0
    ) + 1


def new_request(
    session: Session,
    round_id: str,
    province_code: str,
    channel: RequestChannel,
    recipient: str,
    *,
    kind: str = "override",
    template: str = "",
    state: RequestState = RequestState.DRAFT,
    detail: str = "",
) -> ProbeRequest:
    n = _next_n(session, round_id)
    req = ProbeRequest(
        id=f"{round_id}-{n}",
        round_id=round_id,
        n=n,
        province_code=province_code,
        recipient=recipient,
        recipient_kind=kind,
        reason=f"{channel.value} request: {detail}".strip(": "),
        template=template,
        state=state.value,
        channel=channel.value,
        created_at=now(),
    )
    session.add(req)
    session.flush()
    session.add(
        RequestEvent(
            request_id=req.id, from_state="", to_state=state.value, detail=detail, at=now()
        )
    )
    return req


def log_request(
    session: Session,
    evidence: EvidenceStore,
    round_id: str,
    *,
    province_code: str,
    channel: str,
    to: str,
    at: datetime | None = None,
    ref: str = "",
    answered_by: str = "",
    outcome: str = "",
    note: str = "",
    files: Sequence[Path] = (),
    researcher: str = "",
) -> ProbeRequest:
    rnd = get_round(session, round_id)
    try:
        ch = RequestChannel(channel)
    except ValueError as exc:
        raise InputError(
            f"--channel must be postal, phone or portal_form, not {channel!r}"
        ) from exc
    if ch is RequestChannel.EMAIL:
        raise InputError("E-mail requests are sent with pobi probe send, not logged.")
    code = province(rnd.era, province_code).code
    when = aware(at) if at else now()
    if at is not None and at.tzinfo is None:
        from pobi.clock import VN_TZ

        when = at.replace(tzinfo=VN_TZ)  # a time typed by a person in Vietnam
    call: CallOutcome | None = None
    if ch is RequestChannel.PHONE:
        try:
            call = CallOutcome(outcome)
        except ValueError as exc:
            raise InputError(
                "--outcome must be one of " + ", ".join(c.value for c in CallOutcome)
            ) from exc
        recipient = "tel:" + _digits(to)
    elif outcome:
        raise InputError("--outcome is for phone calls.")
    else:
        recipient = (to or "").strip()
        if not recipient:
            raise InputError("--to: the postal address or the form's URL.")
        if ch is RequestChannel.POSTAL and not ref.strip():
            raise InputError("A posted letter needs its registered-mail number (--ref).")
    blobs = []
    for p in files:
        try:
            blobs.append((Path(p), Path(p).read_bytes()))
        except OSError as exc:
            raise InputError(f"Cannot read {p}: {exc.strerror or exc}; nothing stored.") from exc

    req = session.scalar(
        select(ProbeRequest).where(
            ProbeRequest.round_id == round_id,
            ProbeRequest.province_code == code,
            ProbeRequest.recipient == recipient,
        )
    )
    if req is not None and req.channel != ch.value:
        raise InputError(f"{recipient} is already a {req.channel} request ({req.id}).")
    if req is None:
        req = new_request(
            session, round_id, code, ch, recipient, state=RequestState.SENT, detail=f"logged {ch}"
        )
        req.sent_at = when
    elif req.state == RequestState.DRAFT.value:  # a printed letter, now posted
        session.add(
            RequestEvent(
                request_id=req.id,
                from_state=req.state,
                to_state=RequestState.SENT.value,
                detail=f"posted by registered mail {ref.strip()}",
                at=now(),
            )
        )
        req.state, req.sent_at = RequestState.SENT.value, when
    if ref.strip():
        req.channel_ref = ref.strip()
    hashes = [
        record(session, evidence, data, kind="other", note=f"{ch.value} request {req.id}: {p.name}")
        for p, data in blobs
    ]
    log = ContactLog(
        request_id=req.id,
        channel=ch.value,
        at=when,
        number=ref.strip() if ch is not RequestChannel.PHONE else recipient[4:],
        answered_by=answered_by.strip(),
        outcome=call.value if call else "",
        note=note.strip(),
        evidence=hashes,
        researcher=researcher.strip(),
    )
    session.add(log)
    session.flush()
    if call in HUMAN_OUTCOMES:
        entry = json.dumps(
            {
                "request_id": req.id,
                "channel": "phone",
                "at": when.isoformat(),
                "number": recipient[4:],
                "answered_by": log.answered_by,
                "outcome": log.outcome,
                "note": log.note,
                "researcher": log.researcher,
                "log_id": log.id,
            },
            ensure_ascii=False,
            indent=1,
        ).encode("utf-8")
        sha = record(
            session,
            evidence,
            entry,
            kind="other",
            media_type="application/json",
            note=f"phone call log {log.id}",
        )
        session.add(
            Message(
                round_id=round_id,
                message_id=f"<phone-call-{log.id}.{req.id}@log.invalid>",
                raw_sha256=sha,
                source=f"phone call log #{log.id}",
                from_addr="",
                to_addrs="",
                subject=f"Phone call ({log.outcome}): {log.answered_by}"[:300],
                received_at=when,
                kind=ReplyKind.HUMAN.value,
                request_id=req.id,
                match_method="manual",
                match_detail=f"phone call logged by {log.researcher or 'a researcher'}",
                body_text=log.note,
                stored_at=now(),
            )
        )
        session.flush()
    return req


def log_reply(
    session: Session,
    evidence: EvidenceStore,
    request_ref: str,
    *,
    round_id: str | None = None,
    at: datetime | None = None,
    file: Path,
    sender: str = "",
    note: str = "",
    researcher: str = "",
) -> Message:
    """A reply that came on paper (an official letter, công văn) or through a portal's own Q&A
    page: the scan or saved page is the raw evidence, stored as the request's human reply."""
    from pobi.evidence import sha256_bytes
    from probes.lookup import find_request

    req = find_request(session, request_ref, round_id)
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {file}: {exc.strerror or exc}; nothing stored.") from exc
    if not data:
        raise InputError(f"{file} is empty; nothing stored.")
    sha = sha256_bytes(data)
    if session.scalar(
        select(Message.id).where(Message.round_id == req.round_id, Message.raw_sha256 == sha)
    ):
        raise InputError(f"{file} is already stored as a message of round {req.round_id}.")
    when = now()
    if at is not None:
        from pobi.clock import VN_TZ

        when = at if at.tzinfo else at.replace(tzinfo=VN_TZ)
    record(session, evidence, data, kind="attachment", note=f"reply to {req.id}: {Path(file).name}")
    msg = Message(
        round_id=req.round_id,
        message_id=f"<reply-{sha[:16]}.{req.id}@log.invalid>",
        raw_sha256=sha,
        source=f"logged reply ({req.channel}): {Path(file).name}",
        from_addr="",
        to_addrs="",
        subject=f"Reply ({req.channel}) from {sender.strip() or 'the agency'}"[:300],
        received_at=when,
        kind=ReplyKind.HUMAN.value,
        request_id=req.id,
        match_method="manual",
        match_detail=f"reply logged by {researcher.strip() or 'a researcher'}",
        body_text=note.strip(),
        stored_at=now(),
    )
    session.add(msg)
    session.flush()
    return msg
