"""Rounds: one survey campaign each, bound to an era and a rubric."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import now
from pobi.errors import InputError, NotFoundError, StateError
from pobi.models import Era
from pobi.store.tables import Round

ROUND_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEFAULT_RUBRIC = "participation-v1"


def create_round(
    session: Session, round_id: str, era: Era | str, *, rubric: str = DEFAULT_RUBRIC, note: str = ""
) -> Round:
    if not ROUND_ID.match(round_id):
        raise InputError(
            f"Round id {round_id!r} must be 1–64 letters, digits, '.', '_' or '-' (e.g. 2026)"
        )
    try:
        era = Era(era)
    except ValueError as exc:
        raise InputError(f"Era must be 'legacy' or 'current', not {era!r}") from exc
    existing = session.get(Round, round_id)
    if existing is not None:
        if existing.era != era.value:
            raise StateError(f"Round {round_id} already exists with era {existing.era}")
        return existing
    row = Round(id=round_id, era=era.value, rubric=rubric, note=note, created_at=now())
    session.add(row)
    session.flush()
    return row


def get_round(session: Session, round_id: str) -> Round:
    row = session.get(Round, round_id)
    if row is None:
        known = ", ".join(session.scalars(select(Round.id).order_by(Round.id))) or "none yet"
        raise NotFoundError(
            f"No round {round_id!r} (known: {known}).",
            hint=f"Create it first: pobi round create {round_id} --era current",
        )
    return row


def list_rounds(session: Session) -> list[Round]:
    return list(session.scalars(select(Round).order_by(Round.created_at, Round.id)))
