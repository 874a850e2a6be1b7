"""The dashboard's constant-time working-day counter agrees with the core calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.daycount import CountingCalendar
from pobi.workdays import Calendar

CORE = Calendar()
FAST = CountingCalendar()


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=date(2017, 1, 1), max_value=date(2027, 12, 31)),
    st.integers(min_value=-900, max_value=900),
)
def test_same_count_as_the_core_calendar(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    assert FAST.working_days_between(start, end) == CORE.working_days_between(start, end)


def test_datetimes_are_taken_in_vietnamese_time() -> None:
    # 2026-03-16 20:00 UTC is already Tuesday 17 March in Hà Nội
    sent = datetime(2026, 3, 16, 20, 0, tzinfo=UTC)
    reply = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)
    assert FAST.working_days_between(sent, reply) == CORE.working_days_between(sent, reply) == 1


def test_extra_days_off_are_honoured() -> None:
    off = frozenset({date(2026, 3, 17)})
    a, b = date(2026, 3, 16), date(2026, 3, 20)
    assert (
        CountingCalendar(off).working_days_between(a, b)
        == Calendar(off).working_days_between(a, b)
        == 3
    )
