"""crawler.xhrlist: the JSON endpoint a Q&A list is loaded from, and the list judged on it."""

import json

from crawler.page import FindingDraft
from crawler.xhrlist import judge, list_endpoint, unread_list
from pobi.models import Channel
from tests.crawler.checks.helpers import BASE, view

PAGE = BASE + "hoi-dap/danh-sach"


def endpoint(script: str) -> str:
    return list_endpoint(view(f"<h1>Hỏi đáp</h1><div id='ds'></div><script>{script}</script>",
                              url=PAGE))  # fmt: skip


def test_the_endpoint_the_script_names() -> None:
    assert endpoint("fetch('/api/hoi-dap?page=1').then(r => r.json())") == (
        BASE + "api/hoi-dap?page=1"
    )
    assert endpoint('$.getJSON("DanhSach.ashx?trang=1", function (d) {})') == (
        BASE + "hoi-dap/DanhSach.ashx?trang=1"
    )
    assert endpoint("$.ajax({ url: '/HoiDap/GetList', dataType: 'json', success: f })") == (
        BASE + "HoiDap/GetList"
    )
    assert endpoint("var x = new XMLHttpRequest(); x.open('GET', '/api/cauhoi', true);") == (
        BASE + "api/cauhoi"
    )


def test_nothing_fetched_that_is_not_a_safe_same_host_get() -> None:
    assert endpoint("fetch('https://api.other-host.vn/hoi-dap')") == ""  # another host
    assert endpoint("$.post('/api/hoi-dap', {page: 1}, f)") == ""  # POST
    assert endpoint("$.ajax({url: '/api/hoi-dap', type: 'POST'})") == ""
    assert endpoint("fetch(`/api/hoi-dap?page=${n}`)") == ""  # built at run time
    assert endpoint("$.get('/js/list.js')") == ""  # a script, not data
    assert endpoint("document.getElementById('ds').innerHTML = 'x'") == ""


def _section(state: str) -> FindingDraft:
    return FindingDraft(
        Channel.QA_SECTION,
        PAGE,
        {"list_state": state, "evidence": ["the list is loaded by script (script_list: ...)"]},
    )


def test_only_an_unread_qa_list_is_fetched() -> None:
    listed, unread = _section("listed"), _section("script_loaded")
    email = FindingDraft(Channel.EMAIL, "a@b.vn", {"list_state": "script_loaded"})
    assert unread_list([email, listed]) is None
    assert unread_list([email, listed, unread]) is unread


def test_the_list_judged_on_its_json() -> None:
    body = json.dumps(
        {"d": {"results": [
            {"ID": 3, "noiDung": "Hỏi về thuế", "ngayGui": "/Date(1767225600000)/"},
            {"ID": 2, "noiDung": "Hỏi về đất", "ngayGui": "2025-11-02", "ngayTraLoi": "2025-11-20"},
        ]}}
    ).encode()  # fmt: skip
    d = judge(_section("script_loaded"), body, BASE + "api/hoi-dap")
    assert d is not None and d.value == PAGE
    assert d.details["list_state"] == "listed" and d.details["questions_listed"] == 2
    assert d.details["newest_question_date"] == "2026-01-01"
    assert d.details["newest_answer_date"] == "2025-11-20"
    assert d.details["list_json"] == BASE + "api/hoi-dap"
    assert "loaded by script" not in " ".join(d.details["evidence"])  # it has been read now


def test_no_judgement_without_questions() -> None:
    section = _section("script_loaded")
    assert judge(section, "<html><body>Lỗi hệ thống</body></html>".encode(), "u") is None
    assert judge(section, b'{"items": []}', "u") is None
    assert judge(section, b'{"ok": true, "count": 0}', "u") is None
    assert judge(section, b"[" * 200_000 + b"]" * 200_000, "u") is None  # nested past recursion
