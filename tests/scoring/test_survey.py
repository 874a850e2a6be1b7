"""Two coders with agreement, disputes (right of reply) and their exports (issue 17)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pobi.store.tables import (
    Dispute,
    DisputeDecision,
    Finding,
    FindingReview,
    Message,
    MessageCoding,
    Score,
    ScoreOverride,
)
from pobi.timing import latest_codings
from scoring.agreement import cohen_kappa, krippendorff_alpha
from tests.scoring.conftest import Built, Result

Invoke = Callable[..., Result]


def test_cohen_kappa_known_values() -> None:
    # 50 units: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> po .70, pe .50, kappa .40
    a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(["x", "y"], ["x", "y"]) == pytest.approx(1.0)
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None  # no variation: undefined
    assert cohen_kappa([], []) is None


def test_krippendorff_alpha_known_value() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example: 0.743
    rows = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = [[None if r[j] is None else str(r[j]) for r in rows] for j in range(12)]
    units = [u for u in units if sum(v is not None for v in u) >= 2]
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


def _humans(built: Built, k: int) -> list[Message]:
    with built.store.session() as s:
        rows = list(
            s.scalars(
                select(Message)
                .where(Message.round_id == "2026", Message.kind == "human")
                .order_by(Message.id)
                .limit(k)
            )
        )
        s.expunge_all()
    return rows


def test_two_blind_coders_adjudicator_and_exports(
    fresh: Built, invoke: Invoke, tmp_path: Path
) -> None:
    env = fresh.env()
    msgs = _humans(fresh, 4)
    assert len(msgs) == 4
    # unknown coder: refused, nothing stored
    with fresh.store.session() as s:
        before = s.scalar(select(func.count(MessageCoding.id)))
    r = invoke("probe", "blind", "--round", "2026", "--coder", "lan", env=env)
    assert r.returncode == 2 and "Unknown coder 'lan'" in r.stderr
    r = invoke(
        "probe",
        "blind",
        "--round",
        "2026",
        "--coder",
        "lan",
        "-m",
        str(msgs[0].id),
        "--code",
        "substantive",
        env=env,
    )
    assert r.returncode == 2 and "Nothing was stored" in r.stderr
    with fresh.store.session() as s:
        assert s.scalar(select(func.count(MessageCoding.id))) == before
    for name in ("lan", "minh"):
        assert invoke("probe", "coders", "add", name, env=env).returncode == 0
    assert invoke("probe", "coders", "add", "hoa", "--adjudicator", env=env).returncode == 0
    # a file with one bad line: named, nothing stored
    bad = tmp_path / "lan.csv"
    bad.write_text(
        f"message_id,code,note\n{msgs[0].id},substantive,\n{msgs[1].id},maybe,\n999999,partial,\n",
        encoding="utf-8",
    )
    r = invoke("probe", "blind", "--round", "2026", "--coder", "lan", "--import", str(bad), env=env)
    assert r.returncode == 2 and "lan.csv:3: code 'maybe'" in r.stderr, r.stderr
    assert "lan.csv:4: " in r.stderr
    with fresh.store.session() as s:
        assert s.scalar(select(func.count(MessageCoding.id))) == before
    # lan codes all four; minh agrees on three and disagrees on the last
    codes_lan = ["substantive", "refusal", "partial", "substantive"]
    codes_minh = ["substantive", "refusal", "partial", "acknowledgment"]
    for name, codes in (("lan", codes_lan),):
        path = tmp_path / f"{name}.csv"
        path.write_text(
            "message_id,code\n"
            + "".join(f"{m.message_id},{c}\n" for m, c in zip(msgs, codes, strict=True)),
            encoding="utf-8",
        )
        r = invoke(
            "probe", "blind", "--round", "2026", "--coder", name, "--import", str(path), env=env
        )
        assert r.returncode == 0 and "4 codes by lan stored" in r.stdout, r.stderr
    r = invoke("probe", "blind", "--round", "2026", "--coder", "minh", env=env)
    assert r.returncode == 0 and f"#{msgs[3].id}" in r.stdout
    assert "lan" not in r.stdout and "refusal" not in r.stdout
    for m, c in zip(msgs, codes_minh, strict=True):  # minh codes one by one (by number)
        if m is msgs[3] or m is msgs[0]:
            r = invoke(
                "probe",
                "blind",
                "--round",
                "2026",
                "--coder",
                "minh",
                "-m",
                str(m.id),
                "--code",
                c,
                env=env,
            )
            assert r.returncode == 0, r.stderr
    path = tmp_path / "minh.csv"
    path.write_text(
        f"message_id,code\n{msgs[1].message_id},{codes_minh[1]}\n{msgs[2].message_id},{codes_minh[2]}\n",
        encoding="utf-8",
    )
    r = invoke(
        "probe", "blind", "--round", "2026", "--coder", "minh", "--import", str(path), env=env
    )
    assert r.returncode == 0, r.stderr
    r = invoke("probe", "blind", "--round", "2026", "--coder", "minh", env=env)
    assert f"#{msgs[3].id}" not in r.stdout  # coded: out of minh's queue
    r = invoke("probe", "disagreements", "--round", "2026", env=env)
    assert r.returncode == 0 and "Disagreements in round 2026: 1" in r.stdout
    assert "lan: substantive, minh: acknowledgment" in r.stdout
    # a coder cannot adjudicate; the adjudicator can, and wins
    args = ("probe", "adjudicate", "--round", "2026", "-m", str(msgs[3].id), "--code", "partial")
    r = invoke(*args, "--adjudicator", "lan", "--reason", "x", env=env)
    assert r.returncode == 2 and "registered as coder" in r.stderr
    r = invoke(*args, "--adjudicator", "hoa", "--reason", "only the estimate was sent", env=env)
    assert r.returncode == 0, r.stderr
    with fresh.store.session() as s:
        assert latest_codings(s, "2026")[msgs[3].id] == "partial"
    r = invoke("probe", "disagreements", "--round", "2026", env=env)
    assert "Disagreements in round 2026: 0" in r.stdout

    out = tmp_path / "out"
    r = invoke("export", "--round", "2026", "--out", str(out), env=env)
    assert r.returncode == 0, r.stderr
    with (out / "codings.csv").open(encoding="utf-8") as fh:
        header = fh.readline().strip()
        rows = list(csv.DictReader([header, *fh]))
    assert header == "message_id,coder,role,code,coded_at"
    # (the synthetic round's own earlier codes are there too, as role 'single')
    mine = [
        row for row in rows if row["message_id"] == msgs[3].message_id and row["role"] != "single"
    ]
    assert {(row["coder"], row["role"], row["code"]) for row in mine} == {
        ("lan", "coder", "substantive"),
        ("minh", "coder", "acknowledgment"),
        ("hoa", "adjudicator", "partial"),
    }
    with (out / "agreement.csv").open(encoding="utf-8") as fh:
        header = fh.readline().strip()
        agreement = {
            (row["measure"], row["category"]): row for row in csv.DictReader([header, *fh])
        }
    assert header == "measure,category,value,n"
    assert agreement[("percent_agreement", "all")]["value"] == "0.7500"
    assert agreement[("cohen_kappa", "all")]["n"] == "4"
    # overall kappa from the 4 pairs: po 3/4, pe (2*1+1*1+1*1+0)/16 = 4/16 -> (0.75-0.25)/0.75
    assert float(agreement[("cohen_kappa", "all")]["value"]) == pytest.approx(2 / 3, abs=1e-4)
    # refusal: both said it once, on the same reply -> perfect agreement
    assert float(agreement[("cohen_kappa", "refusal")]["value"]) == pytest.approx(1.0)
    assert ("krippendorff_alpha", "all") in agreement
    assert (out / "disputes.csv").read_text(encoding="utf-8").strip() == (
        "dispute_id,province_code,target,finding_id,indicator,filed_by,filed_at,claim,evidence,"
        "decision,decided_at,decided_by,reason,change"
    )


def test_disputes_of_findings_and_scores(fresh: Built, invoke: Invoke, tmp_path: Path) -> None:
    env = fresh.env()
    with fresh.store.session() as s:
        finding = s.scalar(select(Finding).where(Finding.round_id == "2026").limit(1))
        score = s.scalar(select(Score).where(Score.round_id == "2026").limit(1))
        assert finding is not None and score is not None
        fid, code, indicator, old = finding.id, score.province_code, score.indicator, score.answer
    letter = tmp_path / "cong-van.pdf"
    letter.write_bytes(b"%PDF-1.4 a province's letter")
    # unknown finding: clear error, nothing stored
    r = invoke(
        "survey",
        "dispute",
        "--round",
        "2026",
        "--finding",
        "999999",
        "--by",
        "Sở TC",
        "--claim",
        "x",
        env=env,
    )
    assert r.returncode == 3 and "No finding #999999" in r.stderr
    r = invoke(
        "survey",
        "dispute",
        "--round",
        "2026",
        "--province",
        code,
        "--indicator",
        "no_such",
        "--by",
        "Sở TC",
        "--claim",
        "x",
        env=env,
    )
    assert r.returncode == 3 and "nothing was recorded" in r.stderr
    with fresh.store.session() as s:
        assert s.scalar(select(func.count(Dispute.id))) == 0
    r = invoke(
        "survey",
        "dispute",
        "--round",
        "2026",
        "--finding",
        str(fid),
        "--by",
        "Văn phòng UBND",
        "--claim",
        "this address is not ours",
        "--evidence",
        str(letter),
        env=env,
    )
    assert r.returncode == 0, r.stderr
    new = "a" if old != "a" else "b"
    r = invoke(
        "survey",
        "dispute",
        "--round",
        "2026",
        "--province",
        code,
        "--indicator",
        indicator,
        "--by",
        "Sở Tài chính",
        "--claim",
        "we publish it",
        env=env,
    )
    assert r.returncode == 0, r.stderr
    with fresh.store.session() as s:
        d1, d2 = [d.id for d in s.scalars(select(Dispute).order_by(Dispute.id))]
    r = invoke(
        "survey",
        "decide",
        str(d1),
        "--decision",
        "upheld",
        "--reason",
        "the letter shows it",
        "--by",
        "researcher",
        env=env,
    )
    assert r.returncode == 0, r.stderr
    r = invoke(
        "survey",
        "decide",
        str(d2),
        "--decision",
        "upheld",
        "--answer",
        new,
        "--reason",
        "page found",
        "--by",
        "researcher",
        env=env,
    )
    assert r.returncode == 0, r.stderr
    with fresh.store.session() as s:
        review = s.scalar(select(FindingReview).where(FindingReview.finding_id == fid))
        assert review is not None and review.status == "rejected"
        override = s.scalar(select(ScoreOverride).where(ScoreOverride.indicator == indicator))
        assert override is not None and override.answer == new
        assert s.scalar(select(func.count(DisputeDecision.id))) == 2
    out = tmp_path / "out"
    assert invoke("export", "--round", "2026", "--out", str(out), env=env).returncode == 0
    with (out / "disputes.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["decision"] for r in rows] == ["upheld", "upheld"]
    assert rows[0]["target"] == "finding" and len(rows[0]["evidence"]) == 64
    assert rows[1]["change"].startswith(f"score override {code}/{indicator}: {old} -> {new}")
