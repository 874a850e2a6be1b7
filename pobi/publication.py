"""When a budget document is due, and whether it was published on time.

The rules (defaults in :class:`pobi.config.DocumentSettings`, cited in docs/documents.md) count
either calendar days ("ngày") or working days ("ngày làm việc", Vietnamese calendar from
:mod:`pobi.workdays`), from an anchor: the end of a reporting period, or the date the decision was
issued (the document's own "ngày … tháng … năm …"). When the document is missing or undated, the
anchor is the usual date of the event (e.g. the People's Council decides the estimate by 10
December of the year before): the explanation says so.

The legal basis depends on the fiscal year, like the request letter's: the State Budget Law
83/2015/QH13 up to the 2025 budget year, Law 89/2025/QH15 from the 2026 budget year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pobi.config import DocumentSettings
from pobi.models import DocType, Timeliness
from pobi.workdays import Calendar

NEW_LAW_FROM = 2026
LAW_OLD = (
    "Luật NSNN 83/2015/QH13 Điều 15; Nghị định 163/2016/NĐ-CP Điều 49; Thông tư 343/2016/TT-BTC "
    "(sửa đổi bởi 90/2018/TT-BTC)"
)
LAW_NEW = (
    "Luật NSNN 89/2025/QH15 (áp dụng từ năm ngân sách 2026); Thông tư 343/2016/TT-BTC "
    "(sửa đổi bởi 90/2018/TT-BTC) cho đến khi có văn bản thay thế"
)
PERIOD_END = {
    "q1": (3, 31),
    "q2": (6, 30),
    "q3": (9, 30),
    "q4": (12, 31),
    "h1": (6, 30),
    "9m": (9, 30),
}
_NOMINAL = re.compile(r"^(prev|this|next)-(\d{2})-(\d{2})$")


def legal_basis(fiscal_year: int | None) -> str:
    """The law the deadlines of a fiscal year's documents come from."""
    if fiscal_year is not None and fiscal_year >= NEW_LAW_FROM:
        return LAW_NEW
    return LAW_OLD


def survey_year(round_id: str, as_of: date) -> int:
    """The year a round surveys: its id when it starts with one (2026, 2026-pilot), else the
    year of ``as_of``."""
    m = re.match(r"^(20\d\d)", round_id)
    return int(m.group(1)) if m else as_of.year


@dataclass(frozen=True)
class Due:
    due: date | None
    counted: str  # 'days' | 'working days' | ''
    anchor: str  # what the count starts from, in words
    nominal: bool  # the anchor is the usual date, not the document's own
    legal: str


def nominal(spec: str, fiscal_year: int) -> date:
    m = _NOMINAL.match(spec.strip())
    if not m:
        raise ValueError(f"not a nominal date like 'prev-12-10': {spec!r}")
    offset = {"prev": -1, "this": 0, "next": 1}[m.group(1)]
    return date(fiscal_year + offset, int(m.group(2)), int(m.group(3)))


def due_date(
    settings: DocumentSettings,
    calendar: Calendar,
    doc_type: DocType | str,
    fiscal_year: int | None,
    period: str = "year",
    document_date: date | None = None,
) -> Due:
    kind = DocType(doc_type)
    legal = legal_basis(fiscal_year)
    if fiscal_year is None:
        return Due(None, "", "fiscal year unknown", True, legal)
    s = settings

    def calendar_days(anchor: date, n: int, words: str, is_nominal: bool) -> Due:
        return Due(anchor + timedelta(days=n), "days", f"{n} days after {words} ({anchor})",
                   is_nominal, legal)  # fmt: skip

    def working(anchor: date, n: int, words: str, is_nominal: bool) -> Due:
        return Due(calendar.add_working_days(anchor, n), "working days",
                   f"{n} working days after {words} ({anchor})", is_nominal, legal)  # fmt: skip

    if kind in (
        DocType.EXECUTION_QUARTERLY,
        DocType.EXECUTION_SIX_MONTH,
        DocType.EXECUTION_NINE_MONTH,
    ):
        if kind == DocType.EXECUTION_SIX_MONTH:
            period = "h1"
        elif kind == DocType.EXECUTION_NINE_MONTH:
            period = "9m"
        elif period not in PERIOD_END:
            period = "q1"  # a quarterly report whose quarter is not known: the earliest
        month, day = PERIOD_END[period]
        end = date(fiscal_year, month, day)
        return calendar_days(end, s.execution_period_days, f"the end of {period}", False)
    if kind == DocType.EXECUTION_ANNUAL:
        # Decree 163/2016/NĐ-CP Art. 49: published when submitted to the Council, i.e. with the
        # papers for the following year's estimate
        sent = nominal(s.papers_to_delegates, fiscal_year + 1)
        return calendar_days(sent, s.execution_annual_days,
                             "the report went to the Council's delegates", True)  # fmt: skip
    if kind == DocType.ESTIMATE_PROPOSED:
        sent = nominal(s.papers_to_delegates, fiscal_year)
        return working(sent, s.estimate_proposed_working_days, "the papers went to delegates", True)
    if kind == DocType.FINAL_ACCOUNTS_PROPOSED:
        session = nominal(s.final_accounts_session, fiscal_year)
        sent = session - timedelta(days=15)
        return working(sent, s.final_accounts_proposed_working_days,
                       "the papers went to delegates (15 days before the session)", True)  # fmt: skip
    days = {
        DocType.ESTIMATE_APPROVED: (s.estimate_approved_days, s.council_session),
        DocType.CITIZEN_BUDGET: (s.citizen_budget_days, s.council_session),
        DocType.MEDIUM_TERM_PLAN: (s.medium_term_plan_days, s.council_session),
        DocType.FINAL_ACCOUNTS_APPROVED: (s.final_accounts_approved_days, s.final_accounts_session),
        DocType.AUDIT_REPORT: (s.audit_report_days, s.final_accounts_session),
    }
    if kind in days:
        n, spec = days[kind]
        if document_date is not None:
            return calendar_days(document_date, n, "the decision was issued", False)
        return calendar_days(nominal(spec, fiscal_year), n, "the usual decision date", True)
    return Due(None, "", "no deadline for other documents", True, legal)


def timeliness(
    due: Due, published_on: date | None, found: bool, as_of: date
) -> tuple[Timeliness, int | None]:
    """The status and the days late (positive) or early (<= 0) in the rule's own days."""
    if not found:
        if due.due is None or as_of <= due.due:
            return Timeliness.NOT_DUE, None
        return Timeliness.MISSING, None
    if due.due is None or published_on is None:
        return Timeliness.UNKNOWN, None
    delta = (published_on - due.due).days
    return (Timeliness.ON_TIME if delta <= 0 else Timeliness.LATE), delta


def expected_forms(settings: DocumentSettings, doc_type: DocType | str) -> list[int]:
    kind = DocType(doc_type)
    raw = {
        DocType.ESTIMATE_PROPOSED: settings.forms_estimate_proposed,
        DocType.ESTIMATE_APPROVED: settings.forms_estimate_approved,
        DocType.EXECUTION_QUARTERLY: settings.forms_execution,
        DocType.EXECUTION_SIX_MONTH: settings.forms_execution,
        DocType.EXECUTION_NINE_MONTH: settings.forms_execution,
        DocType.EXECUTION_ANNUAL: settings.forms_execution,
        DocType.FINAL_ACCOUNTS_PROPOSED: settings.forms_final_accounts,
        DocType.FINAL_ACCOUNTS_APPROVED: settings.forms_final_accounts,
    }.get(kind, [])
    return sorted({int(x) for x in raw if str(x).strip().isdigit()})
