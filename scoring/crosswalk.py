"""Across the 2025 merger: legacy rounds (63 units) seen on the 34 current units, and back.

- ``trends``: every scored round on current units, the participation index's rows first, then
  the transparency index's (``index_name``). A current-era round is taken as is
  (``method=direct``). A legacy round's index for a current unit is the **unweighted mean of the
  indices of its legacy sources** (``pobi.registry.legacy_sources``) that have an index
  (``method=mean_of_sources``; ``sources`` lists the legacy codes used, ';'-separated). The band of
  a mapped index is the band of that mean. Unweighted because POBI scores each province the same
  whatever its size; a population-weighted variant would need population data we do not ship.
- ``inherited``: in a current-era round, every legacy province shown with its successor's
  (``pobi.registry.successor``) index, band and rank, flagged ``inherited=true`` — the legacy unit
  was not measured itself.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.models import Era, band_for
from pobi.registry import legacy_sources, provinces, successor
from pobi.store.tables import ProvinceIndex, Round

Row = dict[str, Any]


def _indices(
    session: Session, round_id: str, index_name: str = "participation"
) -> dict[str, ProvinceIndex]:
    return {
        p.province_code: p
        for p in session.scalars(
            select(ProvinceIndex).where(
                ProvinceIndex.round_id == round_id, ProvinceIndex.index_name == index_name
            )
        )
    }


def trends_rows(
    session: Session,
    base_rubric: str | None = None,
    mappings: list[Any] | None = None,
    index_name: str = "participation",
) -> list[Row]:
    """Every round scored on ``index_name`` (``participation`` or ``transparency``) on current
    units, each row naming its index. With ``base_rubric``, only rounds scored with it or with a
    declared mapping to it (:mod:`scoring.trendjoin`) join, their indices mapped; rubric mappings
    are declared between participation rubrics, so they apply to the participation index only."""
    from scoring.trendjoin import mapping_for, round_rubric

    rows: list[Row] = []
    scored = sorted(
        set(
            session.scalars(
                select(ProvinceIndex.round_id)
                .where(ProvinceIndex.index_name == index_name)
                .distinct()
            )
        )
    )
    for round_id in scored:
        rnd = session.get(Round, round_id)
        if rnd is None:
            continue
        mapping = None
        if base_rubric is not None and index_name == "participation":
            mapping = mapping_for(mappings or [], round_rubric(session, round_id), base_rubric)
            if mapping is None:
                continue  # scored with another rubric and no declared mapping: not joined
        idx: dict[str, Any] = dict(_indices(session, round_id, index_name))
        if mapping is not None and mapping.source != mapping.target:
            idx = {
                code: SimpleNamespace(
                    index_value=None if p.index_value is None else mapping.apply(p.index_value)
                )
                for code, p in idx.items()
            }
        for cur in provinces(Era.CURRENT):
            if rnd.era == Era.CURRENT.value:
                p = idx.get(cur.code)
                value = p.index_value if p else None
                rows.append(
                    {
                        "round": round_id,
                        "era": rnd.era,
                        "current_code": cur.code,
                        "index": value,
                        "band": band_for(value).value if value is not None else "",
                        "method": "direct",
                        "sources": cur.code if value is not None else "",
                        "index_name": index_name,
                    }
                )
                continue
            used = [
                (src.code, idx[src.code].index_value)
                for src in legacy_sources(cur.code)
                if src.code in idx and idx[src.code].index_value is not None
            ]
            value = round(sum(v for _, v in used) / len(used), 2) if used else None  # type: ignore[misc]
            rows.append(
                {
                    "round": round_id,
                    "era": rnd.era,
                    "current_code": cur.code,
                    "index": value,
                    "band": band_for(value).value if value is not None else "",
                    "method": "mean_of_sources",
                    "sources": ";".join(code for code, _ in used),
                    "index_name": index_name,
                }
            )
    return rows


def inherited_rows(session: Session, round_id: str) -> list[Row]:
    rnd = session.get(Round, round_id)
    if rnd is None or rnd.era != Era.CURRENT.value:
        return []
    idx = _indices(session, round_id)
    rows = []
    for old in provinces(Era.LEGACY):
        heir = successor(old.code)
        p = idx.get(heir.code)
        rows.append(
            {
                "round_id": round_id,
                "legacy_code": old.code,
                "legacy_name": old.name,
                "current_code": heir.code,
                "index": p.index_value if p else None,
                "band": p.band if p else "",
                "rank": p.rank if p else None,
                "inherited": True,
            }
        )
    return rows
