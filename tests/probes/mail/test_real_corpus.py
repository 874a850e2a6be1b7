"""The classifier on real mail nobody on the team wrote (../shared/corpora, labelled by hand in
tests/probes/mail/real/labels.csv with a reason per message), split by source: bounceparser is the
development part, php-bounce-handler the test part. Samples written here (source 'written') are
checked too but never counted as real mail."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from probes.classify import classify
from probes.parse import parse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
LABELS = HERE / "real" / "labels.csv"
CORPORA = ROOT.parent / "shared" / "corpora"

ROWS = list(csv.DictReader(LABELS.open(encoding="utf-8", newline="")))


def path_of(row: dict[str, str]) -> Path:
    if row["source"] == "written":
        return HERE / "real" / "written" / row["file"]
    return CORPORA / row["source"] / row["file"]


def test_every_message_of_the_corpora_is_labelled_once() -> None:
    if not CORPORA.is_dir():
        pytest.fail(f"{CORPORA} is missing: the real corpora sit in shared/ beside the repository")
    labelled = {(r["source"], r["file"]) for r in ROWS if r["source"] != "written"}
    assert len(labelled) == len([r for r in ROWS if r["source"] != "written"])  # no duplicates
    on_disk = {
        (d.name, f.name)
        for d in CORPORA.iterdir()
        if d.is_dir()
        for f in d.iterdir()
        if f.is_file() and f.name not in {"LICENSE", "README.md"}
    }
    assert labelled == on_disk
    for r in ROWS:
        assert r["kind"] in {"bounce", "auto_reply", "human"} and r["reason"], r
        assert (r["bounce_type"] in {"permanent", "temporary"}) == (r["kind"] == "bounce"), r
        assert r["flag"] in {"", "feedback_report", "challenge_response"}, r
        if r["source"] == "written":
            assert r["reason"].startswith("WRITTEN HERE"), r


@pytest.mark.parametrize("source", ["bounceparser", "php-bounce-handler", "written"])
def test_accuracy_per_part(source: str) -> None:
    rows = [r for r in ROWS if r["source"] == source]
    wrong: list[str] = []
    confusion: Counter[tuple[str, str]] = Counter()
    for r in rows:
        c = classify(parse(path_of(r).read_bytes()))
        btype = c.bounce.bounce_type.value if c.bounce else ""
        confusion[(r["kind"], c.kind.value)] += 1
        ok = c.kind.value == r["kind"] and (r["kind"] != "bounce" or btype == r["bounce_type"])
        if r["flag"] and r["flag"] not in c.flags:
            ok = False
        if not ok:
            wrong.append(
                f"{r['file']}: {r['kind']} {r['bounce_type']} {r['flag']} -> "
                f"{c.kind.value} {btype} {c.flags} {c.reasons[:2]}"
            )
        assert any(x.startswith(("layer", "no bounce")) for x in c.reasons), c.reasons
    accuracy = 1 - len(wrong) / len(rows)
    print(f"\n{source}: {accuracy:.3f} of {len(rows)}; confusion {dict(confusion)}")
    assert accuracy >= 0.99, wrong
