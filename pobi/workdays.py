"""Vietnamese working-day calendar, in Asia/Ho_Chi_Minh time.

A working day is Monday–Friday, minus public holidays (Tết included) from the ``holidays``
package ('VN'), plus any Saturday made a working day by a substitution (the package names the
day off "Ngày nghỉ (thay cho ngày DD/MM/YYYY)": that DD/MM/YYYY is worked), minus the user's
extra days off.

Counting convention (used for every reply time in pobi): ``working_days_between(a, b)`` is the
number of working days ``d`` with ``date(a) < d <= date(b)``, dates taken in Vietnamese time.
A reply on the same day is 0, on the next working day 1. ``add_working_days(a, n)`` is the
date of the n-th working day after ``date(a)``; a reply is within a deadline of ``n`` days when
``working_days_between(sent, reply) <= n``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from pathlib import Path

import holidays

from pobi.clock import VN_TZ
from pobi.errors import InputError

_SUBSTITUTE = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")


@lru_cache(maxsize=64)
def _year_tables(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, substituted working weekend days) for one year."""
    off: set[date] = set()
    worked: set[date] = set()
    table = holidays.country_holidays("VN", years=[year - 1, year, year + 1], language="vi")
    for day, name in table.items():
        for part in str(name).split(";"):
            m = _SUBSTITUTE.search(part)
            if m:
                worked.add(date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
        if day.year == year:
            off.add(day)
    return frozenset(off), frozenset(d for d in worked if d.year == year)


def load_extra_days_off(path: str | Path) -> frozenset[date]:
    """One ISO date per line; blank lines and ``#`` comments ignored. Bad lines name their number."""
    days: set[date] = set()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Cannot read the extra days-off file {p}: {exc}") from exc
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            days.add(date.fromisoformat(line))
        except ValueError as exc:
            raise InputError(f"{p}:{number}: {line!r} is not a date (YYYY-MM-DD)") from exc
    return frozenset(days)


@dataclass(frozen=True)
class Calendar:
    extra_days_off: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def from_config(cls, cfg: object | None = None) -> Calendar:
        path = getattr(getattr(cfg, "calendar", None), "extra_days_off", "") if cfg else ""
        return cls(load_extra_days_off(path)) if path else cls()

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_days_off:
            return False
        off, worked = _year_tables(day.year)
        if day in worked:
            return True
        if day.weekday() >= 5:
            return False
        return day not in off

    def working_days_between(self, start: datetime | date, end: datetime | date) -> int:
        """Working days d with date(start) < d <= date(end); negative if end precedes start.

        Constant time per call after a year's first use (per-year prefix sums, cached on the
        instance): a request left unanswered in an old round is counted up to "now", years later,
        and the dashboard and exports count thousands of such intervals.
        """
        a, b = _vn_date(start), _vn_date(end)
        if b < a:
            return -self.working_days_between(end, start)
        return self._through(b, a.year) - self._through(a, a.year)

    def walk_days_between(self, start: datetime | date, end: datetime | date) -> int:
        """The same count by walking day by day (the reference the fast count is tested against)."""
        a, b = _vn_date(start), _vn_date(end)
        if b < a:
            return -self.walk_days_between(end, start)
        count = 0
        day = a + timedelta(days=1)
        while day <= b:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count

    @cached_property
    def _prefix(self) -> dict[int, list[int]]:
        return {}

    def _year_prefix(self, year: int) -> list[int]:
        """Working days from 1 January up to and including each day of the year."""
        cache = self._prefix
        if year not in cache:
            day, running, counts = date(year, 1, 1), 0, []
            while day.year == year:
                running += self.is_working_day(day)
                counts.append(running)
                day += timedelta(days=1)
            cache[year] = counts
        return cache[year]

    def _through(self, day: date, base_year: int) -> int:
        """Working days from 1 January of ``base_year`` up to and including ``day``."""
        total = sum(self._year_prefix(y)[-1] for y in range(base_year, day.year))
        return total + self._year_prefix(day.year)[day.timetuple().tm_yday - 1]

    def add_working_days(self, start: datetime | date, n: int) -> date:
        """The date of the n-th working day after date(start) (n >= 0; n == 0 gives the date)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day = _vn_date(start)
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_in(self, days: Iterable[date]) -> list[date]:
        return [d for d in days if self.is_working_day(d)]


def _vn_date(value: datetime | date) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value (pobi.clock.aware)")
        return value.astimezone(VN_TZ).date()
    return value


DEFAULT_CALENDAR = Calendar()
