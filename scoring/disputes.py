"""Right of reply: a province (or anyone) disputes a finding or a score; a researcher decides.

Everything is append-only: a dispute (who, what, the claim, evidence files stored by SHA-256) and
any number of decisions on it (the newest wins), each saying what it changed:
- upheld on a **score**: a score override with the new answer (``score_overrides``, the same
  history ``pobi score override`` writes), applied by the next ``pobi score``;
- upheld on a **finding**: a ``rejected`` review of the finding (``finding_reviews``), so it no
  longer counts anywhere;
- rejected: nothing changes, and the reason is kept.

A dispute of something that does not exist (no such finding in the round, no such score) is a
clear error and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import now
from pobi.errors import InputError, NotFoundError
from pobi.evidence import EvidenceStore, record
from pobi.export_rows import dispute_rows  # noqa: F401 (built in the core, re-exported)
from pobi.models import DisputeOutcome, DisputeTarget, ReviewStatus
from pobi.rounds import get_round
from pobi.store.tables import (
    Dispute,
    DisputeDecision,
    Finding,
    FindingReview,
    Score,
    ScoreOverride,
)


def _read_evidence(paths: Sequence[Path]) -> list[tuple[Path, bytes]]:
    out = []
    for p in paths:
        try:
            out.append((Path(p), Path(p).read_bytes()))
        except OSError as exc:
            raise InputError(
                f"Cannot read evidence file {p}: {exc.strerror or exc}; nothing was stored."
            ) from exc
    return out


def file_dispute(
    session: Session,
    evidence: EvidenceStore,
    round_id: str,
    *,
    filed_by: str,
    claim: str,
    finding_id: int | None = None,
    province_code: str = "",
    indicator: str = "",
    files: Sequence[Path] = (),
) -> Dispute:
    get_round(session, round_id)
    if not filed_by.strip() or not claim.strip():
        raise InputError("A dispute needs who files it (--by) and what is claimed (--claim).")
    if (finding_id is None) == (not indicator):
        raise InputError("Dispute either a finding (--finding N) or a score (--indicator ID).")
    if finding_id is not None:
        finding = session.get(Finding, finding_id)
        if finding is None or finding.round_id != round_id:
            raise NotFoundError(
                f"No finding #{finding_id} in round {round_id}; nothing was recorded.",
                hint="Finding numbers are shown on the dashboard's Review page.",
            )
        target, code = DisputeTarget.FINDING, finding.province_code
    else:
        score = session.scalar(
            select(Score).where(
                Score.round_id == round_id,
                Score.province_code == province_code,
                Score.indicator == indicator,
            )
        )
        if score is None:
            raise NotFoundError(
                f"No score for province {province_code!r} and indicator {indicator!r} in round "
                f"{round_id}; nothing was recorded.",
                hint="Scores exist after pobi score; see scores.csv for indicator ids.",
            )
        target, code = DisputeTarget.SCORE, score.province_code
    blobs = _read_evidence(files)
    hashes = [
        record(session, evidence, data, kind="other", note=f"dispute evidence {p.name}")
        for p, data in blobs
    ]
    row = Dispute(
        round_id=round_id,
        province_code=code,
        target=target.value,
        finding_id=finding_id,
        indicator=indicator,
        filed_by=filed_by.strip(),
        claim=claim.strip(),
        evidence=hashes,
        filed_at=now(),
    )
    session.add(row)
    session.flush()
    return row


def decide(
    session: Session,
    dispute_id: int,
    decision: DisputeOutcome | str,
    *,
    reason: str,
    researcher: str,
    answer: str = "",
) -> DisputeDecision:
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFoundError(f"No dispute #{dispute_id}; nothing was recorded.")
    try:
        decision = DisputeOutcome(decision)
    except ValueError as exc:
        raise InputError(f"Decision must be upheld or rejected, not {decision!r}") from exc
    if not reason.strip() or not researcher.strip():
        raise InputError("A decision needs a reason (--reason) and the researcher (--by).")
    change = "none"
    if decision is DisputeOutcome.UPHELD and dispute.target == DisputeTarget.SCORE.value:
        value = answer.strip().lower()
        if value not in {"a", "b", "c", "d", "e"}:
            raise InputError("Upholding a score dispute needs the new answer (--answer a-e).")
        score = session.scalar(
            select(Score).where(
                Score.round_id == dispute.round_id,
                Score.province_code == dispute.province_code,
                Score.indicator == dispute.indicator,
            )
        )
        old = score.answer if score else "?"
        session.add(
            ScoreOverride(
                round_id=dispute.round_id,
                province_code=dispute.province_code,
                indicator=dispute.indicator,
                answer=value,
                reason=f"dispute #{dispute.id} upheld: {reason.strip()}",
                coder=researcher.strip(),
                at=now(),
            )
        )
        change = (
            f"score override {dispute.province_code}/{dispute.indicator}: {old} -> {value} "
            "(applied by the next pobi score)"
        )
    elif decision is DisputeOutcome.UPHELD:
        session.add(
            FindingReview(
                finding_id=dispute.finding_id,
                status=ReviewStatus.REJECTED.value,
                reason=f"dispute #{dispute.id} upheld: {reason.strip()}",
                coder=researcher.strip(),
                at=now(),
            )
        )
        change = f"finding #{dispute.finding_id} marked rejected (no longer counts)"
    elif answer:
        raise InputError("--answer only goes with an upheld score dispute.")
    row = DisputeDecision(
        dispute_id=dispute.id,
        decision=decision.value,
        reason=reason.strip(),
        change=change,
        researcher=researcher.strip(),
        at=now(),
    )
    session.add(row)
    session.flush()
    return row
