"""The transparency rubric's rules and the publication deadlines they judge by (pure functions)."""

from __future__ import annotations

from datetime import date

import pytest

from pobi.config import DocumentSettings
from pobi.models import Answer, DocType, Timeliness
from pobi.publication import LAW_NEW, LAW_OLD, due_date, legal_basis, survey_year, timeliness
from pobi.store.tables import Document
from pobi.workdays import Calendar
from scoring.document_rules import (
    PublicationContext,
    document_available,
    document_complete,
    document_format,
    document_timely,
)
from scoring.facts import ProvinceFacts
from scoring.rubric import load_rubric

CAL = Calendar()
SETTINGS = DocumentSettings()


def doc(**kw: object) -> Document:
    base = dict(
        id=1, doc_type="estimate_approved", fiscal_year=2026, period="year", status="ok",
        format="text", kind="pdf", published_on="2026-01-05", date_source="listing",
        document_date="2025-12-12", forms=[46, 47, 48], url="http://x/qd.pdf", found_on="http://x/",
        sha256="a" * 64, warc_sha256="b" * 64, detail="",
    )  # fmt: skip
    base.update(kw)
    return Document(**base)


def facts(*docs: Document, as_of: date = date(2026, 10, 30), crawled: bool = True) -> ProvinceFacts:
    f = ProvinceFacts("01", round_crawled=crawled, round_probed=False, documents=list(docs))
    f.publication = PublicationContext(SETTINGS, CAL, 2026, as_of)
    return f


EST = {"doc_type": "estimate_approved", "years_before": 0, "period": "", "any_year_window": 0}


def test_decided_estimate_counts_30_days_from_its_own_date() -> None:
    due = due_date(SETTINGS, CAL, DocType.ESTIMATE_APPROVED, 2026, "year", date(2025, 12, 12))
    assert due.due == date(2026, 1, 11) and due.counted == "days" and not due.nominal
    assert due.legal == LAW_NEW
    assert document_timely(facts(doc()), {**EST, "b_late_days": 30}).answer == Answer.A
    late = doc(published_on="2026-02-01")
    out = document_timely(facts(late), {**EST, "b_late_days": 30})
    assert out.answer == Answer.B and "21 days after" in out.en
    very = doc(published_on="2026-06-01")
    assert document_timely(facts(very), {**EST, "b_late_days": 30}).answer == Answer.C


def test_submitted_estimate_counts_working_days() -> None:
    due = due_date(SETTINGS, CAL, DocType.ESTIMATE_PROPOSED, 2026)
    assert due.counted == "working days" and due.nominal
    # 5 working days after 2025-11-25 (a Tuesday): Wed..Tue, no holiday in between
    assert due.due == date(2025, 12, 2)


def test_quarterly_report_due_15_days_after_the_quarter() -> None:
    due = due_date(SETTINGS, CAL, DocType.EXECUTION_QUARTERLY, 2025, "q1")
    assert due.due == date(2025, 4, 15) and due.legal == LAW_OLD
    assert timeliness(due, date(2025, 4, 15), True, date(2025, 5, 1))[0] == Timeliness.ON_TIME
    assert timeliness(due, date(2025, 4, 16), True, date(2025, 5, 1)) == (Timeliness.LATE, 1)
    assert timeliness(due, None, False, date(2025, 4, 10))[0] == Timeliness.NOT_DUE
    assert timeliness(due, None, False, date(2025, 4, 30))[0] == Timeliness.MISSING


def test_legal_basis_switches_with_the_2026_budget_year() -> None:
    assert legal_basis(2025) == LAW_OLD and legal_basis(2026) == LAW_NEW
    assert survey_year("2026-pilot", date(2030, 1, 1)) == 2026
    assert survey_year("demo", date(2026, 10, 30)) == 2026


def test_missing_not_due_and_not_crawled() -> None:
    params = {
        "doc_type": "execution_nine_month",
        "years_before": 0,
        "period": "",
        "any_year_window": 0,
    }
    # nine months of 2026 are due on 2026-10-15: missing on 2026-10-30, not due on 2026-10-01
    assert document_available(facts(), params).answer == Answer.D
    assert document_available(facts(as_of=date(2026, 10, 1)), params).answer == Answer.E
    assert document_available(facts(crawled=False), params).answer == Answer.E


def test_availability_format_and_completeness_answers() -> None:
    assert document_available(facts(doc()), EST).answer == Answer.A
    assert document_available(facts(doc(format="scanned")), EST).answer == Answer.B
    assert (
        document_available(facts(doc(format="unreadable", detail="encrypted")), EST).answer
        == Answer.C
    )
    assert document_format(facts(doc(format="table", kind="xlsx")), EST).answer == Answer.A
    assert document_format(facts(doc()), EST).answer == Answer.B
    assert document_format(facts(doc(format="scanned")), EST).answer == Answer.C
    assert document_complete(facts(doc()), EST).answer == Answer.A
    assert document_complete(facts(doc(forms=[46, 47])), EST).answer == Answer.B
    assert document_complete(facts(doc(forms=[46])), EST).answer == Answer.C
    assert document_complete(facts(doc(forms=[])), EST).answer == Answer.D
    assert document_complete(facts(doc(format="scanned", forms=[])), EST).answer == Answer.C
    # the best of several copies is judged; a failed download is not a publication
    both = facts(doc(id=2, format="scanned"), doc(id=3, format="table", kind="xlsx"))
    assert document_format(both, EST).answer == Answer.A
    failed = facts(doc(status="http_5xx", format="unreadable"))
    assert document_available(failed, EST).answer == Answer.D


def test_bundled_transparency_rubric_loads_and_is_its_own_index() -> None:
    r = load_rubric("transparency-v1")
    assert r.index == "transparency" and set(r.pillars) == {
        "availability", "timeliness", "completeness", "format",
    }  # fmt: skip
    assert load_rubric("participation-v1").index == "participation"


def test_bad_document_parameters_are_clear_errors(tmp_path) -> None:
    from pobi.errors import InputError

    text = (load_rubric("transparency-v1").path).read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('doc_type = "citizen_budget"', 'doc_type = "budget_of_citizens"'))
    with pytest.raises(InputError, match="doc_type"):
        load_rubric(bad)


def test_annual_execution_report_is_due_when_it_goes_to_the_council() -> None:
    # Decree 163/2016/ND-CP Art. 49: published when the People's Committee submits it to the
    # Council, i.e. with the next year's estimate papers (nominal 25 November), not 30 days after
    due = due_date(SETTINGS, CAL, DocType.EXECUTION_ANNUAL, 2024)
    assert due.due == date(2024, 11, 25) and due.nominal and "delegates" in due.anchor
    assert "163/2016" in due.legal
    assert timeliness(due, date(2024, 12, 1), True, date(2025, 1, 1)) == (Timeliness.LATE, 6)
