"""Two coders and an adjudicator: every human reply coded independently, disagreements settled.

- Coders are registered (``pobi probe coders add NAME [--adjudicator]``); a code from anyone else
  is refused and nothing is written.
- Blind: :func:`blind_queue` gives a coder the human replies they have not coded yet, and nothing
  about anyone else's codes; :func:`code_blind` records their code (role ``coder``).
- :func:`disagreements` lists replies whose coders disagree and no adjudicator has decided;
  :func:`adjudicate` records the adjudicator's code (role ``adjudicator``), which wins
  (:func:`pobi.timing.latest_codings`).

Everything is append-only in ``message_codings``: a coder who changes their mind adds a row, and
their newest row is their code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import now
from pobi.errors import CsvRowError, InputError, PobiError, StateError
from pobi.models import CoderRole, Coding, ReplyKind
from pobi.store.tables import Coder, Message, MessageCoding
from probes.lookup import find_message
from probes.text import clean


def register_coder(session: Session, name: str, role: CoderRole | str) -> Coder:
    name = clean(name or "").strip()[:128]
    if not name:
        raise InputError("Give the coder's name.")
    try:
        role = CoderRole(role)
    except ValueError as exc:
        raise InputError(f"Role must be coder or adjudicator, not {role!r}") from exc
    row = session.get(Coder, name)
    if row is not None:
        if row.role != role.value:
            raise StateError(
                f"{name} is already registered as {row.role}; one person, one role per workspace."
            )
        return row
    row = Coder(name=name, role=role.value, registered_at=now())
    session.add(row)
    session.flush()
    return row


def coders(session: Session) -> list[Coder]:
    return list(session.scalars(select(Coder).order_by(Coder.role, Coder.name)))


def require_coder(session: Session, name: str, role: CoderRole) -> Coder:
    row = session.get(Coder, (name or "").strip())
    if row is None:
        known = ", ".join(f"{c.name} ({c.role})" for c in coders(session)) or "none yet"
        raise InputError(
            f"Unknown coder {name!r}: codes are accepted only from registered coders "
            f"(registered: {known}). Nothing was stored.",
            hint="pobi probe coders add NAME  (or --adjudicator)",
        )
    if row.role != role.value:
        raise InputError(f"{name} is registered as {row.role}, not {role.value}.")
    return row


def human_replies(session: Session, round_id: str) -> list[Message]:
    return list(
        session.scalars(
            select(Message)
            .where(Message.round_id == round_id, Message.kind == ReplyKind.HUMAN.value)
            .order_by(Message.received_at, Message.id)
        )
    )


def coder_codes(session: Session, round_id: str) -> dict[int, dict[str, MessageCoding]]:
    """message pk -> coder -> that coder's newest code (role ``coder`` only)."""
    out: dict[int, dict[str, MessageCoding]] = {}
    for c in session.scalars(
        select(MessageCoding)
        .join(Message, Message.id == MessageCoding.message_pk)
        .where(Message.round_id == round_id, MessageCoding.role == CoderRole.CODER.value)
        .order_by(MessageCoding.id)
    ):
        out.setdefault(c.message_pk, {})[c.coder] = c
    return out


def adjudications(session: Session, round_id: str) -> dict[int, MessageCoding]:
    out: dict[int, MessageCoding] = {}
    for c in session.scalars(
        select(MessageCoding)
        .join(Message, Message.id == MessageCoding.message_pk)
        .where(Message.round_id == round_id, MessageCoding.role == CoderRole.ADJUDICATOR.value)
        .order_by(MessageCoding.id)
    ):
        out[c.message_pk] = c
    return out


def blind_queue(session: Session, round_id: str, coder: str) -> list[Message]:
    """The human replies ``coder`` has not coded yet. Shows nothing of other coders' work."""
    require_coder(session, coder, CoderRole.CODER)
    done = {pk for pk, by in coder_codes(session, round_id).items() if coder in by}
    return [m for m in human_replies(session, round_id) if m.id not in done]


def _check_message(message: Message) -> None:
    if message.kind != ReplyKind.HUMAN.value:
        raise InputError(
            f"Message #{message.id} is a {message.kind}, not a human reply; only human replies "
            "are double-coded."
        )


def code_blind(
    session: Session, message: Message, coding: Coding, *, coder: str, note: str = ""
) -> MessageCoding:
    require_coder(session, coder, CoderRole.CODER)
    _check_message(message)
    row = MessageCoding(
        message_pk=message.id,
        coding=coding.value,
        note=clean(note),
        coder=coder,
        role=CoderRole.CODER.value,
        at=now(),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Disagreement:
    message: Message
    codes: dict[str, str]  # coder -> code
    adjudicated: str  # the adjudicator's code, '' if none yet


def disagreements(
    session: Session, round_id: str, *, include_settled: bool = False
) -> list[Disagreement]:
    codes = coder_codes(session, round_id)
    settled = adjudications(session, round_id)
    out = []
    for m in human_replies(session, round_id):
        by = {name: c.coding for name, c in codes.get(m.id, {}).items()}
        if len(by) < 2 or len(set(by.values())) == 1:
            continue
        verdict = settled[m.id].coding if m.id in settled else ""
        if verdict and not include_settled:
            continue
        out.append(Disagreement(m, dict(sorted(by.items())), verdict))
    return out


def adjudicate(
    session: Session, message: Message, coding: Coding, *, adjudicator: str, note: str = ""
) -> MessageCoding:
    require_coder(session, adjudicator, CoderRole.ADJUDICATOR)
    _check_message(message)
    if not note.strip():
        raise InputError("Say why (--reason): the adjudicator's reason is kept with the code.")
    row = MessageCoding(
        message_pk=message.id,
        coding=coding.value,
        note=clean(note),
        coder=adjudicator,
        role=CoderRole.ADJUDICATOR.value,
        at=now(),
    )
    session.add(row)
    session.flush()
    return row


def import_codes(session: Session, path: Path, round_id: str, name: str, role: CoderRole) -> int:
    """A coder's (or the adjudicator's) codes from a CSV ``message_id,code[,note]``: every line is
    checked first (unknown message, bad code, duplicate, not a human reply); one bad line and
    nothing is stored. Returns the number of codes stored."""
    require_coder(session, name, role)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (save the CSV as UTF-8)") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if header[:2] != ["message_id", "code"] or not set(header[2:]) <= {"note", "reason"}:
        raise CsvRowError(str(path), [(1, "header must be message_id,code[,note]")])
    reader.fieldnames = header
    problems: list[tuple[int, str]] = []
    planned: list[tuple[Message, Coding, str]] = []
    seen: dict[int, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append((line, "more fields than the header has columns"))
            continue
        ref, value = (row.get("message_id") or "").strip(), (row.get("code") or "").strip()
        note = (row.get("note") or row.get("reason") or "").strip()
        if not ref and not value:
            continue
        try:
            coding = Coding(value.lower())
        except ValueError:
            problems.append((line, f"code {value!r} is not one of {', '.join(Coding)}"))
            continue
        try:
            msg = find_message(session, ref, round_id)
        except PobiError as exc:
            problems.append((line, exc.message))
            continue
        if msg.kind != ReplyKind.HUMAN.value:
            problems.append((line, f"message {ref} is a {msg.kind}, not a human reply"))
            continue
        if msg.id in seen:
            problems.append((line, f"message {ref} is also on line {seen[msg.id]}"))
            continue
        if role is CoderRole.ADJUDICATOR and not note:
            problems.append((line, "the adjudicator's reason (note) is missing"))
            continue
        seen[msg.id] = line
        planned.append((msg, coding, note))
    if problems:
        raise CsvRowError(str(path), problems)
    for msg, coding, note in planned:
        if role is CoderRole.ADJUDICATOR:
            adjudicate(session, msg, coding, adjudicator=name, note=note)
        else:
            code_blind(session, msg, coding, coder=name, note=note)
    return len(planned)
