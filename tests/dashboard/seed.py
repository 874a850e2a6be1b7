"""A seeded store for the dashboard's tests and benchmark.

Crawl, probe and reply rows come from ``pobi.sandbox.synthetic`` (personal data and a hostile
reply included). Scores are written here with a tiny stand-in for the scoring stage (the
dashboard must not import ``scoring``): deterministic answers per province and indicator, one
override with its reason, and the index/band/rank the POBI rules give. Rounds listed in
``unscored`` get no scores, so the "not scored yet" paths are exercised too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pobi.config import load_config
from pobi.evidence import EvidenceStore
from pobi.models import ANSWER_POINTS, Answer, Era, band_for
from pobi.registry import provinces
from pobi.sandbox.synthetic import Summary, populate
from pobi.store import Store
from pobi.store.tables import ProvinceIndex, Round, Score, ScoreOverride

INDICATORS = [  # ids and pillars of the bundled rubric participation-v1
    ("channels", "qa_portal"),
    ("channels", "contact_email"),
    ("channels", "info_access"),
    ("response", "delivery"),
    ("response", "reply"),
    ("response", "reply_time"),
]
OVERRIDE_REASON = "Kiểm tra thủ công: mục Hỏi đáp hoạt động (manual check)"


@dataclass
class Seeded:
    home: Path
    url: str
    summary: Summary
    scored: list[str]


def write_scores(store: Store, round_id: str, seed: int = 0) -> None:
    at = datetime(2026, 5, 1, tzinfo=UTC)
    with store.session() as s:
        era = s.get(Round, round_id).era
        values: dict[str, float | None] = {}
        for p in provinces(era):
            rng = random.Random(f"{seed}:{round_id}:{p.code}:score")
            points = []
            for pillar, ind in INDICATORS:
                answer = rng.choice(list(Answer))
                computed = answer
                overridden = False
                if p.code == "01" and ind == "qa_portal":
                    computed, answer, overridden = Answer.D, Answer.A, True
                    s.add(
                        ScoreOverride(
                            round_id=round_id,
                            province_code=p.code,
                            indicator=ind,
                            answer=answer.value,
                            reason=OVERRIDE_REASON,
                            coder="reviewer-1",
                            at=at,
                        )
                    )
                pts = ANSWER_POINTS[answer]
                if pts is not None:
                    points.append(pts)
                s.add(
                    Score(
                        round_id=round_id,
                        province_code=p.code,
                        indicator=ind,
                        pillar=pillar,
                        answer=answer.value,
                        computed_answer=computed.value,
                        points=pts,
                        explanation=f"{ind}: answer {answer.value} (seeded)",
                        explanation_vi=f"Đáp án {answer.value} (dữ liệu mẫu)",
                        evidence=[],
                        overridden=overridden,
                        rubric="participation-v1",
                        computed_at=at,
                    )
                )
            values[p.code] = sum(points) / len(points) if points else None
        ranked = sorted((v, c) for c, v in values.items() if v is not None)[::-1]
        ranks = {c: i + 1 for i, (_, c) in enumerate(ranked)}
        for code, value in values.items():
            s.add(
                ProvinceIndex(
                    round_id=round_id,
                    province_code=code,
                    index_value=value,
                    band=band_for(value).value if value is not None else "",
                    rank=ranks.get(code),
                    indicators_applicable=len(INDICATORS),
                    rubric="participation-v1",
                    computed_at=at,
                )
            )


def seed_store(
    home: Path,
    rounds: list[tuple[str, Era]] | None = None,
    *,
    unscored: tuple[str, ...] = ("2021",),
    with_evidence: bool = True,
    url: str | None = None,
) -> Seeded:
    rounds = rounds or [("2021", Era.LEGACY), ("2026", Era.CURRENT)]
    home.mkdir(parents=True, exist_ok=True)
    cfg = load_config(home)
    url = url or f"sqlite:///{home / 'pobi.sqlite'}"
    store = Store.open(cfg, url=url)
    with store.session() as s:
        summary = populate(
            s, EvidenceStore(home / "evidence"), rounds, seed=7, with_evidence=with_evidence
        )
    scored = [r for r, _ in rounds if r not in unscored]
    for r in scored:
        write_scores(store, r)
    store.close()
    return Seeded(home, url, summary, scored)
