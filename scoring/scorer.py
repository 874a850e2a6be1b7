"""`pobi score`: compute every province's answers, index, band and rank for a round.

Writes ``scores`` (one row per province and indicator) and ``province_index`` (one per province),
replacing the round's previous rows in one transaction, so re-scoring is idempotent. Overrides
(``score_overrides``, append-only, latest wins) are applied on top of computed answers and are
flagged (``scores.overridden``) everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pobi.clock import aware, now
from pobi.config import DeadlineSettings, DocumentSettings
from pobi.errors import InputError
from pobi.models import Answer, Era
from pobi.publication import survey_year
from pobi.registry import province, provinces
from pobi.rounds import get_round
from pobi.store.tables import ProvinceIndex, Score, ScoreOverride
from pobi.timing import request_timings
from pobi.workdays import Calendar
from scoring.document_rules import PublicationContext
from scoring.facts import gather
from scoring.index import band, competition_ranks, points, province_index
from scoring.rubric import Rubric
from scoring.rules import RULES, Outcome


@dataclass
class ProvinceResult:
    code: str
    outcomes: dict[str, Outcome]  # computed
    answers: dict[str, Answer]  # after overrides
    overridden: dict[str, ScoreOverride] = field(default_factory=dict)
    index: float | None = None
    rank: int | None = None


@dataclass
class ScoreResult:
    round_id: str
    rubric: Rubric
    provinces: dict[str, ProvinceResult]

    @property
    def scored(self) -> int:
        return sum(1 for p in self.provinces.values() if p.index is not None)


def latest_overrides(session: Session, round_id: str) -> dict[tuple[str, str], ScoreOverride]:
    newest = (
        select(func.max(ScoreOverride.id))
        .where(ScoreOverride.round_id == round_id)
        .group_by(ScoreOverride.province_code, ScoreOverride.indicator)
    )
    rows = session.scalars(select(ScoreOverride).where(ScoreOverride.id.in_(newest)))
    return {(o.province_code, o.indicator): o for o in rows}


def override_text(o: ScoreOverride, computed: Outcome) -> tuple[str, str]:
    when = aware(o.at).date().isoformat()
    en = (
        f"Overridden by {o.coder} on {when}: {o.reason} "
        f"(computed: {computed.answer.value} — {computed.en})"
    )
    vi = (
        f"Đã điều chỉnh bởi {o.coder} ngày {when}: {o.reason} "
        f"(kết quả tính: {computed.answer.value} — {computed.vi})"
    )
    return en, vi


def compute(
    session: Session,
    round_id: str,
    rubric: Rubric,
    *,
    calendar: Calendar | None = None,
    deadlines: DeadlineSettings | None = None,
    at: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    documents: DocumentSettings | None = None,
) -> ScoreResult:
    """Answers, indices and ranks of every province of the round's era (nothing written)."""
    rnd = get_round(session, round_id)
    codes = [p.code for p in provinces(Era(rnd.era))]
    timings = request_timings(
        session, round_id, calendar=calendar, deadlines=deadlines, at=at or now()
    )
    facts = gather(session, round_id, codes, timings)
    as_of = (at or now()).date()
    context = PublicationContext(
        documents or DocumentSettings(),
        calendar or Calendar(),
        survey_year(round_id, as_of),
        as_of,
    )
    for f in facts.values():
        f.publication = context
    overrides = latest_overrides(session, round_id)
    results: dict[str, ProvinceResult] = {}
    for code in codes:
        outcomes = {
            ind.id: RULES[ind.rule].fn(facts[code], ind.params) for ind in rubric.indicators
        }
        answers = {k: o.answer for k, o in outcomes.items()}
        res = ProvinceResult(code, outcomes, answers)
        for ind in rubric.indicators:
            o = overrides.get((code, ind.id))
            if o is not None:
                res.answers[ind.id] = Answer(o.answer)
                res.overridden[ind.id] = o
        res.index = province_index(
            ((ind.pillar, res.answers[ind.id]) for ind in rubric.indicators), rubric.weights
        )
        results[code] = res
        if progress:
            progress(1)
    ranks = competition_ranks({c: r.index for c, r in results.items()})
    for c, r in results.items():
        r.rank = ranks[c]
    return ScoreResult(round_id, rubric, results)


def write(session: Session, result: ScoreResult) -> None:
    """Replace the round's scores and province_index rows with ``result``."""
    rid = result.round_id
    stamp = now()
    index_name = result.rubric.index  # each index replaces only its own rows
    session.execute(delete(Score).where(Score.round_id == rid, Score.index_name == index_name))
    session.execute(
        delete(ProvinceIndex).where(
            ProvinceIndex.round_id == rid, ProvinceIndex.index_name == index_name
        )
    )
    session.flush()
    pillar = {ind.id: ind.pillar for ind in result.rubric.indicators}
    for code, res in result.provinces.items():
        for ind_id, computed in res.outcomes.items():
            answer = res.answers[ind_id]
            o = res.overridden.get(ind_id)
            en, vi = (computed.en, computed.vi) if o is None else override_text(o, computed)
            session.add(
                Score(
                    round_id=rid,
                    province_code=code,
                    indicator=ind_id,
                    pillar=pillar[ind_id],
                    answer=answer.value,
                    computed_answer=computed.answer.value,
                    points=points(answer),
                    explanation=en,
                    explanation_vi=vi,
                    evidence=list(computed.evidence),
                    overridden=o is not None,
                    rubric=result.rubric.id,
                    computed_at=stamp,
                    index_name=index_name,
                )
            )
        session.add(
            ProvinceIndex(
                round_id=rid,
                province_code=code,
                index_value=res.index,
                band=(b.value if (b := band(res.index)) else ""),
                rank=res.rank,
                indicators_applicable=sum(1 for a in res.answers.values() if points(a) is not None),
                rubric=result.rubric.id,
                computed_at=stamp,
                index_name=index_name,
            )
        )
    session.flush()


def score_round(session: Session, round_id: str, rubric: Rubric, **kw: object) -> ScoreResult:
    result = compute(session, round_id, rubric, **kw)  # type: ignore[arg-type]
    write(session, result)
    return result


def add_override(
    session: Session,
    round_id: str,
    province_code: str,
    indicator: str,
    answer: str,
    reason: str,
    coder: str,
    rubric: Rubric,
) -> ScoreOverride:
    """Record a researcher's answer (append-only). Checks the round, province, indicator."""
    rnd = get_round(session, round_id)
    code = province(Era(rnd.era), province_code).code
    rubric.indicator(indicator)
    try:
        value = Answer(answer.strip().lower())
    except ValueError as exc:
        raise InputError(f"Answer must be one of a, b, c, d, e (got {answer!r})") from exc
    if not reason.strip():
        raise InputError("An override needs a reason (--reason TEXT).")
    if not coder.strip():
        raise InputError("An override needs a coder name (--coder NAME).")
    row = ScoreOverride(
        round_id=round_id,
        province_code=code,
        indicator=indicator,
        answer=value.value,
        reason=reason.strip(),
        coder=coder.strip(),
        at=now(),
    )
    session.add(row)
    session.flush()
    return row
