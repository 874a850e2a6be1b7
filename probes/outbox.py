"""The outbox: every request is sent at most once, and exactly once when the run completes.

States (``pobi.models.RequestState``), every change journaled in ``request_events``::

    draft --queue--> queued --submit--> sending --250--> sent
      ^                ^  \\                  \\--5xx--> rejected
      |                |   \\--4xx (retries left)--> queued (back off, retry)
      |                |   \\--4xx (retries exhausted)--> failed --next run--> queued
      (plan)           \\--crash before DATA / not in a complete Sent folder-- sending

The protocol that makes it exactly once:

1. **Queue.** The Message-ID and the exact bytes are fixed and stored as evidence
   (``eml_sha256``), and the row is committed as ``queued`` -- before any connection is made. A
   re-queued request (after ``failed``, or after reconciliation) is sent with the same bytes.
2. **Submit.** The row goes to ``sending`` (committed); after the server accepts the recipient,
   a ``DATA`` mark is journaled (committed) and only then is the message handed over. A crash
   before the mark provably sent nothing.
3. **Record.** ``250`` -> ``sent`` (with ``sent_at``); 5xx -> ``rejected``; 4xx -> retry with
   exponential backoff, then ``failed``; a connection broken during DATA leaves ``sending``.
4. **Reconcile** (at the start and end of every run): a request found in ``sending`` is looked
   up by Message-ID in the Sent folder over IMAP. Found -> ``sent``. Not found and no DATA mark ->
   back to ``queued`` (it never left). Not found after the DATA mark -> unresolved: the operator
   decides (interactive), or with ``--yes`` it stays in ``sending`` and is reported -- unless the
   operator declared ``--trust-sent-folder`` (the server files every accepted message in the
   Sent folder when it accepts it, as Gmail, Exchange and the pobi sandbox do), in which case a
   missing copy means the message was not accepted and it is queued again.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import VN_TZ, now
from pobi.config import Config
from pobi.errors import (
    EvidenceError,
    ExternalServiceError,
    InputError,
    NotFoundError,
    PobiError,
    StateError,
)
from pobi.evidence import EvidenceStore, record, sha256_bytes
from pobi.models import RequestState, SendOutcome
from pobi.registry import provinces
from pobi.rounds import get_round
from pobi.store import Store
from pobi.store.tables import ProbeRequest, RequestEvent
from probes.law import law_in_force
from probes.smtp import Submission
from probes.template import Ask, Template, load_ask, load_template, render, require_requester
from probes.token import reply_address, subject_tag

S = RequestState
ALLOWED: dict[str, set[str]] = {
    S.DRAFT: {S.QUEUED},
    S.QUEUED: {S.SENDING},
    S.SENDING: {S.SENT, S.QUEUED, S.FAILED, S.REJECTED, S.SENDING},
    S.FAILED: {S.QUEUED},
    S.SENT: {S.BOUNCED},
    S.REJECTED: {S.QUEUED},  # only by the operator: requeue_rejected
    S.BOUNCED: set(),
}
DATA_MARK = "DATA: message handed to the server"
SENDABLE = (S.DRAFT.value, S.QUEUED.value, S.FAILED.value)


PLANNED_KINDS = {"finance", "portal", "override"}


def _addressed_to(raw: bytes) -> set[str]:
    """Every address in the message's To, Cc and Bcc headers (lower-cased)."""
    from email import message_from_bytes
    from email.utils import getaddresses

    msg = message_from_bytes(raw)
    values = [str(v) for h in ("To", "Cc", "Bcc") for v in msg.get_all(h, [])]
    return {a.lower() for _n, a in getaddresses(values) if a}


def transition(session: Session, req: ProbeRequest, to: RequestState, detail: str) -> None:
    """Change a request's state (checked against ALLOWED) and journal it."""
    if to.value not in ALLOWED[RequestState(req.state)]:
        raise StateError(f"Request {req.id} cannot go from {req.state} to {to.value}")
    session.add(
        RequestEvent(
            request_id=req.id,
            from_state=req.state,
            to_state=to.value,
            detail=detail[:4000],
            at=now(),
        )
    )
    req.state = to.value


def outbox_dir(cfg: Config, round_id: str) -> Path:
    return cfg.home / "outbox" / round_id


def saved_ask_path(cfg: Config, round_id: str) -> Path:
    return outbox_dir(cfg, round_id) / "ask.toml"


def round_ask(cfg: Config, round_id: str, ask_file: Path | None) -> Ask:
    """The round's ask: ``--ask FILE`` (saved in the outbox folder for later runs), else the
    one saved earlier, else the default."""
    saved = saved_ask_path(cfg, round_id)
    if ask_file is not None:
        ask = load_ask(ask_file)
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_bytes(Path(ask_file).read_bytes())
        return ask
    return load_ask(saved if saved.exists() else None)


@dataclass
class Composer:
    cfg: Config
    template: Template
    ask: Ask
    secret: str
    names: dict[str, str]

    @classmethod
    def for_round(cls, session: Session, cfg: Config, round_id: str, ask: Ask) -> Composer:
        require_requester(cfg.requester)
        rnd = get_round(session, round_id)
        names = {p.code: p.name for p in provinces(rnd.era)}
        return cls(cfg, load_template(cfg.probes.template), ask, cfg.secret("token_secret"), names)

    def reply_address(self, req: ProbeRequest) -> str:
        return reply_address(
            self.cfg.probes.reply_local,
            self.cfg.probes.reply_domain,
            req.round_id,
            req.n,
            self.secret,
        )

    def new_message_id(self, req: ProbeRequest) -> str:
        """A random Message-ID on the reply domain: like a mail client's, naming no tool."""
        domain = self.cfg.probes.reply_domain or "localhost"
        return f"<{secrets.token_hex(16)}@{domain}>"

    def compose(self, req: ProbeRequest, message_id: str, when: datetime) -> tuple[bytes, str, str]:
        """(exact bytes, reply address, subject) of the request's e-mail."""
        reply = self.reply_address(req)
        template = (
            load_template(req.template) if req.template != self.template.id else self.template
        )
        letter = render(
            template,
            self.ask,
            requester=self.cfg.requester,
            province_name=self.names.get(req.province_code, req.province_code),
            recipient_kind=req.recipient_kind,
            tag=subject_tag(req.round_id, req.n, self.cfg.probes.subject_tag),
            reply_to=reply,
            when=when,
            law_vi=law_in_force(when).vi,
            law_en=law_in_force(when).en,
        )
        msg = EmailMessage(policy=SMTP)
        msg["From"] = formataddr((self.cfg.requester.full_name, reply))
        msg["Reply-To"] = reply
        msg["To"] = req.recipient
        msg["Subject"] = letter.subject
        msg["Date"] = format_datetime(when.astimezone(VN_TZ))  # as a Vietnamese client would
        msg["Message-ID"] = message_id
        # No X-Mailer / User-Agent: the letter is a citizen's, and names no tool (issue 17).
        msg.set_content(letter.body, charset="utf-8", cte="quoted-printable")
        return msg.as_bytes(policy=SMTP), reply, letter.subject


def queue_request(
    session: Session, evidence: EvidenceStore, composer: Composer, req: ProbeRequest
) -> None:
    """Fix the Message-ID and the exact bytes (evidence) and move to ``queued``."""
    if req.state == S.FAILED.value and req.eml_sha256:
        transition(session, req, S.QUEUED, "queued again after an earlier failure (same bytes)")
        return
    if req.state != S.DRAFT.value:
        raise StateError(f"Request {req.id} is {req.state}; only drafts can be queued")
    if not req.eml_sha256:
        message_id = composer.new_message_id(req)
        when = now()
        raw, reply, subject = composer.compose(req, message_id, when)
        req.law = law_in_force(when).id
        req.eml_sha256 = record(
            session,
            evidence,
            raw,
            kind="email",
            media_type="message/rfc822",
            note=f"request {req.id} to {req.recipient}",
        )
        req.message_id, req.reply_address, req.subject = message_id, reply, subject
    transition(
        session, req, S.QUEUED, f"bytes fixed: Message-ID {req.message_id}, sha256 {req.eml_sha256}"
    )


def ever_handed_over(session: Session, req: ProbeRequest) -> bool:
    """Was this request's message ever handed to a server (a DATA mark in its journal)?"""
    return (
        session.scalars(
            select(RequestEvent.id)
            .where(RequestEvent.request_id == req.id, RequestEvent.detail.startswith("DATA"))
            .limit(1)
        ).first()
        is not None
    )


def refresh_unsent(
    session: Session, evidence: EvidenceStore, composer: Composer, req: ProbeRequest
) -> bool:
    """Re-fix the bytes of a queued/failed request whose reply address no longer matches the
    configuration (e.g. after the server refused the sender). Only a message that was never
    handed to a server is rebuilt; its Message-ID is kept. Returns True when rebuilt."""
    if req.state not in (S.QUEUED.value, S.FAILED.value) or not req.eml_sha256:
        return False
    new_reply = composer.reply_address(req)
    if new_reply == req.reply_address or ever_handed_over(session, req):
        return False
    raw, reply, subject = composer.compose(req, req.message_id, now())
    old = req.reply_address
    req.eml_sha256 = record(
        session,
        evidence,
        raw,
        kind="email",
        media_type="message/rfc822",
        note=f"request {req.id} to {req.recipient} (rebuilt)",
    )
    req.reply_address, req.subject = reply, subject
    session.add(
        RequestEvent(
            request_id=req.id,
            from_state=req.state,
            to_state=req.state,
            detail=f"bytes re-fixed (never sent): reply address {old} -> {reply}, "
            f"sha256 {req.eml_sha256}",
            at=now(),
        )
    )
    return True


def write_previews(
    session: Session, evidence: EvidenceStore, composer: Composer, cfg: Config, round_id: str
) -> list[Path]:
    """Write ``$POBI_HOME/outbox/<round>/<n>-<province>.eml`` for every request still to send
    (the fixed bytes when queued; a fresh rendering for drafts). Sends and commits nothing."""
    folder = outbox_dir(cfg, round_id)
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for req in sendable(session, round_id):
        if req.eml_sha256:
            raw = evidence.read(req.eml_sha256)
        else:
            raw, _reply, _subject = composer.compose(req, composer.new_message_id(req), now())
        path = folder / f"{req.n:04d}-{req.province_code}.eml"
        path.write_bytes(raw)
        out.append(path)
    return out


def sendable(session: Session, round_id: str) -> list[ProbeRequest]:
    return list(
        session.scalars(
            select(ProbeRequest)
            .where(
                ProbeRequest.round_id == round_id,
                ProbeRequest.state.in_(SENDABLE),
                ProbeRequest.channel == "email",  # a postal letter's draft is never e-mailed
            )
            .order_by(ProbeRequest.n)
        )
    )


# --------------------------------------------------------------------------- reconcile


@dataclass
class Unresolved:
    request_id: str
    recipient: str
    message_id: str
    reason: str


@dataclass
class ReconcileReport:
    found_sent: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)


def handed_over(session: Session, req: ProbeRequest) -> bool:
    """Did the last submission reach the DATA mark (so the server may have the message)?"""
    last = session.scalars(
        select(RequestEvent)
        .where(RequestEvent.request_id == req.id)
        .order_by(RequestEvent.id.desc())
        .limit(1)
    ).first()
    return last is not None and last.detail.startswith("DATA")


def reconcile(
    store: Store,
    cfg: Config,
    round_id: str,
    *,
    trust_sent_folder: bool = False,
    lookup: Callable[[str], datetime | None] | None = None,
) -> ReconcileReport:
    """Resolve requests left in ``sending`` (see the module docstring). ``lookup`` finds a
    Message-ID in the Sent folder and returns when the server filed it (None: not there); by
    default it is an IMAP search of ``[imap] sent_folder``."""
    report = ReconcileReport()
    with store.session() as s:
        pending = list(
            s.scalars(
                select(ProbeRequest)
                .where(ProbeRequest.round_id == round_id, ProbeRequest.state == S.SENDING.value)
                .order_by(ProbeRequest.n)
            )
        )
        marks = {r.id: handed_over(s, r) for r in pending}
    if not pending:
        return report
    lookup_error = ""
    found: dict[str, datetime | None] = {}
    if lookup is None and cfg.imap.host:
        try:
            found = _sent_folder_lookup(cfg, [r.message_id for r in pending])
            lookup = found.get
        except PobiError as exc:  # unreachable server, missing password...: ask, don't guess
            lookup_error = str(exc)
    elif lookup is None:
        lookup_error = (
            "IMAP (pobi.toml section imap) is not configured, so the Sent folder cannot be checked"
        )
    for r in pending:
        when = lookup(r.message_id) if lookup is not None else None
        in_sent = lookup is not None and (r.message_id in found or when is not None)
        with store.session() as s:
            req = s.get(ProbeRequest, r.id)
            assert req is not None
            if in_sent:
                req.sent_at = when or now()
                transition(
                    s,
                    req,
                    S.SENT,
                    f"reconciled: Message-ID found in the Sent folder {cfg.imap.sent_folder!r}",
                )
                report.found_sent.append(req.id)
            elif not marks[r.id]:
                transition(
                    s,
                    req,
                    S.QUEUED,
                    "reconciled: the run stopped before DATA, so nothing was sent; queued again",
                )
                report.requeued.append(req.id)
            elif trust_sent_folder and not lookup_error:
                transition(
                    s,
                    req,
                    S.QUEUED,
                    "reconciled: not in the Sent folder, which the operator declared complete "
                    "(--trust-sent-folder); queued again",
                )
                report.requeued.append(req.id)
            else:
                why = lookup_error or (
                    f"handed to the server but not found in the Sent folder {cfg.imap.sent_folder!r}"
                )
                report.unresolved.append(Unresolved(req.id, req.recipient, req.message_id, why))
    return report


def _sent_folder_lookup(cfg: Config, message_ids: list[str]) -> dict[str, datetime | None]:
    from probes.imap import find_message_id, folder_names, open_mailbox

    out: dict[str, datetime | None] = {}
    with open_mailbox(cfg.imap, cfg.secret("imap_password")) as box:
        if cfg.imap.sent_folder not in folder_names(box):
            raise ExternalServiceError(
                f"The IMAP account has no folder {cfg.imap.sent_folder!r} (setting imap.sent_folder)"
            )
        for mid in message_ids:
            got = find_message_id(box, cfg.imap.sent_folder, mid)
            if got is not None:
                out[mid] = got.internaldate
    return out


def resolve(store: Store, request_id: str, decision: str) -> None:
    """The operator's decision on an unresolved request: 'sent' or 'resend'."""
    with store.session() as s:
        req = s.get(ProbeRequest, request_id)
        if req is None:
            raise NotFoundError(f"No request {request_id}")
        if req.state != S.SENDING.value:
            raise StateError(f"Request {request_id} is {req.state}, not sending")
        if decision == "sent":
            req.sent_at = now()
            transition(s, req, S.SENT, "operator confirmed it was sent")
        elif decision == "resend":
            transition(s, req, S.QUEUED, "operator decided to send it again")
        else:
            raise StateError(f"Unknown decision {decision!r}")


def requeue_rejected(store: Store, request_id: str, reason: str) -> ProbeRequest:
    """Send a rejected request again (the operator's decision, with a reason): a server's 5xx
    means it did not take the message, so a second submission cannot make a second copy. The
    same bytes and Message-ID are sent by the next ``probe send --send``."""
    reason = reason.strip()
    if not reason:
        raise InputError("Say why the request may now be accepted (--reason).")
    with store.session() as s:
        req = s.get(ProbeRequest, request_id)
        if req is None:
            raise NotFoundError(f"No request {request_id}")
        if req.state != S.REJECTED.value:
            raise StateError(
                f"Request {request_id} is {req.state}, not rejected; only a rejected request "
                "can be queued again this way."
            )
        transition(s, req, S.QUEUED, f"queued again by the operator (same bytes): {reason}")
        s.flush()
        s.expunge(req)
        return req


# --------------------------------------------------------------------------- send


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)

    def file(self, rid: str, outcome: SendOutcome, detail: str) -> None:
        """Put one attempt's result in its list (first letters and reminders alike)."""
        if outcome is SendOutcome.ACCEPTED:
            self.sent.append(rid)
        elif outcome is SendOutcome.PERMANENT:
            self.rejected.append((rid, detail))
        elif outcome is SendOutcome.TEMPORARY:
            self.failed.append((rid, detail))
        else:
            self.unknown.append((rid, detail))


class RateLimiter:
    def __init__(self, per_minute: float) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self._next = 0.0

    async def wait(self) -> None:
        delay = self._next - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        self._next = time.monotonic() + self.interval


async def send_queued(
    store: Store,
    cfg: Config,
    evidence: EvidenceStore,
    round_id: str,
    *,
    on_progress: Callable[[str, str], None] | None = None,
) -> SendReport:
    """Submit every ``queued`` request of the round, in order. Retries 4xx with exponential
    backoff (``2**k`` rate intervals), ``[smtp] max_retries`` times."""
    report = SendReport()
    with store.session() as s:
        ids = [
            r.id
            for r in s.scalars(
                select(ProbeRequest)
                .where(ProbeRequest.round_id == round_id, ProbeRequest.state == S.QUEUED.value)
                .order_by(ProbeRequest.n)
            )
        ]
    if not ids:
        return report
    submission = Submission(cfg.smtp, cfg.secret("smtp_password"))
    limiter = RateLimiter(cfg.smtp.rate_per_minute)
    try:
        for rid in ids:
            outcome, detail = await _send_one(store, cfg, evidence, rid, submission, limiter)
            report.file(rid, outcome, detail)
            if on_progress:
                on_progress(rid, outcome.value)
    finally:
        await submission.close()
    return report


async def _send_one(
    store: Store,
    cfg: Config,
    evidence: EvidenceStore,
    rid: str,
    submission: Submission,
    limiter: RateLimiter,
) -> tuple[SendOutcome, str]:
    with store.session() as s:
        req = s.get(ProbeRequest, rid)
        assert req is not None
        raw = evidence.read(req.eml_sha256)
        envelope_from, recipient = req.reply_address, req.recipient
        planned = _addressed_to(raw)
        if planned != {recipient.lower()} or req.recipient_kind not in PLANNED_KINDS:
            raise StateError(
                f"Request {rid}: its stored message is addressed to {sorted(planned)}, not to its "
                f"planned recipient {recipient}; nothing was sent.",
                hint="Only the round's planned recipients can be sent to: pobi probe plan.",
            )
        if sha256_bytes(raw) != req.eml_sha256:
            raise EvidenceError(
                f"The stored e-mail of request {rid} does not match its hash {req.eml_sha256}: "
                "the evidence file was altered; nothing was sent.",
                hint="pobi evidence verify",
            )
    journal = Journal(
        load=lambda s: s.get(ProbeRequest, rid),
        move=transition,
        note=lambda s, detail: s.add(
            RequestEvent(
                request_id=rid,
                from_state=S.SENDING.value,
                to_state=S.SENDING.value,
                detail=detail,
                at=now(),
            )
        ),
    )
    return await submit_journaled(
        store, cfg, journal, submission, limiter, envelope_from, recipient, raw
    )


@dataclass(frozen=True)
class Journal:
    """How the attempt loop reads and moves the row it sends for: a request's
    (``ProbeRequest`` + ``RequestEvent``) or a reminder's (``RequestWave`` + ``WaveEvent``)."""

    load: Callable[[Session], Any]  # the row, in this session
    move: Callable[[Session, Any, RequestState, str], None]  # a journaled state transition
    note: Callable[[Session, str], None]  # a sending -> sending event with this detail


async def submit_journaled(
    store: Store,
    cfg: Config,
    journal: Journal,
    submission: Submission,
    limiter: RateLimiter,
    envelope_from: str,
    recipient: str,
    raw: bytes,
) -> tuple[SendOutcome, str]:
    """Hand one stored message to the server, every step journaled before it happens (the
    exactly-once protocol above): queued -> sending, the DATA mark, then sent / rejected /
    unknown, or queued again with backoff on a temporary failure until the retries run out."""
    max_retries = max(0, cfg.smtp.max_retries)
    for k in range(max_retries + 1):
        await limiter.wait()
        with store.session() as s:
            row = journal.load(s)
            assert row is not None
            row.attempts += 1
            journal.move(
                s, row, S.SENDING, f"attempt {row.attempts}: submitting to {submission.where}"
            )

        async def mark() -> None:
            with store.session() as s:
                journal.note(s, DATA_MARK)

        try:
            attempt = await submission.send(envelope_from, recipient, raw, before_data=mark)
        except ExternalServiceError as exc:
            with store.session() as s:
                row = journal.load(s)
                assert row is not None
                row.last_error = str(exc)
                journal.move(s, row, S.QUEUED, f"not sent (server unreachable): {exc}")
            raise
        with store.session() as s:
            row = journal.load(s)
            assert row is not None
            if attempt.outcome is SendOutcome.ACCEPTED:
                row.sent_at, row.last_error = now(), ""
                journal.move(s, row, S.SENT, f"accepted: {attempt.detail}")
                return attempt.outcome, attempt.detail
            row.last_error = attempt.detail
            if attempt.outcome is SendOutcome.PERMANENT:
                journal.move(s, row, S.REJECTED, f"rejected: {attempt.detail}")
                return attempt.outcome, attempt.detail
            if attempt.outcome is SendOutcome.UNKNOWN:
                journal.note(s, f"DATA outcome unknown: {attempt.detail}")
                return attempt.outcome, attempt.detail
            if k < max_retries:
                delay = limiter.interval * (2**k)
                journal.move(
                    s,
                    row,
                    S.QUEUED,
                    f"temporary failure: {attempt.detail}; retry {k + 1} of {max_retries} "
                    f"in {delay:.1f} s",
                )
            else:
                journal.move(
                    s,
                    row,
                    S.FAILED,
                    f"temporary failure: {attempt.detail}; {max_retries} retries exhausted",
                )
                return attempt.outcome, attempt.detail
        await asyncio.sleep(delay)
    raise AssertionError("unreachable")
