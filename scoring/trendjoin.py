"""Which rounds may share a trend line: the rules live in the core (:mod:`pobi.rubricmap`) so the
dashboard's Trends page applies the same guard as `pobi survey trends` and `pobi export`."""

from __future__ import annotations

from pobi.rubricmap import Mapping, check_joinable, load_mappings, mapping_for, round_rubric

__all__ = ["Mapping", "check_joinable", "load_mappings", "mapping_for", "round_rubric"]
