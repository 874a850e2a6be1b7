"""Timestamps survive the store exactly, whatever the back end and the offset they were given in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from pobi.clock import VN_TZ
from pobi.models import Era
from pobi.rounds import create_round
from pobi.store import Store
from pobi.store.tables import Round


def test_aware_times_roundtrip_as_the_same_instant(db_url: str) -> None:
    store = Store.open(url=db_url)
    given = {
        "vn": datetime(2026, 9, 7, 9, 0, tzinfo=VN_TZ),
        "utc": datetime(2026, 9, 7, 2, 0, tzinfo=UTC),
        "minus5": datetime(2026, 9, 6, 21, 0, tzinfo=timezone(timedelta(hours=-5))),
        "naive": datetime(2026, 9, 7, 2, 0),  # taken as UTC
    }
    with store.session() as s:
        for name in given:
            create_round(s, name, Era.CURRENT)
            s.get(Round, name).created_at = given[name]
    with store.session() as s:
        for name in given:
            back = s.get(Round, name).created_at
            assert back.tzinfo is not None
            assert back == datetime(2026, 9, 7, 2, 0, tzinfo=UTC), (name, back)
