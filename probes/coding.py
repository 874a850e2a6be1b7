"""What a reply says: codings with coder and time, append-only (the latest row wins).

Batch coding goes through CSV: ``export_codings`` writes one row per message of a round
(``message_id,coding,note,coder`` first, then context columns that import ignores); researchers
fill in ``coding`` and ``import_codings`` reads it back. Every row is checked before anything is
written: one bad row and nothing is stored, and the error names each bad line.
"""

from __future__ import annotations

import csv
import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import now
from pobi.errors import CsvRowError, InputError, PobiError
from pobi.models import Coding
from pobi.store.tables import Message, MessageCoding
from probes.lookup import find_message
from probes.text import clean

REQUIRED = ("message_id", "coding")
EXPORT_COLUMNS = (
    "message_id",
    "coding",
    "note",
    "coder",
    "coded_at",
    "message_pk",
    "kind",
    "request_id",
    "received_at",
    "from_addr",
    "subject",
)
CODINGS = ", ".join(c.value for c in Coding)


def coder_name(explicit: str | None = None) -> str:
    if explicit and explicit.strip():
        return explicit.strip()
    env = os.environ.get("POBI_CODER", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def parse_coding(value: str) -> Coding:
    try:
        return Coding(value.strip().lower())
    except ValueError as exc:
        raise InputError(f"{value!r} is not a coding; use one of: {CODINGS}") from exc


def latest_coding(session: Session, message_pk: int) -> MessageCoding | None:
    return session.scalar(
        select(MessageCoding)
        .where(MessageCoding.message_pk == message_pk)
        .order_by(MessageCoding.id.desc())
        .limit(1)
    )


def history(session: Session, message_pk: int) -> list[MessageCoding]:
    return list(
        session.scalars(
            select(MessageCoding)
            .where(MessageCoding.message_pk == message_pk)
            .order_by(MessageCoding.id)
        )
    )


def code_message(
    session: Session, message: Message, coding: Coding, *, note: str = "", coder: str
) -> MessageCoding:
    row = MessageCoding(
        message_pk=message.id,
        coding=coding.value,
        note=clean(note),
        coder=clean(coder)[:128],
        at=now(),
    )
    session.add(row)
    session.flush()
    return row


@dataclass
class ImportReport:
    coded: int = 0
    unchanged: int = 0
    blank: int = 0  # rows without a coding (exported, not yet coded)
    messages: list[int] = field(default_factory=list)


def import_codings(
    session: Session, path: Path, *, round_id: str | None = None, coder: str
) -> ImportReport:
    """Read ``message_id,coding,note[,coder]``; all rows valid or nothing is written."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (save the CSV as UTF-8)") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CsvRowError(
            str(path),
            [
                (
                    1,
                    f"missing column(s) {', '.join(missing)}; expected message_id,coding,note[,coder]",
                )
            ],
        )
    reader.fieldnames = header
    problems: list[tuple[int, str]] = []
    planned: list[tuple[Message, Coding, str, str]] = []
    report = ImportReport()
    seen: dict[int, int] = {}
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise CsvRowError(str(path), [(reader.line_num, f"not valid CSV: {exc}")]) from exc
    for line, row in rows:
        if None in row:
            problems.append((line, "more fields than the header has columns"))
            continue
        ref = (row.get("message_id") or "").strip()
        value = (row.get("coding") or "").strip()
        note = (row.get("note") or "").strip()
        who = (row.get("coder") or "").strip() or coder
        if not ref and not value:
            continue
        if not value:
            report.blank += 1
            continue
        try:
            c = Coding(value.lower())
        except ValueError:
            problems.append((line, f"coding {value!r} is not one of {CODINGS}"))
            continue
        try:
            msg = find_message(session, ref, round_id)
        except PobiError as exc:
            problems.append((line, exc.message))
            continue
        if msg.id in seen:
            problems.append((line, f"message {ref} is also coded on line {seen[msg.id]}"))
            continue
        seen[msg.id] = line
        planned.append((msg, c, note, who))
    if problems:
        raise CsvRowError(str(path), problems)
    for msg, c, note, who in planned:
        last = latest_coding(session, msg.id)
        if last is not None and last.coding == c.value and last.note == note:
            report.unchanged += 1
            continue
        code_message(session, msg, c, note=note, coder=who)
        report.coded += 1
        report.messages.append(msg.id)
    return report


def export_codings(session: Session, round_id: str, path: Path) -> int:
    """One row per message of the round (latest coding, blank when uncoded)."""
    rows = list(
        session.scalars(
            select(Message)
            .where(Message.round_id == round_id)
            .order_by(Message.received_at, Message.id)
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(EXPORT_COLUMNS)
        for m in rows:
            last = latest_coding(session, m.id)
            w.writerow(
                [
                    m.message_id,
                    last.coding if last else "",
                    last.note if last else "",
                    last.coder if last else "",
                    last.at.isoformat(timespec="seconds") if last else "",
                    m.id,
                    m.kind,
                    m.request_id or "",
                    m.received_at.isoformat(timespec="seconds") if m.received_at else "",
                    m.from_addr,
                    m.subject,
                ]
            )
    tmp.replace(path)
    return len(rows)
