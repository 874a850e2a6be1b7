"""Which rounds may share a trend line: only rounds scored with the same rubric version, unless a
declared mapping says how one rubric's index reads on the other's scale.

A mapping file (TOML; ``$POBI_HOME/rubric-mappings.toml`` or ``--mapping FILE``)::

    [[mapping]]
    from = "pobi-2019"          # the rubric of the earlier rounds (as imported)
    to = "participation-v1"     # the rubric of the round the trend is read against
    scale = 1.0                 # index_to = scale * index_from + offset (clipped to 0-100)
    offset = 0.0
    why = "POBI 2019's overall score and this index are both 0-100 means of a-d answers"

No mapping, no join: :func:`check_joinable` raises a StateError naming the rounds and rubrics.
The rules live in the core so that every reader of trends applies the same guard: `pobi survey
trends`, `pobi export`'s trends.csv (through ``scoring.trendjoin``) and the dashboard's Trends page.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.errors import InputError, StateError
from pobi.store.tables import ProvinceIndex, Round


@dataclass(frozen=True)
class Mapping:
    source: str
    target: str
    scale: float = 1.0
    offset: float = 0.0
    why: str = ""

    def apply(self, value: float) -> float:
        return round(min(100.0, max(0.0, self.scale * value + self.offset)), 2)


def load_mappings(path: Path | None) -> list[Mapping]:
    if path is None or not Path(path).is_file():
        return []
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"Cannot read the rubric mapping file {path}: {exc}") from exc
    out = []
    for i, m in enumerate(data.get("mapping", []), start=1):
        try:
            out.append(
                Mapping(
                    str(m["from"]),
                    str(m["to"]),
                    float(m.get("scale", 1.0)),
                    float(m.get("offset", 0.0)),
                    str(m.get("why", "")),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                f"{path}: mapping {i}: needs from, to (and numeric scale/offset)"
            ) from exc
        if not out[-1].why.strip():
            raise InputError(f"{path}: mapping {i}: say why the scales are comparable (why = ...)")
    return out


def round_rubric(session: Session, round_id: str) -> str:
    """The rubric a round's participation index was scored with (the round's own rubric while it is
    not scored). A round's transparency index has its own rubric and never decides this."""
    scored = session.scalar(
        select(ProvinceIndex.rubric)
        .where(ProvinceIndex.round_id == round_id, ProvinceIndex.index_name == "participation")
        .limit(1)
    )
    if scored:
        return scored
    rnd = session.get(Round, round_id)
    return rnd.rubric if rnd else ""


def mapping_for(mappings: list[Mapping], source: str, target: str) -> Mapping | None:
    if source == target:
        return Mapping(source, target, why="same rubric")
    return next((m for m in mappings if m.source == source and m.target == target), None)


def check_joinable(
    session: Session, round_ids: list[str], base_rubric: str, mappings: list[Mapping]
) -> dict[str, Mapping]:
    """round -> how its index reads on ``base_rubric``; a StateError if any round cannot join."""
    out: dict[str, Mapping] = {}
    refused = []
    for rid in round_ids:
        rub = round_rubric(session, rid)
        m = mapping_for(mappings, rub, base_rubric)
        if m is None:
            refused.append(f"{rid} ({rub})")
        else:
            out[rid] = m
    if refused:
        raise StateError(
            f"Refusing to put rounds scored with another rubric on one trend with rubric "
            f"{base_rubric}: {', '.join(refused)}.",
            hint="Declare how the scales compare in a mapping file (docs/earlier-rounds.md).",
        )
    return out
