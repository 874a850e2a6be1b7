"""`pobi score` on a synthetic store: answers with reasons and evidence, overrides, idempotence."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from pobi.models import ANSWER_POINTS, Answer, band_for
from pobi.registry import provinces
from pobi.store.tables import Finding, FindingReview, ProvinceIndex, Score
from scoring.export import export_round
from scoring.rubric import load_rubric
from scoring.scorer import score_round
from tests.scoring.conftest import AS_OF, Built, Result


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_every_province_and_indicator_scored_with_reasons_and_evidence(scored: Built) -> None:
    rubric = load_rubric("participation-v1")
    with scored.store.session() as s:
        for round_id, era in (("2021", "legacy"), ("2026", "current")):
            scores = list(s.scalars(select(Score).where(Score.round_id == round_id)))
            codes = {p.code for p in provinces(era)}
            assert {sc.province_code for sc in scores} == codes
            assert len(scores) == len(codes) * len(rubric.indicators)
            answers = {sc.answer for sc in scores}
            assert {"a", "b", "c", "d"} <= answers  # the synthetic store spans the scale
            for sc in scores:
                assert sc.points == ANSWER_POINTS[Answer(sc.answer)]
                assert sc.explanation and sc.explanation_vi and "\n" not in sc.explanation
                for h in sc.evidence:
                    assert scored.evidence.exists(h), f"{sc.indicator}: evidence {h} missing"
                if sc.answer in {"a", "b", "c"} and sc.indicator != "reply_time":
                    assert sc.evidence, f"{sc.province_code} {sc.indicator} has no evidence"
            index = list(s.scalars(select(ProvinceIndex).where(ProvinceIndex.round_id == round_id)))
            assert len(index) == len(codes)
            for p in index:
                assert p.index_value is not None and 0 <= p.index_value <= 100
                assert p.band == band_for(p.index_value).value
                better = sum(1 for q in index if (q.index_value or 0) > p.index_value)
                assert p.rank == better + 1


def test_rescoring_is_idempotent_and_rejected_findings_are_ignored(
    fresh: Built, tmp_path: Path
) -> None:
    rubric = load_rubric("participation-v1")
    _export(fresh, tmp_path / "a")
    with fresh.store.session() as s:
        score_round(s, "2026", rubric, at=AS_OF)
    _export(fresh, tmp_path / "b")
    for name in ("scores.csv", "rankings.csv", "scores_wide.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()

    # reject every e-mail finding of a province answering a or b: contact_email falls to c or d
    with fresh.store.session() as s:
        before = s.scalars(
            select(Score)
            .where(
                Score.round_id == "2026",
                Score.indicator == "contact_email",
                Score.answer.in_(["a", "b"]),
            )
            .order_by(Score.province_code)
            .limit(1)
        ).one()
        code = before.province_code
        for f in s.scalars(
            select(Finding).where(
                Finding.round_id == "2026",
                Finding.province_code == code,
                Finding.channel == "email",
            )
        ):
            s.add(
                FindingReview(
                    finding_id=f.id, status="rejected", reason="test", coder="t", at=AS_OF
                )
            )
        s.flush()
        score_round(s, "2026", rubric, at=AS_OF)
        after = s.scalars(
            select(Score).where(
                Score.round_id == "2026",
                Score.province_code == code,
                Score.indicator == "contact_email",
            )
        ).one()
        assert after.answer in {"c", "d"}
        # a later 'confirmed' review wins over the rejection (latest review wins)
        for f in s.scalars(
            select(Finding).where(
                Finding.round_id == "2026",
                Finding.province_code == code,
                Finding.channel == "email",
            )
        ):
            s.add(
                FindingReview(
                    finding_id=f.id, status="confirmed", reason="re-checked", coder="t", at=AS_OF
                )
            )
        s.flush()
        score_round(s, "2026", rubric, at=AS_OF)
        again = s.scalars(
            select(Score).where(
                Score.round_id == "2026",
                Score.province_code == code,
                Score.indicator == "contact_email",
            )
        ).one()
        assert again.answer == before.answer


def _export(built: Built, out: Path, round_id: str = "2026") -> None:
    with built.store.session() as s:
        export_round(s, round_id, out, built.cfg, at=AS_OF)


def test_override_applied_shown_everywhere_and_latest_wins(
    fresh: Built, tmp_path: Path, invoke: Callable[..., Result]
) -> None:
    env = fresh.env()
    with fresh.store.session() as s:
        sc = s.scalars(
            select(Score).where(
                Score.round_id == "2026", Score.province_code == "79", Score.indicator == "reply"
            )
        ).one()
        computed = sc.answer
    new = "a" if computed != "a" else "d"
    first = invoke(
        "score", "override", "--round", "2026", "--province", "79", "--indicator", "reply",
        "--answer", "c", "--reason", "first try", "--coder", "Lan", env=env,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    second = invoke(
        "score", "override", "--round", "2026", "--province", "79", "--indicator", "reply",
        "--answer", new.upper(), "--reason", "reply found in the Junk folder", "--coder", "Minh", env=env,
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert "Round re-scored" in second.stdout

    _export(fresh, tmp_path)
    row = next(
        r
        for r in _rows(tmp_path / "scores.csv")
        if r["province_code"] == "79" and r["indicator"] == "reply"
    )
    assert (row["answer"], row["computed_answer"], row["overridden"]) == (new, computed, "true")
    assert row["points"] == str(ANSWER_POINTS[Answer(new)])
    assert "Overridden by Minh" in row["explanation_en"] and "Junk folder" in row["explanation_en"]
    assert "Đã điều chỉnh bởi Minh" in row["explanation_vi"]
    wide = next(r for r in _rows(tmp_path / "scores_wide.csv") if r["province_code"] == "79")
    assert wide["reply"] == new + "*"
    rank = next(r for r in _rows(tmp_path / "rankings.csv") if r["province_code"] == "79")
    assert rank["overrides"] == "1"

    # plain re-scoring keeps the override; show lists it as an override
    assert invoke("score", "--round", "2026", env=env).returncode == 0
    shown = invoke("score", "show", "--round", "2026", "--province", "79", env=env)
    assert shown.returncode == 0, shown.stderr
    assert f"{new} (override; computed {computed})" in shown.stdout
    with fresh.store.session() as s:
        sc = s.scalars(
            select(Score).where(
                Score.round_id == "2026", Score.province_code == "79", Score.indicator == "reply"
            )
        ).one()
        assert sc.overridden and sc.answer == new


def test_override_errors(fresh: Built, invoke: Callable[..., Result]) -> None:
    env = fresh.env()
    base = ["score", "override", "--round", "2026", "--reason", "x", "--coder", "Lan"]
    bad_answer = invoke(*base, "--province", "01", "--indicator", "reply", "--answer", "f", env=env)
    assert bad_answer.returncode == 2 and "one of a, b, c, d, e" in bad_answer.stderr
    bad_ind = invoke(*base, "--province", "01", "--indicator", "speed", "--answer", "a", env=env)
    assert bad_ind.returncode == 3 and "no indicator 'speed'" in bad_ind.stderr
    bad_prov = invoke(*base, "--province", "02", "--indicator", "reply", "--answer", "a", env=env)
    assert bad_prov.returncode == 3 and "No current province with code '02'" in bad_prov.stderr
    with fresh.store.session() as s:
        from pobi.store.tables import ScoreOverride

        assert s.scalars(select(ScoreOverride)).all() == []  # nothing half-recorded


def test_score_cli_custom_rubric_weights(
    fresh: Built, tmp_path: Path, invoke: Callable[..., Result]
) -> None:
    """A copied rubric with only the channels pillar weighted changes every index accordingly."""
    from pobi.config import data_dir

    text = (data_dir() / "rubrics" / "participation-v1.toml").read_text(encoding="utf-8")
    custom = tmp_path / "channels-only.toml"
    custom.write_text(
        text.replace('id = "participation-v1"', 'id = "channels-only"').replace(
            "[pillars.response]\nweight = 1.0", "[pillars.response]\nweight = 0"
        ),
        encoding="utf-8",
    )
    result = invoke("score", "--round", "2026", "--rubric", str(custom), env=fresh.env())
    assert result.returncode == 0, result.stderr
    assert "channels-only@1.0.0" in result.stdout
    with fresh.store.session() as s:
        scores = list(s.scalars(select(Score).where(Score.round_id == "2026")))
        # the transparency index (budget documents) is scored beside it, in its own rows
        assert {sc.rubric for sc in scores if sc.index_name == "transparency"} == {
            "transparency-v1"
        }
        scores = [sc for sc in scores if sc.index_name == "participation"]
        by_prov: dict[str, list[float]] = {}
        for sc in scores:
            assert sc.rubric == "channels-only"
            if sc.pillar == "channels" and sc.points is not None:
                by_prov.setdefault(sc.province_code, []).append(sc.points)
        for p in s.scalars(
            select(ProvinceIndex).where(
                ProvinceIndex.round_id == "2026", ProvinceIndex.index_name == "participation"
            )
        ):
            vals = by_prov[p.province_code]
            assert p.index_value == round(sum(vals) / len(vals), 2)
    # exporting with the bundled rubric now refuses (scores came from another rubric)
    out = invoke("export", "--round", "2026", "--out", str(tmp_path / "o"), env=fresh.env())
    assert out.returncode == 2 and "not a bundled rubric" in out.stderr
    ok = invoke(
        "export",
        "--round",
        "2026",
        "--out",
        str(tmp_path / "o"),
        "--rubric",
        str(custom),
        env=fresh.env(),
    )
    assert ok.returncode == 0, ok.stderr
