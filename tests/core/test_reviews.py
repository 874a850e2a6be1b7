from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pobi.clock import now
from pobi.models import Era
from pobi.reviews import latest_review_status, rejected_finding_ids
from pobi.rounds import create_round
from pobi.store import Store
from pobi.store.tables import CrawlSite, Finding, FindingReview


def test_newest_review_wins_per_round(db_url: str) -> None:
    store = Store.open(url=db_url)
    t0 = datetime(2026, 9, 1, tzinfo=UTC)
    with store.session() as s:
        for r in ("a", "b"):
            create_round(s, r, Era.CURRENT)
        ids = {}
        for r in ("a", "b"):
            site = CrawlSite(round_id=r, province_code="01", site_kind="portal", url=f"http://{r}/")
            s.add(site)
            s.flush()
            for v in ("x@a.vn", "y@a.vn", "z@a.vn"):
                f = Finding(
                    round_id=r,
                    site_id=site.id,
                    province_code="01",
                    site_kind="portal",
                    channel="email",
                    value=v,
                    found_on=f"http://{r}/",
                    found_at=now(),
                )
                s.add(f)
                s.flush()
                ids[(r, v)] = f.id
        history = [
            ("x@a.vn", "rejected"),
            ("x@a.vn", "confirmed"),
            ("y@a.vn", "confirmed"),
            ("y@a.vn", "rejected"),
        ]
        for i, (v, status) in enumerate(history):
            s.add(
                FindingReview(
                    finding_id=ids[("a", v)], status=status, coder="t", at=t0 + timedelta(minutes=i)
                )
            )
        s.add(FindingReview(finding_id=ids[("b", "z@a.vn")], status="rejected", coder="t", at=t0))
    with store.session() as s:
        assert latest_review_status(s, "a") == {
            ids[("a", "x@a.vn")]: "confirmed",
            ids[("a", "y@a.vn")]: "rejected",
        }
        assert rejected_finding_ids(s, "a") == {ids[("a", "y@a.vn")]}
        assert rejected_finding_ids(s, "b") == {ids[("b", "z@a.vn")]}
