"""Reminder waves: a follow-up to every e-mail request still without a human reply.

Wave 1 is the request itself; wave 2 is the first reminder, wave 3 the second, and so on. A
request is due a reminder of wave ``W`` when its letter (and every earlier reminder) was sent, no
human reply is matched to it, it did not bounce, and at least ``--after N`` Vietnamese working
days passed since its last letter. The reminder is written in the request's thread
(``In-Reply-To`` the last letter, ``References`` every earlier one), from the same reply address
(the same reply token) and with the same subject tag, so whatever the agency answers still matches.

Exactly once per request and wave: a ``request_waves`` row is unique per (request, wave) and goes
through the outbox's protocol (:mod:`probes.outbox`): bytes and Message-ID fixed and committed
(``queued``) before any connection, ``sending`` committed, a DATA mark journaled before the
message is handed over, ``sent`` / ``rejected`` / ``failed`` after; a run that crashed is
reconciled against the Sent folder before anything else is sent. A second reminder of a wave that
was already sent is refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import format_datetime, formataddr
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import VN_TZ, aware, now
from pobi.config import Config
from pobi.errors import EvidenceError, InputError, PobiError, StateError
from pobi.evidence import EvidenceStore, record, sha256_bytes
from pobi.models import ReplyKind, RequestChannel, RequestState, SendOutcome
from pobi.registry import provinces
from pobi.rounds import get_round
from pobi.store import Store
from pobi.store.tables import Message, ProbeRequest, RequestWave, WaveEvent
from pobi.workdays import Calendar
from probes.law import law_in_force
from probes.outbox import (
    Journal,
    RateLimiter,
    SendReport,
    outbox_dir,
    submit_journaled,
)
from probes.smtp import Submission
from probes.template import TEMPLATES, load_template, require_requester

S = RequestState
WAVE_ALLOWED: dict[str, set[str]] = {
    S.QUEUED: {S.SENDING},
    S.SENDING: {S.SENT, S.QUEUED, S.FAILED, S.REJECTED, S.SENDING},
    S.FAILED: {S.QUEUED},
    S.SENT: set(),
    S.REJECTED: set(),
}
RESUMABLE = (S.QUEUED.value, S.FAILED.value)
REMINDER_VI = TEMPLATES / "reminder-v1.vi.txt"
REMINDER_EN = TEMPLATES / "reminder-v1.en.txt"


@dataclass
class Due:
    request: ProbeRequest
    last_sent: datetime
    days: int  # working days since the last letter
    thread: list[str]  # Message-IDs of the request and its earlier reminders, oldest first


@dataclass
class WavePlan:
    wave: int
    due: list[Due] = field(default_factory=list)
    resumable: list[RequestWave] = field(default_factory=list)  # queued / failed rows
    already: list[RequestWave] = field(default_factory=list)  # rows of this wave (any state)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count


def human_replied(session: Session, round_id: str) -> set[str]:
    """Requests with at least one matched human reply (manual assignments included)."""
    return set(
        session.scalars(
            select(Message.request_id).where(
                Message.round_id == round_id,
                Message.request_id.is_not(None),
                Message.kind == ReplyKind.HUMAN.value,
            )
        )
    )


def waves_by_request(session: Session, round_id: str) -> dict[str, dict[int, RequestWave]]:
    out: dict[str, dict[int, RequestWave]] = {}
    for w in session.scalars(
        select(RequestWave)
        .join(ProbeRequest, ProbeRequest.id == RequestWave.request_id)
        .where(ProbeRequest.round_id == round_id)
        .order_by(RequestWave.wave)
    ):
        out.setdefault(w.request_id, {})[w.wave] = w
    return out


def plan_wave(
    session: Session,
    round_id: str,
    wave: int,
    after: int,
    *,
    calendar: Calendar | None = None,
    at: datetime | None = None,
) -> WavePlan:
    """Which e-mail requests are due a reminder of ``wave`` (>= 2) after ``after`` working days."""
    if wave < 2:
        raise InputError("--wave must be 2 or more (wave 1 is the request itself).")
    if after < 0:
        raise InputError("--after must be a number of working days, 0 or more.")
    get_round(session, round_id)
    calendar = calendar or Calendar()
    at = aware(at or now())
    replied = human_replied(session, round_id)
    waves = waves_by_request(session, round_id)
    plan = WavePlan(wave)

    def skip(reason: str) -> None:
        plan.skipped[reason] = plan.skipped.get(reason, 0) + 1

    for r in session.scalars(
        select(ProbeRequest)
        .where(ProbeRequest.round_id == round_id, ProbeRequest.channel == RequestChannel.EMAIL)
        .order_by(ProbeRequest.n)
    ):
        mine = waves.get(r.id, {})
        if wave in mine:
            plan.already.append(mine[wave])
            if mine[wave].state in RESUMABLE:
                plan.resumable.append(mine[wave])
            continue
        if r.state == S.BOUNCED.value:
            skip("bounced")
            continue
        if r.state != S.SENT.value or r.sent_at is None:
            skip("request not sent")
            continue
        if r.id in replied:
            skip("already answered by a person")
            continue
        earlier = [mine.get(k) for k in range(2, wave)]
        if any(w is None or w.state != S.SENT.value or w.sent_at is None for w in earlier):
            skip(f"reminder wave {wave - 1} not sent")
            continue
        sent_times = [aware(r.sent_at)] + [aware(w.sent_at) for w in earlier if w and w.sent_at]
        last = max(sent_times)
        days = calendar.working_days_between(last, at)
        if days < after:
            skip(f"fewer than {after} working days since the last letter")
            continue
        thread = [r.message_id] + [w.message_id for w in earlier if w]
        plan.due.append(Due(r, last, days, thread))
    return plan


def _original_text(evidence: EvidenceStore, req: ProbeRequest) -> str:
    msg = message_from_bytes(evidence.read(req.eml_sha256), policy=default)
    body = msg.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""  # type: ignore[union-attr]
    return "\n".join("> " + line if line else ">" for line in text.strip().splitlines())


def _unit(name: str) -> str:
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix) :]
    return name


@dataclass
class ReminderComposer:
    cfg: Config
    evidence: EvidenceStore
    names: dict[str, str]

    @classmethod
    def for_round(
        cls, session: Session, cfg: Config, evidence: EvidenceStore, round_id: str
    ) -> ReminderComposer:
        require_requester(cfg.requester)
        rnd = get_round(session, round_id)
        return cls(cfg, evidence, {p.code: p.name for p in provinces(rnd.era)})

    def new_message_id(self, req: ProbeRequest) -> str:
        domain = req.reply_address.rsplit("@", 1)[-1] or "localhost"
        return f"<{secrets.token_hex(16)}@{domain}>"

    def compose(
        self, due: Due, wave: int, message_id: str, when: datetime
    ) -> tuple[bytes, str, str]:
        """(exact bytes, subject, law id) of the reminder."""
        req = due.request
        template = load_template(req.template)
        law = law_in_force(when)
        province = _unit(self.names.get(req.province_code, req.province_code))
        addressee = template.addressee_vi.get(req.recipient_kind, "{province_name}").format(
            province_name=province
        )
        first = aware(req.sent_at or when).astimezone(VN_TZ)
        tag = next((part for part in req.subject.split() if part.startswith("[")), f"[{req.id}]")
        body = REMINDER_VI.read_text(encoding="utf-8").format(
            addressee=addressee,
            first_date=first.strftime("%d/%m/%Y"),
            tag=tag.strip("[]"),
            days=due.days,
            law_vi=law.vi,
            full_name=self.cfg.requester.full_name.strip(),
            phone=self.cfg.requester.phone.strip(),
            original=_original_text(self.evidence, req),
        )
        prefix = "Nhắc lại" if wave == 2 else f"Nhắc lại lần {wave - 1}"
        subject = f"{prefix}: {req.subject}"
        msg = EmailMessage(policy=SMTP)
        msg["From"] = formataddr((self.cfg.requester.full_name, req.reply_address))
        msg["Reply-To"] = req.reply_address
        msg["To"] = req.recipient
        msg["Subject"] = subject
        msg["Date"] = format_datetime(when.astimezone(VN_TZ))
        msg["Message-ID"] = message_id
        msg["In-Reply-To"] = due.thread[-1]
        msg["References"] = " ".join(due.thread)
        msg.set_content(body, charset="utf-8", cte="quoted-printable")
        return msg.as_bytes(policy=SMTP), subject, law.id


def wave_transition(session: Session, row: RequestWave, to: RequestState, detail: str) -> None:
    if to.value not in WAVE_ALLOWED[RequestState(row.state)]:
        raise StateError(
            f"Reminder wave {row.wave} of {row.request_id} cannot go from {row.state} to {to.value}"
        )
    session.add(
        WaveEvent(
            wave_pk=row.id, from_state=row.state, to_state=to.value, detail=detail[:4000], at=now()
        )
    )
    row.state = to.value


def write_previews(
    session: Session, composer: ReminderComposer, cfg: Config, plan: WavePlan
) -> list[Path]:
    """``$POBI_HOME/outbox/<round>/wave-<W>/<n>-<province>.eml`` for every reminder still to
    send (fixed bytes when queued, a fresh rendering when due). Sends and stores nothing."""
    out: list[Path] = []
    for due in plan.due:
        req = due.request
        folder = outbox_dir(cfg, req.round_id) / f"wave-{plan.wave}"
        folder.mkdir(parents=True, exist_ok=True)
        raw, _subject, _law = composer.compose(due, plan.wave, composer.new_message_id(req), now())
        path = folder / f"{req.n:04d}-{req.province_code}.eml"
        path.write_bytes(raw)
        out.append(path)
    for row in plan.resumable:
        req = session.get(ProbeRequest, row.request_id)
        assert req is not None
        folder = outbox_dir(cfg, req.round_id) / f"wave-{plan.wave}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{req.n:04d}-{req.province_code}.eml"
        path.write_bytes(composer.evidence.read(row.eml_sha256))
        out.append(path)
    return out


def queue_reminder(
    session: Session, composer: ReminderComposer, due: Due, wave: int
) -> RequestWave:
    """Fix the reminder's Message-ID and bytes (evidence) and store it as ``queued``."""
    req = due.request
    existing = session.scalar(
        select(RequestWave).where(RequestWave.request_id == req.id, RequestWave.wave == wave)
    )
    if existing is not None:
        raise StateError(
            f"Request {req.id} already has a reminder of wave {wave} ({existing.state}); "
            "a second reminder of the same wave is refused."
        )
    when = now()
    message_id = composer.new_message_id(req)
    raw, subject, law = composer.compose(due, wave, message_id, when)
    sha = record(
        session,
        composer.evidence,
        raw,
        kind="email",
        media_type="message/rfc822",
        note=f"reminder wave {wave} of request {req.id} to {req.recipient}",
    )
    row = RequestWave(
        request_id=req.id,
        wave=wave,
        state=S.QUEUED.value,
        message_id=message_id,
        subject=subject,
        eml_sha256=sha,
        created_at=when,
    )
    session.add(row)
    session.flush()
    session.add(
        WaveEvent(
            wave_pk=row.id,
            from_state="",
            to_state=S.QUEUED.value,
            detail=f"bytes fixed: Message-ID {message_id}, sha256 {sha}, cites {law}, "
            f"{due.days} working days after the last letter",
            at=when,
        )
    )
    return row


def _last_event(session: Session, row: RequestWave) -> WaveEvent | None:
    return session.scalars(
        select(WaveEvent).where(WaveEvent.wave_pk == row.id).order_by(WaveEvent.id.desc()).limit(1)
    ).first()


@dataclass
class WaveReconcile:
    found_sent: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def reconcile_wave(
    store: Store,
    cfg: Config,
    round_id: str,
    wave: int,
    *,
    trust_sent_folder: bool = False,
    lookup: Callable[[str], datetime | None] | None = None,
) -> WaveReconcile:
    """Resolve reminders a crash left in ``sending``, as :func:`probes.outbox.reconcile` does:
    found in the Sent folder -> sent; no DATA mark -> queued; otherwise unresolved (or queued
    with ``trust_sent_folder``)."""
    report = WaveReconcile()
    with store.session() as s:
        pending = [
            (w.id, w.request_id, w.message_id, (_last_event(s, w) or WaveEvent()).detail or "")
            for w in s.scalars(
                select(RequestWave)
                .join(ProbeRequest, ProbeRequest.id == RequestWave.request_id)
                .where(
                    ProbeRequest.round_id == round_id,
                    RequestWave.wave == wave,
                    RequestWave.state == S.SENDING.value,
                )
            )
        ]
    if not pending:
        return report
    error = ""
    found: dict[str, datetime | None] = {}
    if lookup is None and cfg.imap.host:
        from probes.outbox import _sent_folder_lookup

        try:
            found = _sent_folder_lookup(cfg, [mid for _, _, mid, _ in pending])
            lookup = found.get
        except PobiError as exc:
            error = str(exc)
    elif lookup is None:
        error = "IMAP is not configured, so the Sent folder cannot be checked"
    for pk, request_id, mid, last in pending:
        when = lookup(mid) if lookup is not None else None
        in_sent = lookup is not None and (mid in found or when is not None)
        with store.session() as s:
            row = s.get(RequestWave, pk)
            assert row is not None
            if in_sent:
                row.sent_at = when or now()
                wave_transition(s, row, S.SENT, "reconciled: found in the Sent folder")
                report.found_sent.append(request_id)
            elif not last.startswith("DATA"):
                wave_transition(s, row, S.QUEUED, "reconciled: stopped before DATA; queued again")
                report.requeued.append(request_id)
            elif trust_sent_folder and not error:
                wave_transition(
                    s, row, S.QUEUED, "reconciled: not in the trusted Sent folder; queued again"
                )
                report.requeued.append(request_id)
            else:
                report.unresolved.append(request_id)
    return report


async def send_wave(
    store: Store,
    cfg: Config,
    evidence: EvidenceStore,
    round_id: str,
    wave: int,
    *,
    on_progress: Callable[[str, str], None] | None = None,
) -> SendReport:
    """Submit every queued reminder of the wave (4xx retried with backoff, as the outbox does)."""
    report = SendReport()
    with store.session() as s:
        pks = [
            w.id
            for w in s.scalars(
                select(RequestWave)
                .join(ProbeRequest, ProbeRequest.id == RequestWave.request_id)
                .where(
                    ProbeRequest.round_id == round_id,
                    RequestWave.wave == wave,
                    RequestWave.state == S.QUEUED.value,
                )
                .order_by(ProbeRequest.n)
            )
        ]
    if not pks:
        return report
    submission = Submission(cfg.smtp, cfg.secret("smtp_password"))
    limiter = RateLimiter(cfg.smtp.rate_per_minute)
    try:
        for pk in pks:
            rid, outcome, detail = await _send_one(store, cfg, evidence, pk, submission, limiter)
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
    pk: int,
    submission: Submission,
    limiter: RateLimiter,
) -> tuple[str, SendOutcome, str]:
    with store.session() as s:
        row = s.get(RequestWave, pk)
        assert row is not None
        req = s.get(ProbeRequest, row.request_id)
        assert req is not None
        rid, envelope_from, recipient = req.id, req.reply_address, req.recipient
        raw = evidence.read(row.eml_sha256)
        if sha256_bytes(raw) != row.eml_sha256:
            raise EvidenceError(
                f"The stored reminder of {rid} does not match its hash; nothing was sent.",
                hint="pobi evidence verify",
            )
    journal = Journal(
        load=lambda s: s.get(RequestWave, pk),
        move=wave_transition,
        note=lambda s, detail: s.add(
            WaveEvent(
                wave_pk=pk,
                from_state=S.SENDING.value,
                to_state=S.SENDING.value,
                detail=detail,
                at=now(),
            )
        ),
    )
    outcome, detail = await submit_journaled(
        store, cfg, journal, submission, limiter, envelope_from, recipient, raw
    )
    return rid, outcome, detail


def requeue_failed(session: Session, plan: WavePlan) -> int:
    """Failed reminders of the wave go back to queued (same bytes) for this run."""
    n = 0
    for row in plan.resumable:
        if row.state == S.FAILED.value:
            wave_transition(session, row, S.QUEUED, "queued again after an earlier failure")
            n += 1
    return n
