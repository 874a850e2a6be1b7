"""Working-day counts in constant time, for pages that count thousands of intervals.

``pobi.workdays.Calendar.working_days_between`` walks day by day; a request nobody answered in a
2019 round is censored at "now", years later, so the Replies and Overview pages would walk
hundreds of thousands of days. :class:`CountingCalendar` gives the same answers (it is built from
the same ``is_working_day``) from per-year prefix sums, and is passed to ``pobi.timing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from pobi.clock import VN_TZ
from pobi.workdays import Calendar


def _vn_date(value: datetime | date) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value (pobi.clock.aware)")
        return value.astimezone(VN_TZ).date()
    return value


@dataclass(frozen=True)
class CountingCalendar(Calendar):
    @cached_property
    def _years(self) -> dict[int, list[int]]:
        return {}

    def _year(self, year: int) -> list[int]:
        """Working days from 1 January up to and including each day of the year."""
        cache = self._years
        if year not in cache:
            day = date(year, 1, 1)
            running, counts = 0, []
            while day.year == year:
                running += self.is_working_day(day)
                counts.append(running)
                day += timedelta(days=1)
            cache[year] = counts
        return cache[year]

    def _upto(self, day: date, base: int) -> int:
        """Working days d with date(base-year start) <= d <= day, counted from year ``base``."""
        total = 0
        for year in range(base, day.year):
            total += self._year(year)[-1]
        return total + self._year(day.year)[day.timetuple().tm_yday - 1]

    def working_days_between(self, start: datetime | date, end: datetime | date) -> int:
        a, b = _vn_date(start), _vn_date(end)
        if b < a:
            return -self.working_days_between(end, start)
        base = a.year
        return self._upto(b, base) - self._upto(a, base)
