"""Rules of the transparency rubric: is each budget document published, on time, complete and
usable? Pure functions of a province's facts (its ``documents`` rows and the publication
context: deadlines, calendar, the survey year and the day of scoring).

Which document an indicator asks for: ``doc_type``, the fiscal year ``years_before`` the survey
year (the estimate of the survey year, the execution of the year before, the final accounts of two
years before), and optionally a ``period`` (q1..q4, h1, 9m). When several rows match, the best is
judged (readable before unreadable, earliest publication first). Conventions:

- no crawl in the round: ``e`` (nothing was measured);
- the document is not due yet (its deadline is after the scoring day) and not found: ``e``;
- rows whose download failed at the transport level (timeouts, 5xx) count as not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pobi.config import DocumentSettings
from pobi.models import Answer, DocFormat, DocType, FetchStatus, Timeliness
from pobi.publication import due_date, expected_forms, timeliness
from pobi.workdays import Calendar
from scoring.facts import ProvinceFacts
from scoring.rules import RULES, Outcome, Rule, _not_crawled

DOC_VI = {
    "estimate_proposed": "dự toán ngân sách trình HĐND",
    "estimate_approved": "dự toán ngân sách đã được HĐND quyết định",
    "execution_quarterly": "báo cáo thực hiện dự toán quý",
    "execution_six_month": "báo cáo thực hiện dự toán 6 tháng",
    "execution_nine_month": "báo cáo thực hiện dự toán 9 tháng",
    "execution_annual": "báo cáo thực hiện dự toán năm",
    "final_accounts_proposed": "quyết toán ngân sách trình HĐND",
    "final_accounts_approved": "quyết toán ngân sách đã được HĐND phê chuẩn",
    "citizen_budget": "ngân sách công dân",
    "medium_term_plan": "kế hoạch tài chính - ngân sách trung hạn",
    "audit_report": "kết quả kiểm toán",
    "other": "tài liệu khác",
}
READABLE = {DocFormat.TABLE.value, DocFormat.TEXT.value}
FAILED = {
    FetchStatus.TIMEOUT.value,
    FetchStatus.REFUSED.value,
    FetchStatus.DNS_ERROR.value,
    FetchStatus.NETWORK_ERROR.value,
    FetchStatus.HTTP_5XX.value,
    FetchStatus.HTTP_4XX.value,
    FetchStatus.TLS_ERROR.value,
}


@dataclass(frozen=True)
class PublicationContext:
    settings: DocumentSettings
    calendar: Calendar
    survey_year: int
    as_of: date


def _context(facts: ProvinceFacts) -> PublicationContext:
    ctx = getattr(facts, "publication", None)
    if ctx is None:  # scored without a context: today's year, default deadlines
        today = date.today()
        return PublicationContext(DocumentSettings(), Calendar(), today.year, today)
    return ctx


def _name(params: dict[str, Any], year: int) -> tuple[str, str]:
    kind = params["doc_type"]
    period = params.get("period") or ""
    p = f" {period}" if period else ""
    return f"{kind.replace('_', ' ')}{p} {year}", f"{DOC_VI.get(kind, kind)}{p} năm {year}"


def _rank(row: Any) -> tuple[int, str, int]:
    fmt = {"table": 0, "text": 1, "scanned": 2, "archive": 3}.get(row.format, 4)
    return (fmt, row.published_on or "9999", row.id or 0)


def matching(facts: ProvinceFacts, params: dict[str, Any]) -> tuple[int, list[Any]]:
    ctx = _context(facts)
    year = ctx.survey_year - params["years_before"]
    window = params.get("any_year_window", 0)
    rows = [
        d
        for d in facts.documents
        if d.doc_type == params["doc_type"]
        and d.fiscal_year is not None
        and (year - window <= d.fiscal_year <= year)
        and (not params.get("period") or d.period == params["period"])
        and d.status not in FAILED
    ]
    rows.sort(key=_rank)
    return year, rows


def _due(facts: ProvinceFacts, params: dict[str, Any], year: int, row: Any | None):  # type: ignore[no-untyped-def]
    ctx = _context(facts)
    own = date.fromisoformat(row.document_date) if row is not None and row.document_date else None
    return due_date(
        ctx.settings, ctx.calendar, params["doc_type"], year, params.get("period") or "year", own
    )


def _not_due(en: str, vi: str, due: Any) -> Outcome:
    return Outcome(
        Answer.E,
        f"Not applicable: the {en} is not due yet (deadline {due.due}).",
        f"Không áp dụng: {vi} chưa đến hạn công khai (hạn {due.due}).",
    )


def _missing(en: str, vi: str) -> Outcome:
    return Outcome(
        Answer.D,
        f"The {en} was not found on the province's sites.",
        f"Không tìm thấy {vi} trên các trang của tỉnh.",
    )


def _pre(facts: ProvinceFacts, params: dict[str, Any]) -> tuple[Outcome | None, int, list[Any]]:
    """The common start of every document rule: not crawled, not due, missing."""
    if not facts.round_crawled:
        return _not_crawled(), 0, []
    year, rows = matching(facts, params)
    if rows:
        return None, year, rows
    en, vi = _name(params, year)
    due = _due(facts, params, year, None)
    if due.due is not None and _context(facts).as_of <= due.due:
        return _not_due(en, vi, due), year, []
    return _missing(en, vi), year, []


def _ev(row: Any) -> tuple[str, ...]:
    return tuple(h for h in (row.sha256, row.warc_sha256) if h)


def document_available(facts: ProvinceFacts, params: dict[str, Any]) -> Outcome:
    """a: published and readable (text or table); b: published as a scanned image or a bundle;
    c: linked but could not be opened (encrypted, corrupt, too large); d: not found."""
    early, year, rows = _pre(facts, params)
    if early is not None:
        return early
    row = rows[0]
    en, vi = _name(params, year)
    where = row.found_on or row.url
    if row.format in READABLE:
        return Outcome(
            Answer.A,
            f"The {en} is published ({row.format}) at {row.url} (linked from {where}).",
            f"Đã công khai {vi} ({row.format}) tại {row.url} (liên kết từ {where}).",
            _ev(row),
        )
    if row.format in (DocFormat.SCANNED.value, DocFormat.ARCHIVE.value):
        return Outcome(
            Answer.B,
            f"The {en} is published only as {row.format} at {row.url}.",
            f"{vi.capitalize()} chỉ được công khai dạng {row.format} tại {row.url}.",
            _ev(row),
        )
    return Outcome(
        Answer.C,
        f"The {en} is linked at {row.url} but cannot be opened ({row.format}: {row.detail}).",
        f"Có liên kết tới {vi} tại {row.url} nhưng không mở được ({row.format}: {row.detail}).",
        _ev(row),
    )


def document_timely(facts: ProvinceFacts, params: dict[str, Any]) -> Outcome:
    """a: published by the deadline; b: late by at most ``b_late_days``; c: later, or no date to
    judge by; d: not found after its deadline."""
    early, year, rows = _pre(facts, params)
    if early is not None:
        return early
    ctx = _context(facts)
    en, vi = _name(params, year)
    best: tuple[Any, Any, Timeliness, int | None] | None = None
    for row in rows:
        due = _due(facts, params, year, row)
        published = date.fromisoformat(row.published_on) if row.published_on else None
        status, late = timeliness(due, published, True, ctx.as_of)
        key = (0 if status == Timeliness.ON_TIME else 1, late if late is not None else 10**6)
        if best is None or key < (
            0 if best[2] == Timeliness.ON_TIME else 1,
            best[3] if best[3] is not None else 10**6,
        ):
            best = (row, due, status, late)
    assert best is not None
    row, due, status, late = best
    basis = f"{due.anchor}; {due.legal}"
    source = row.date_source or "no date"
    if status == Timeliness.ON_TIME:
        return Outcome(
            Answer.A,
            f"The {en} was published on {row.published_on} ({source}), by its deadline "
            f"{due.due} ({basis}).",
            f"{vi.capitalize()} công khai ngày {row.published_on} ({source}), đúng hạn {due.due}.",
            _ev(row),
        )
    if status == Timeliness.LATE and late is not None and late <= params["b_late_days"]:
        return Outcome(
            Answer.B,
            f"The {en} was published on {row.published_on} ({source}), {late} days after its "
            f"deadline {due.due} ({basis}).",
            f"{vi.capitalize()} công khai ngày {row.published_on}, chậm {late} ngày so với hạn "
            f"{due.due}.",
            _ev(row),
        )
    if status == Timeliness.LATE:
        return Outcome(
            Answer.C,
            f"The {en} was published on {row.published_on} ({source}), {late} days after its "
            f"deadline {due.due} ({basis}).",
            f"{vi.capitalize()} công khai ngày {row.published_on}, chậm {late} ngày so với hạn "
            f"{due.due}.",
            _ev(row),
        )
    return Outcome(
        Answer.C,
        f"The {en} is published but its publication date is unknown (deadline {due.due}).",
        f"{vi.capitalize()} đã công khai nhưng không xác định được ngày công khai (hạn {due.due}).",
        _ev(row),
    )


def document_complete(facts: ProvinceFacts, params: dict[str, Any]) -> Outcome:
    """a: every prescribed form (Circular 343 "Biểu số NN/CK-NSNN") present; b: at least two
    thirds; c: some, or the forms cannot be read (scanned, unreadable); d: none, or not found."""
    early, year, rows = _pre(facts, params)
    if early is not None:
        return early
    ctx = _context(facts)
    en, vi = _name(params, year)
    expected = expected_forms(ctx.settings, params["doc_type"])
    if not expected:
        return Outcome(
            Answer.E,
            f"Not applicable: no forms are prescribed for the {en}.",
            f"Không áp dụng: không có biểu mẫu quy định cho {vi}.",
        )
    present: set[int] = set()
    readable = [r for r in rows if r.format in READABLE or r.format == DocFormat.ARCHIVE.value]
    for r in readable:
        present |= {int(x) for x in (r.forms or [])}
    got = sorted(present & set(expected))
    missing = sorted(set(expected) - present)
    ev = tuple(h for r in rows for h in _ev(r))
    listed = ", ".join(str(n) for n in got) or "none"
    lacking = ", ".join(str(n) for n in missing) or "none"
    share = len(got) / len(expected)
    if not readable:
        return Outcome(
            Answer.C,
            f"The {en} is published but its forms cannot be read ({rows[0].format}).",
            f"{vi.capitalize()} đã công khai nhưng không đọc được biểu mẫu ({rows[0].format}).",
            ev,
        )
    if share >= 1:
        answer = Answer.A
    elif share * 3 >= 2:
        answer = Answer.B
    elif got:
        answer = Answer.C
    else:
        answer = Answer.D
    return Outcome(
        answer,
        f"The {en} has {len(got)} of {len(expected)} prescribed forms (present: {listed}; "
        f"missing: {lacking}).",
        f"{vi.capitalize()} có {len(got)}/{len(expected)} biểu mẫu quy định (có: {listed}; "
        f"thiếu: {lacking}).",
        ev,
    )


def document_format(facts: ProvinceFacts, params: dict[str, Any]) -> Outcome:
    """a: a machine-readable table (XLS/XLSX/ODS/CSV); b: text (PDF/DOC/DOCX with a text layer);
    c: a scanned image or a bundle; d: unreadable or not found."""
    early, year, rows = _pre(facts, params)
    if early is not None:
        return early
    en, vi = _name(params, year)
    row = rows[0]
    answer = {
        DocFormat.TABLE.value: Answer.A,
        DocFormat.TEXT.value: Answer.B,
        DocFormat.SCANNED.value: Answer.C,
        DocFormat.ARCHIVE.value: Answer.C,
    }.get(row.format, Answer.D)
    return Outcome(
        answer,
        f"The {en} is published as {row.format} ({row.kind or 'unknown kind'}).",
        f"{vi.capitalize()} được công khai ở dạng {row.format} ({row.kind or 'không rõ'}).",
        _ev(row),
    )


_PARAMS = {
    "doc_type": (str, "estimate_approved"),
    "years_before": (int, 0),
    "period": (str, ""),
    "any_year_window": (int, 0),
}

DOCUMENT_RULES: dict[str, Rule] = {
    "document_available": Rule(document_available, dict(_PARAMS), document_available.__doc__ or ""),
    "document_timely": Rule(
        document_timely, {**_PARAMS, "b_late_days": (int, 30)}, document_timely.__doc__ or ""
    ),
    "document_complete": Rule(document_complete, dict(_PARAMS), document_complete.__doc__ or ""),
    "document_format": Rule(document_format, dict(_PARAMS), document_format.__doc__ or ""),
}


def check_document_params(full: dict[str, Any]) -> str | None:
    if full.get("doc_type") not in {k.value for k in DocType}:
        kinds = ", ".join(k.value for k in DocType)
        return f"parameter 'doc_type' must be one of {kinds}, got {full.get('doc_type')!r}"
    if full.get("period") and full["period"] not in {
        "q1",
        "q2",
        "q3",
        "q4",
        "h1",
        "9m",
        "year",
        "multi",
    }:
        return f"parameter 'period' must be one of q1..q4, h1, 9m, year, multi (got {full['period']!r})"
    return None


RULES.update(DOCUMENT_RULES)
