"""Who gets the round's information request, and why (``pobi probe plan``). Nothing is sent.

For each province of the round's era:
1. a researcher's targets file (``province_code,recipient[,reason]``) overrides everything;
2. else a Department of Finance address found by the crawl (``findings`` on a ``finance`` site);
3. else the provincial portal's contact address.

Only ``email`` findings count; addresses seen only in an image (``image:`` values) and findings
whose latest review is ``rejected`` are skipped. Among several candidates of one kind the plan
prefers a confirmed one, then one on the site's own domain, then the one found on most pages,
then the alphabetically first (deterministic).

Plans are idempotent: re-running writes the same ``draft`` rows. A draft that is no longer
planned is removed (it was never sent); requests beyond ``draft`` are never touched.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pobi.clock import now
from pobi.errors import CsvRowError, InputError
from pobi.models import Channel, RecipientKind, RequestState, ReviewStatus, SiteKind
from pobi.registry import provinces
from pobi.reviews import latest_review_status
from pobi.rounds import get_round
from pobi.store.tables import CrawlSite, Finding, ProbeRequest, RequestEvent

EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


@dataclass(frozen=True)
class Target:
    province_code: str
    recipient: str
    kind: RecipientKind
    reason: str
    finding_id: int | None = None


@dataclass
class PlanResult:
    round_id: str
    targets: list[Target] = field(default_factory=list)
    unreached: list[tuple[str, str]] = field(default_factory=list)  # (code, name) no recipient
    added: int = 0
    removed: int = 0
    kept: int = 0  # already beyond draft, untouched
    names: dict[str, str] = field(default_factory=dict)


def valid_email(value: str) -> bool:
    return bool(EMAIL.match(value)) and len(value) <= 320


def read_targets(path: Path, known_codes: set[str]) -> list[Target]:
    """A researcher's targets CSV: header ``province_code,recipient[,reason]``; every bad row is
    reported with its line number, and nothing is planned while any row is bad."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"Cannot read targets file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise InputError(f"{path}: empty file; expected a header province_code,recipient[,reason]")
    cols = [h.strip().lower() for h in header]
    if cols[:2] != ["province_code", "recipient"] or not set(cols[2:]) <= {"reason"}:
        raise InputError(
            f"{path}:1: header must be province_code,recipient[,reason], not {','.join(header)}"
        )
    problems: list[tuple[int, str]] = []
    out: list[Target] = []
    seen: set[tuple[str, str]] = set()
    for row in reader:
        line = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) > len(cols):
            problems.append((line, f"{len(row)} columns, expected at most {len(cols)}"))
            continue
        row = [c.strip() for c in row] + [""] * (len(cols) - len(row))
        code, recipient = row[0], row[1].lower()
        reason = row[2] if len(cols) > 2 else ""
        if code.isdigit() and len(code) == 1:
            code = "0" + code
        if code not in known_codes:
            problems.append((line, f"unknown province code {row[0]!r} for this round's era"))
            continue
        if not valid_email(recipient):
            problems.append((line, f"{row[1]!r} is not an e-mail address"))
            continue
        if (code, recipient) in seen:
            problems.append((line, f"duplicate of an earlier row ({code}, {recipient})"))
            continue
        seen.add((code, recipient))
        out.append(
            Target(
                code,
                recipient,
                RecipientKind.OVERRIDE,
                reason or f"researcher's targets file {path}",
            )
        )
    if problems:
        raise CsvRowError(str(path), problems)
    return out


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def _on_domain(address: str, site_url: str) -> bool:
    domain = address.rsplit("@", 1)[-1]
    host = _host(site_url)
    return bool(host) and (
        host == domain or host.endswith("." + domain) or domain.endswith("." + host)
    )


def candidates_from_findings(session: Session, round_id: str) -> dict[str, list[Target]]:
    """province -> the best finance target, else the best portal target (at most one)."""
    rows = session.execute(
        select(Finding, CrawlSite.url)
        .join(CrawlSite, CrawlSite.id == Finding.site_id)
        .where(Finding.round_id == round_id, Finding.channel == Channel.EMAIL.value)
    ).all()
    reviews = latest_review_status(session, round_id)
    # (province, kind, address) -> list of (finding, site_url)
    grouped: dict[tuple[str, str, str], list[tuple[Finding, str]]] = defaultdict(list)
    for f, site_url in rows:
        value = (f.value or "").strip().lower()
        if value.startswith("image:") or not valid_email(value):
            continue
        if reviews.get(f.id) == ReviewStatus.REJECTED.value:
            continue
        if f.site_kind not in (SiteKind.FINANCE.value, SiteKind.PORTAL.value):
            continue
        grouped[(f.province_code, f.site_kind, value)].append((f, site_url))

    best: dict[tuple[str, str], tuple[tuple, Target]] = {}
    for (code, kind, address), found in grouped.items():
        confirmed = any(reviews.get(f.id) == ReviewStatus.CONFIRMED.value for f, _ in found)
        on_domain = any(_on_domain(address, url) for _, url in found)
        first = min(found, key=lambda x: x[0].id)[0]
        rank = (not confirmed, not on_domain, -len(found), address)
        pages = sorted({f.found_on for f, _ in found})
        where = pages[0] + (f" (+{len(pages) - 1} more pages)" if len(pages) > 1 else "")
        if kind == SiteKind.FINANCE.value:
            reason = f"Department of Finance address, found on {where}"
            rkind = RecipientKind.FINANCE
        else:
            reason = (
                f"no Department of Finance address found; portal contact address, found on {where}"
            )
            rkind = RecipientKind.PORTAL
        if confirmed:
            reason += "; confirmed by review"
        target = Target(code, address, rkind, reason, first.id)
        if (code, kind) not in best or rank < best[(code, kind)][0]:
            best[(code, kind)] = (rank, target)

    out: dict[str, list[Target]] = {}
    for (code, kind), (_rank, target) in best.items():
        if kind == SiteKind.FINANCE.value or (code, SiteKind.FINANCE.value) not in best:
            out[code] = [target]
    return out


def plan_round(
    session: Session, round_id: str, *, targets_file: Path | None = None, template: str
) -> PlanResult:
    rnd = get_round(session, round_id)
    units = provinces(rnd.era)
    names = {p.code: p.name for p in units}
    chosen = candidates_from_findings(session, round_id)
    if targets_file is not None:
        overrides: dict[str, list[Target]] = defaultdict(list)
        for t in read_targets(targets_file, set(names)):
            overrides[t.province_code].append(t)
        chosen.update(overrides)
    result = PlanResult(round_id=round_id, names=names)

    existing = {
        (r.province_code, r.recipient): r
        for r in session.scalars(
            select(ProbeRequest).where(
                ProbeRequest.round_id == round_id, ProbeRequest.channel == "email"
            )
        )
    }
    wanted = {(t.province_code, t.recipient) for ts in chosen.values() for t in ts}
    for key, r in existing.items():
        if r.state == RequestState.DRAFT.value and key not in wanted:
            session.execute(delete(RequestEvent).where(RequestEvent.request_id == r.id))
            session.delete(r)
            result.removed += 1
        elif r.state != RequestState.DRAFT.value:
            result.kept += 1
    session.flush()
    next_n = (
        session.scalar(select(func.max(ProbeRequest.n)).where(ProbeRequest.round_id == round_id))
        or 0
    ) + 1
    for code in sorted(chosen):
        for t in chosen[code]:
            result.targets.append(t)
            row = existing.get((t.province_code, t.recipient))
            if row is not None and row in session:
                if row.state == RequestState.DRAFT.value and (
                    row.reason != t.reason
                    or row.recipient_kind != t.kind.value
                    or row.finding_id != t.finding_id
                    or row.template != template
                ):
                    row.reason, row.recipient_kind = t.reason, t.kind.value
                    row.finding_id, row.template = t.finding_id, template
                continue
            rid = f"{round_id}-{next_n}"
            session.add(
                ProbeRequest(
                    id=rid,
                    round_id=round_id,
                    n=next_n,
                    province_code=t.province_code,
                    recipient=t.recipient,
                    recipient_kind=t.kind.value,
                    reason=t.reason,
                    finding_id=t.finding_id,
                    template=template,
                    state=RequestState.DRAFT.value,
                    created_at=now(),
                )
            )
            session.flush()
            session.add(
                RequestEvent(
                    request_id=rid,
                    from_state="",
                    to_state=RequestState.DRAFT.value,
                    detail=f"planned: {t.reason}",
                    at=now(),
                )
            )
            next_n += 1
            result.added += 1
    planned_codes = set(chosen) | {
        r.province_code for r in existing.values() if r.state != RequestState.DRAFT.value
    }
    result.unreached = [(p.code, p.name) for p in units if p.code not in planned_codes]
    session.flush()
    return result
