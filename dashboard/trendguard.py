"""Which rounds the Trends page may put on one line: the rubric guard of `pobi survey trends`
(:mod:`pobi.rubricmap`). Rounds scored with another rubric than the round the trend is read
against join only through a declared mapping (``$POBI_HOME/rubric-mappings.toml``, see
docs/earlier-rounds.md), their indices mapped; the others are shown apart, never joined."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pobi.errors import PobiError
from pobi.rubricmap import Mapping, load_mappings, mapping_for

MAPPING_FILE = "rubric-mappings.toml"


@dataclass(frozen=True)
class TrendJoin:
    base_round: str
    base_rubric: str
    joined: dict[str, Mapping]  # round -> how its index reads on base_rubric
    apart: dict[str, str]  # round -> its rubric (no declared mapping: not joined)
    error: str = ""  # the mapping file could not be read (then nothing is mapped)
    mapped: dict[str, Mapping] = field(default_factory=dict)  # the joined rounds that are mapped


def trend_join(rubrics: dict[str, str], base_round: str, home: str) -> TrendJoin:
    """``rubrics``: round -> rubric (in the rounds' order); the trend is read on ``base_round``'s."""
    error = ""
    try:
        mappings = load_mappings(Path(home) / MAPPING_FILE)
    except PobiError as exc:
        mappings, error = [], str(exc)
    base = rubrics.get(base_round, "")
    joined: dict[str, Mapping] = {}
    apart: dict[str, str] = {}
    for rid, rubric in rubrics.items():
        m = mapping_for(mappings, rubric, base)
        if m is None:
            apart[rid] = rubric
        else:
            joined[rid] = m
    mapped = {r: m for r, m in joined.items() if m.source != m.target}
    return TrendJoin(base_round, base, joined, apart, error, mapped)
