"""Index, bands and ranks: pure functions (property-tested in tests/scoring/test_index.py).

- points: a=100, b=67, c=33, d=0, e=None (``pobi.models.ANSWER_POINTS``);
- index: the mean of applicable points within each pillar, then the weighted mean of those pillar
  means over the pillars that have at least one applicable indicator (weights renormalised);
  ``None`` when no indicator applies. Rounded to 2 decimals, and the band and rank are taken from
  the rounded value so the published numbers agree with each other;
- band: ``pobi.models.band_for`` (A 75–100, B 50–<75, C 25–<50, D 0–<25);
- rank: competition ranking (1, 2, 2, 4), higher index first; provinces without an index get none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pobi.models import ANSWER_POINTS, Answer, Band, band_for


def points(answer: Answer | str) -> int | None:
    return ANSWER_POINTS[Answer(answer)]


def province_index(
    answers: Iterable[tuple[str, Answer | str]], weights: Mapping[str, float]
) -> float | None:
    """``answers`` are (pillar, answer) pairs of one province."""
    by_pillar: dict[str, list[int]] = {}
    for pillar, answer in answers:
        p = points(answer)
        if p is not None:
            by_pillar.setdefault(pillar, []).append(p)
    total = 0.0
    weight_sum = 0.0
    for pillar, values in by_pillar.items():
        w = float(weights.get(pillar, 0.0))
        if w <= 0:
            continue
        total += w * (sum(values) / len(values))
        weight_sum += w
    if weight_sum == 0:
        return None
    return round(min(100.0, max(0.0, total / weight_sum)), 2)


def band(index: float | None) -> Band | None:
    return None if index is None else band_for(index)


def competition_ranks(indices: Mapping[str, float | None]) -> dict[str, int | None]:
    """Rank 1 for the highest index; equal indices share a rank (1, 2, 2, 4)."""
    scored = sorted(
        ((v, k) for k, v in indices.items() if v is not None), key=lambda x: (-x[0], x[1])
    )
    ranks: dict[str, int | None] = {k: None for k in indices}
    previous: float | None = None
    current_rank = 0
    for position, (value, key) in enumerate(scored, start=1):
        if previous is None or value != previous:
            current_rank = position
            previous = value
        ranks[key] = current_rank
    return ranks
