"""Inter-coder agreement of the two-coder design: Cohen's κ per category and Krippendorff's α.

Units are human replies coded by at least two coders (role ``coder``; adjudications are not
ratings). For Cohen's κ the two ratings of a reply are its two earliest coders' codes
("first" and "second" coder), so replies coded by different pairs can be pooled; κ is computed
for the whole code set (category ``all``) and, per category ``c``, on the binary ratings "is
``c``" / "is not ``c``". Krippendorff's α (nominal) uses every coder's code, missing values
allowed (the ``krippendorff`` package). ``n`` is the number of replies used. A value is empty
when it is undefined (no reply, or no variation at all).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

Row = dict[str, Any]


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Cohen's κ of two raters' labels (same length). None when undefined (p_e = 1)."""
    if len(a) != len(b):
        raise ValueError("both raters must rate the same units")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(units: Sequence[Sequence[str | None]]) -> float | None:
    """Nominal α over units x coders (None = that coder did not code that unit)."""
    import numpy as np
    from krippendorff import alpha

    if not units:
        return None
    labels = sorted({v for u in units for v in u if v is not None})
    if len(labels) < 2:
        return None
    index = {v: float(i) for i, v in enumerate(labels)}
    width = max(len(u) for u in units)
    data = np.full((width, len(units)), np.nan)
    for j, unit in enumerate(units):
        for i, value in enumerate(unit):
            if value is not None:
                data[i, j] = index[value]
    return float(alpha(reliability_data=data, level_of_measurement="nominal"))


def agreement_rows(
    ratings: dict[Any, list[tuple[str, str]]], categories: Sequence[str]
) -> list[Row]:
    """``ratings``: unit -> [(coder, code)] in coding order (earliest first)."""
    pairs = [(r[0][1], r[1][1]) for r in ratings.values() if len(r) >= 2]
    first = [p[0] for p in pairs]
    second = [p[1] for p in pairs]
    n = len(pairs)
    rows: list[Row] = [
        {
            "measure": "percent_agreement",
            "category": "all",
            "value": (sum(x == y for x, y in pairs) / n) if n else None,
            "n": n,
        },
        {"measure": "cohen_kappa", "category": "all", "value": cohen_kappa(first, second), "n": n},
    ]
    for c in categories:
        rows.append(
            {
                "measure": "cohen_kappa",
                "category": c,
                "value": cohen_kappa([x == c for x in first], [y == c for y in second])
                if n
                else None,
                "n": n,
            }
        )
    coders = sorted({name for r in ratings.values() for name, _ in r})
    units = []
    for r in ratings.values():
        if len(r) < 2:
            continue
        by = dict(r)
        units.append([by.get(name) for name in coders])
    rows.append(
        {
            "measure": "krippendorff_alpha",
            "category": "all",
            "value": krippendorff_alpha(units),
            "n": len(units),
        }
    )
    return rows
