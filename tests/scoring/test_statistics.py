"""statistics.csv and survival.csv agree with requests.csv, by hand, per request and per province."""

from __future__ import annotations

import csv
import io
import statistics as pystats
from pathlib import Path

import pytest

from pobi.registry import REGIONS, province
from scoring.export import export_round
from tests.scoring.conftest import AS_OF, Built

SENT = {"sent", "bounced"}


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def exported(scored: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stats")
    with scored.store.session() as s:
        export_round(s, "2021", out, scored.cfg, at=AS_OF)
    return out


def test_request_and_province_rates_match_requests_csv(exported: Path) -> None:
    requests = _rows(exported / "requests.csv")
    replies = _rows(exported / "replies.csv")
    stats = {(r["unit"], r["group"], r["measure"]): r for r in _rows(exported / "statistics.csv")}
    substantive = {
        r["request_id"] for r in replies if r["coding"] == "substantive" and r["kind"] == "human"
    }
    for group in ["all", *REGIONS]:
        rs = [
            r
            for r in requests
            if group == "all" or province("legacy", r["province_code"]).region == group
        ]
        sent = [r for r in rs if r["state"] in SENT]
        human = [r for r in sent if r["first_human_reply_at"]]
        anyr = [r for r in sent if r["first_reply_at"]]
        row = stats[("request", group, "human_reply_rate")]
        assert (int(row["k"]), int(row["n"])) == (len(human), len(sent))
        if sent:
            assert float(row["value"]) == pytest.approx(len(human) / len(sent), abs=5e-5)
            assert float(row["ci_low"]) <= float(row["value"]) <= float(row["ci_high"])
        else:
            assert row["value"] == row["ci_low"] == ""
        assert int(stats[("request", group, "any_reply_rate")]["k"]) == len(anyr)
        assert int(stats[("request", group, "substantive_reply_rate")]["k"]) == len(
            [r for r in sent if r["request_id"] in substantive]
        )
        assert int(stats[("request", group, "bounced_count")]["k"]) == sum(
            r["state"] == "bounced" for r in rs
        )
        never = sum(1 for r in rs if r["state"] != "sent" and not r["first_reply_at"])
        assert int(stats[("request", group, "never_delivered_count")]["k"]) == never
        on_time = sum(r["deadline_status"] == "on_time" for r in sent)
        assert int(stats[("request", group, "on_time_rate")]["k"]) == on_time
        # per province: replied when any of its requests got a human reply
        contacted = {r["province_code"] for r in sent}
        replied = {r["province_code"] for r in human}
        prow = stats[("province", group, "human_reply_rate")]
        assert (int(prow["k"]), int(prow["n"])) == (len(replied), len(contacted))


def test_regions_partition_the_whole(exported: Path) -> None:
    stats = _rows(exported / "statistics.csv")
    for unit, measure in (("request", "sent_count"), ("province", "provinces_count")):
        total = next(
            r for r in stats if (r["unit"], r["group"], r["measure"]) == (unit, "all", measure)
        )
        parts = [
            r
            for r in stats
            if r["unit"] == unit and r["measure"] == measure and r["group"] != "all"
        ]
        assert len(parts) == len(REGIONS)
        assert sum(int(r["k"]) for r in parts) == int(total["k"])
    provinces_all = next(
        r for r in stats if r["group"] == "all" and r["measure"] == "provinces_count"
    )
    assert provinces_all["k"] == "63"


def test_median_days_and_survival_curve(exported: Path) -> None:
    replies = _rows(exported / "replies.csv")
    requests = {r["request_id"]: r for r in _rows(exported / "requests.csv")}
    first_human: dict[str, int] = {}
    for r in replies:
        if r["kind"] == "human" and r["request_id"] and requests[r["request_id"]]["state"] in SENT:
            days = int(r["working_days"])
            first_human[r["request_id"]] = min(days, first_human.get(r["request_id"], days))
    stats = {(r["unit"], r["group"], r["measure"]): r for r in _rows(exported / "statistics.csv")}
    median = stats[("request", "all", "median_working_days_human_reply")]
    assert float(median["value"]) == pystats.median(first_human.values())
    assert int(median["k"]) == len(first_human)

    curve = [r for r in _rows(exported / "survival.csv") if r["group"] == "all"]
    assert curve, "a round with replies has a survival curve"
    values = [float(r["no_reply_share"]) for r in curve]
    assert values == sorted(values, reverse=True)
    assert all(
        0 <= float(r["ci_low"]) <= float(r["no_reply_share"]) <= float(r["ci_high"]) <= 1
        for r in curve
    )
    # Most requests never get a human reply, so the curve stays above one half: no KM median.
    delivered = stats[("request", "all", "km_median_working_days")]
    assert int(delivered["k"]) == len(first_human)
    if values[-1] > 0.5:
        assert delivered["value"] == ""
    # censoring is capped at the rubric's follow-up window (60 working days)
    assert max(float(r["working_days"]) for r in curve) <= 60


def test_statistics_of_a_round_without_requests_are_empty(scored: Built, tmp_path: Path) -> None:
    from scoring.statistics import compute_statistics

    assert compute_statistics("x", "current", []) == compute_statistics("x", "current", [])
    stats, survival = compute_statistics("x", "current", [])
    assert survival == []
    assert all(r["n"] in (None, 0, 34) or r["measure"].endswith("_count") for r in stats)
