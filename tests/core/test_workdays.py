from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pobi.clock import VN_TZ
from pobi.errors import InputError
from pobi.workdays import Calendar, load_extra_days_off

CAL = Calendar()


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 23)),  # Friday before Tết -> Monday after
        (date(2026, 8, 27), 3, date(2026, 9, 4)),  # National Day + bridge (31/8 off)
        (date(2026, 4, 24), 1, date(2026, 4, 28)),  # Hùng Kings (26/4 Sun, compensated 27/4)
        (date(2026, 4, 29), 1, date(2026, 5, 4)),  # 30/4 and 1/5
        (date(2026, 11, 23), 1, date(2026, 11, 25)),  # 24/11 Vietnamese Culture Day
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
    ],
)
def test_fixed_cases(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected


def test_substituted_saturday_is_a_working_day() -> None:
    # The holidays package names 31/8/2026 "Ngày nghỉ (thay cho ngày 22/08/2026)": 22/8 is worked.
    assert CAL.is_working_day(date(2026, 8, 22))
    assert not CAL.is_working_day(date(2026, 8, 29))  # an ordinary Saturday
    assert not CAL.is_working_day(date(2026, 8, 31))


def test_between_uses_vietnamese_dates() -> None:
    # 23:30 UTC on Friday is already Saturday in Hà Nội.
    sent = datetime(2026, 3, 5, 10, 0, tzinfo=VN_TZ)  # Thursday
    reply = datetime(2026, 3, 6, 23, 30, tzinfo=(VN_TZ.utcoffset(None) and None) or VN_TZ)
    assert CAL.working_days_between(sent, reply) == 1
    from datetime import UTC

    late_friday_utc = datetime(2026, 3, 6, 17, 30, tzinfo=UTC)  # 00:30 Saturday in VN
    assert CAL.working_days_between(sent, late_friday_utc) == 1
    assert CAL.working_days_between(sent, sent) == 0
    with pytest.raises(ValueError):
        CAL.working_days_between(datetime(2026, 1, 1), sent)


def test_extra_days_off(tmp_path: Path) -> None:
    f = tmp_path / "off.txt"
    f.write_text("# provincial day off\n2026-03-03\n\n", encoding="utf-8")
    cal = Calendar(load_extra_days_off(f))
    assert not cal.is_working_day(date(2026, 3, 3))
    assert cal.add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 4)
    f.write_text("2026-03-03\nnot-a-date\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"off.txt:2"):
        load_extra_days_off(f)


days = st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=0, max_value=60))
def test_add_then_count_roundtrip(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, end) == n
    assert n == 0 or CAL.is_working_day(end)


@settings(max_examples=200, deadline=None)
@given(days, days, days)
def test_between_is_additive_and_antisymmetric(a: date, b: date, c: date) -> None:
    a, b, c = sorted([a, b, c])
    assert CAL.working_days_between(a, c) == CAL.working_days_between(
        a, b
    ) + CAL.working_days_between(b, c)
    assert CAL.working_days_between(c, a) == -CAL.working_days_between(a, c)


@settings(max_examples=300, deadline=None)
@given(days)
def test_working_day_definition(d: date) -> None:
    """Sunday never; a weekday that is not a public holiday always; Saturday only by substitution."""
    import holidays

    public = holidays.country_holidays("VN", years=d.year)
    if d.weekday() == 6:
        assert not CAL.is_working_day(d)
    elif d.weekday() < 5:
        assert CAL.is_working_day(d) == (d not in public)
    window = [d + timedelta(days=i) for i in range(7)]
    assert sum(CAL.is_working_day(x) for x in window) <= 6


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=date(2017, 1, 1), max_value=date(2031, 12, 31)),
    st.integers(min_value=-1200, max_value=1200),
    st.frozensets(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)), max_size=5),
)
def test_prefix_sum_count_equals_walking(start: date, span: int, off: frozenset[date]) -> None:
    cal = Calendar(off)
    end = start + timedelta(days=span)
    assert cal.working_days_between(start, end) == cal.walk_days_between(start, end)


def test_counting_years_does_not_walk_days(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a year's first use, counting an interval looks nothing up day by day."""
    cal = Calendar()
    cal.working_days_between(date(2019, 1, 1), date(2026, 12, 31))  # builds the year tables
    calls = []
    real = Calendar.is_working_day
    monkeypatch.setattr(
        Calendar, "is_working_day", lambda self, d: calls.append(d) or real(self, d)
    )
    for _ in range(1000):
        cal.working_days_between(date(2019, 3, 4), date(2026, 11, 24))
    assert calls == []
