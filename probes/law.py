"""Which access-to-information law a letter cites: the newest one in force on the letter's date.

The laws are data (``probes/templates/laws.toml``: id, date in force, Vietnamese and English
citation). Law 104/2016/QH13 is in force from 2018-07-01; the amended law from 2026-09-01. The
chosen law's id is recorded with the request (``requests.law``), so a letter can always be traced
to the law it cited. Dates are Vietnamese calendar days (a letter written at 23:30 on 31 August
in Hanoi cites the old law).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from pobi.clock import VN_TZ
from pobi.errors import ConfigError

LAWS_FILE = Path(__file__).resolve().parent / "templates" / "laws.toml"


@dataclass(frozen=True)
class Law:
    id: str
    in_force: date
    vi: str
    en: str


@cache
def load_laws(path: Path = LAWS_FILE) -> tuple[Law, ...]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read the laws file {path}: {exc}") from exc
    laws = []
    for i, row in enumerate(data.get("law", []), start=1):
        try:
            laws.append(Law(row["id"], row["in_force"], row["vi"], row["en"]))
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"{path}: law {i} lacks {exc}") from exc
        if not isinstance(laws[-1].in_force, date):
            raise ConfigError(f"{path}: law {i}: in_force must be a date (YYYY-MM-DD)")
    if not laws:
        raise ConfigError(f"{path}: no [[law]] rows")
    return tuple(sorted(laws, key=lambda law: law.in_force))


def law_in_force(when: datetime | date, laws: tuple[Law, ...] | None = None) -> Law:
    """The newest law in force on ``when`` (a date, or a time read in Vietnam)."""
    day = when.astimezone(VN_TZ).date() if isinstance(when, datetime) else when
    laws = laws or load_laws()
    current = [law for law in laws if law.in_force <= day]
    if not current:
        raise ConfigError(
            f"No access-to-information law was in force on {day.isoformat()} "
            f"(the first, {laws[0].id}, from {laws[0].in_force.isoformat()})."
        )
    return current[-1]


def law_by_id(law_id: str) -> Law | None:
    return next((law for law in load_laws() if law.id == law_id), None)
