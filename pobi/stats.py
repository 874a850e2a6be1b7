"""Statistics shared by scoring (exports) and the dashboard (charts): one implementation each."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    k: int
    n: int
    p: float | None  # None when n == 0
    low: float | None
    high: float | None


def wilson(k: int, n: int, z: float = 1.959963984540054) -> Rate:
    """Proportion k/n with its Wilson score interval (95% by default)."""
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return Rate(k, n, None, None, None)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # Clamp: floating point can put the bound a hair past p at k = 0 or k = n (e.g. 8.7e-19 > 0).
    low = min(max(0.0, centre - half), p)
    high = max(min(1.0, centre + half), p)
    return Rate(k, n, p, low, high)


@dataclass(frozen=True)
class SurvivalCurve:
    """Kaplan–Meier estimate of 'still no reply' after t working days."""

    times: list[float]
    survival: list[float]
    low: list[float]
    high: list[float]
    median: float | None  # working days until half have replied; None if never reached
    n: int
    events: int


def kaplan_meier(
    durations: list[float], observed: list[bool], label: str = "no reply yet"
) -> SurvivalCurve:
    """Time-to-reply curve; requests without a reply are censored at their elapsed time."""
    if len(durations) != len(observed):
        raise ValueError("durations and observed differ in length")
    if not durations:
        return SurvivalCurve([], [], [], [], None, 0, 0)
    from lifelines import KaplanMeierFitter

    kmf = KaplanMeierFitter(label=label)
    kmf.fit([max(0.0, float(d)) for d in durations], event_observed=[bool(o) for o in observed])
    sf = kmf.survival_function_[label]
    ci = kmf.confidence_interval_survival_function_
    median = kmf.median_survival_time_
    return SurvivalCurve(
        times=[float(t) for t in sf.index],
        survival=[float(v) for v in sf.values],
        low=[float(v) for v in ci.iloc[:, 0].values],
        high=[float(v) for v in ci.iloc[:, 1].values],
        median=None if math.isinf(median) else float(median),
        n=len(durations),
        events=sum(bool(o) for o in observed),
    )
