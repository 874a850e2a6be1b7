"""Store writes of the crawl: idempotent, order-independent, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.job import Target
from crawler.page import FindingDraft
from crawler.records import PageRecord, Recorder, SiteResult
from pobi.evidence import EvidenceStore
from pobi.models import Channel
from pobi.rounds import create_round
from pobi.store import Store
from pobi.store.tables import CrawlSite, Evidence, Finding, Page


@pytest.fixture
def recorder(db_url: str, tmp_path: Path) -> Recorder:
    store = Store.open(url=db_url)
    with store.session() as s:
        create_round(s, "r1", "current")
    return Recorder(
        store,
        EvidenceStore(tmp_path / "evidence"),
        "r1",
        {"01": ["https://stc.hanoi.gov.vn/", "registry"]},
    )


def _page(url: str, depth: int, warc: bytes = b"W") -> PageRecord:
    return PageRecord(url=url, final_url=url, depth=depth, status="ok", http_status=200, warc=warc)


def test_sites_are_upserted(recorder: Recorder) -> None:
    t = [
        Target("01", "portal", "https://hanoi.gov.vn/"),
        Target("01", "finance", "https://stc.hanoi.gov.vn/"),
    ]
    a = recorder.prepare_sites(t)
    b = recorder.prepare_sites(t)
    assert [x.id for x in a] == [x.id for x in b]
    with recorder.store.session() as s:
        assert s.scalar(select(func.count()).select_from(CrawlSite)) == 2


@pytest.mark.parametrize("order", [[0, 1, 2], [2, 1, 0], [1, 2, 0]])
def test_finding_keeps_the_best_page_whatever_the_order(
    recorder: Recorder, order: list[int]
) -> None:
    site = recorder.prepare_sites([Target("01", "portal", "https://hanoi.gov.vn/")])[0]
    draft = FindingDraft(Channel.EMAIL, "vpubnd@hanoi.gov.vn", {"presentation": "mailto"})
    pages = [
        _page("https://hanoi.gov.vn/lien-he/chi-tiet", 2, b"w0"),
        _page("https://hanoi.gov.vn/", 0, b"w1"),
        _page("https://hanoi.gov.vn/gioi-thieu", 1, b"w2"),
    ]
    for i in order:
        recorder.save_page(site, pages[i], [draft])
    with recorder.store.session() as s:
        rows = s.scalars(select(Finding)).all()
        assert len(rows) == 1
        assert rows[0].found_on == "https://hanoi.gov.vn/"
        page_row = s.scalar(select(Page).where(Page.url == "https://hanoi.gov.vn/"))
        assert rows[0].evidence_sha256 == page_row.warc_sha256
        assert rows[0].details["found_depth"] == 0
        assert s.scalar(select(func.count()).select_from(Evidence)) == 3


def test_pages_are_upserted_and_evidence_recorded_once(recorder: Recorder) -> None:
    site = recorder.prepare_sites([Target("01", "portal", "https://hanoi.gov.vn/")])[0]
    recorder.save_page(site, _page("https://hanoi.gov.vn/", 0, b"same"), [])
    recorder.save_page(site, _page("https://hanoi.gov.vn/", 0, b"same"), [])
    recorder.save_page(site, _page("https://hanoi.gov.vn/", 0, b"newer"), [])
    with recorder.store.session() as s:
        rows = s.scalars(select(Page)).all()
        assert len(rows) == 1
        assert s.scalar(select(func.count()).select_from(Evidence)) == 2
    assert recorder.evidence.verify().ok


def test_finance_site_compared_with_the_reference(recorder: Recorder) -> None:
    site = recorder.prepare_sites([Target("01", "portal", "https://hanoi.gov.vn/")])[0]
    recorder.save_page(
        site,
        _page("https://hanoi.gov.vn/lien-ket", 1),
        [
            FindingDraft(Channel.FINANCE_SITE, "https://STC.HaNoi.gov.vn/"),
            FindingDraft(Channel.FINANCE_SITE, "https://sotaichinh.hanoi.gov.vn/"),
        ],
    )
    with recorder.store.session() as s:
        got = {f.value: f.details for f in s.scalars(select(Finding))}
    assert got["https://STC.HaNoi.gov.vn/"]["matches_registry"] is True
    assert got["https://sotaichinh.hanoi.gov.vn/"]["matches_registry"] is False
    assert got["https://sotaichinh.hanoi.gov.vn/"]["registry_url"] == "https://stc.hanoi.gov.vn/"


def test_finish_site_counts_and_screenshot_propagation(recorder: Recorder) -> None:
    site = recorder.prepare_sites([Target("01", "portal", "https://hanoi.gov.vn/")])[0]
    recorder.save_page(
        site, _page("https://hanoi.gov.vn/", 0), [FindingDraft(Channel.PHONE, "1022")]
    )
    recorder.save_page(
        site, PageRecord(url="https://hanoi.gov.vn/x", final_url="", depth=1, status="timeout"), []
    )
    need = recorder.pages_needing_screenshots(site.id)
    assert [p.url for p in need] == ["https://hanoi.gov.vn/"]
    recorder.save_screenshot(site.id, need[0].url, need[0].final_url, b"\x89PNG fake")
    assert recorder.pages_needing_screenshots(site.id) == []
    counts = recorder.finish_site(
        site.id, SiteResult(status="ok", final_url="https://hanoi.gov.vn/")
    )
    assert counts == {"pages": 1, "rendered": 0, "findings": 1}


@pytest.mark.parametrize("order", [[0, 1], [1, 0]])
def test_a_qa_list_read_from_its_json_outranks_the_list_left_unread(
    recorder: Recorder, order: list[int]
) -> None:
    # crawler.xhrlist: the section page (depth 1) says its list is loaded by script; the JSON
    # the page loads (depth 2) is read. Whatever the order (a resumed crawl judges the page
    # again after the JSON), the finding keeps the list as read.
    site = recorder.prepare_sites([Target("01", "portal", "https://hanoi.gov.vn/")])[0]
    section = "https://hanoi.gov.vn/hoi-dap"
    api = "https://hanoi.gov.vn/api/hoi-dap?page=1"
    unread = FindingDraft(Channel.QA_SECTION, section, {"list_state": "script_loaded"})
    read = FindingDraft(
        Channel.QA_SECTION,
        section,
        {"list_state": "listed", "list_json": api, "questions_listed": 2},
    )
    saves = [(_page(section, 1, b"page"), unread), (_page(api, 2, b"json"), read)]
    for i in order:
        recorder.save_page(site, saves[i][0], [saves[i][1]])
    with recorder.store.session() as s:
        (row,) = s.scalars(select(Finding).where(Finding.channel == "qa_section")).all()
        assert row.details["list_state"] == "listed" and row.found_on == api
