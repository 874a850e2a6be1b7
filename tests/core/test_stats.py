from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pobi.stats import kaplan_meier, wilson


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_wilson_interval_contains_p_and_stays_in_0_1(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    r = wilson(k, n)
    assert r.low is not None and r.high is not None and r.p is not None
    assert 0.0 <= r.low <= r.p <= r.high <= 1.0


def test_wilson_known_values() -> None:
    # POBI 2019: 8 of 63 Departments of Finance answered.
    r = wilson(8, 63)
    assert round(r.low, 4) == 0.0658 and round(r.high, 4) == 0.2311
    assert wilson(0, 34).low == 0.0
    assert wilson(0, 0).p is None
    with pytest.raises(ValueError):
        wilson(5, 3)


def test_kaplan_meier_censors_pending_requests() -> None:
    curve = kaplan_meier([1, 2, 3, 5, 10, 10], [True, True, False, True, False, False])
    assert curve.n == 6 and curve.events == 3
    assert curve.survival[0] == 1.0 and curve.survival[-1] == pytest.approx(4 / 9)
    assert curve.median == 5.0
    assert kaplan_meier([], []).median is None
