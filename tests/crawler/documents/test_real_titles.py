"""The document-type classifier on REAL titles and file names (tests/crawler/documents/real_titles).

28 titles / file names of budget documents, news and regulations as published on Vietnamese
provincial portals, legal databases and newspapers, labelled by hand before the classifier was run
on them (see the README there for provenance and the commit order). Split by source province:
the development part was used to find and fix weaknesses, the test part was not looked at for that.

Batch 1 (25), first run: development 11/13, test 10/12 types right; after fixing the two
weaknesses seen on development (rules about budgets; budget words without a fiscal year): 13/13
and 11/12. Batch 2 (3 more), first run: 2 of 3 right; the miss (dev: a report on how the budget
was published) was fixed. Then 15/15 and 12/13 (held out); the last test miss (a citizen budget,
"ngân sách dành cho công dân") was fixed at the next stop: 13/13, no longer held out. The floors below are the measured values; a change
that loses a title fails here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crawler.doctype import classify
from pobi.models import DocType

SET = Path(__file__).parent / "real_titles" / "titles.csv"
FLOORS = {  # part: (types right, years right, periods right) as measured
    "dev": (15, 7, 7),
    "test": (13, 4, 3),  # 12 held out; the 13th fixed after it was seen
}


def rows(split: str) -> list[dict[str, str]]:
    with SET.open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["split"] == split]


def test_the_set_is_labelled_and_sourced() -> None:
    with SET.open(encoding="utf-8", newline="") as f:
        all_rows = list(csv.DictReader(f))
    assert len(all_rows) == 28
    kinds = {d.value for d in DocType}
    for r in all_rows:
        assert r["split"] in FLOORS, r["id"]
        assert r["doc_type"] in kinds, r["id"]
        assert r["source_url"].startswith("http") and r["seen_on"], r["id"]
        assert r["title"] or r["file_name"], r["id"]
    # split by source: no province on both sides
    dev = {r["province"] for r in rows("dev")}
    test = {r["province"] for r in rows("test")}
    assert not dev & test


@pytest.mark.parametrize("split", ["dev", "test"])
def test_accuracy_floor(split: str) -> None:
    types = years = periods = 0
    misses = []
    for r in rows(split):
        c = classify(r["title"], r["file_name"])
        if c.doc_type.value == r["doc_type"]:
            types += 1
        else:
            misses.append(f"{r['id']}: {c.doc_type.value} != {r['doc_type']} ({c.reasons})")
        if r["fiscal_year"] and str(c.fiscal_year) == r["fiscal_year"]:
            years += 1
        if r["period"] and c.period == r["period"]:
            periods += 1
    want_types, want_years, want_periods = FLOORS[split]
    assert types >= want_types, misses
    assert years >= want_years and periods >= want_periods
