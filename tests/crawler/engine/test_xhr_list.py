"""A Q&A list loaded by XHR is read from the rendered page: the static page shows "Đang tải..."
and no question (that is not evidence of an empty section); the rendering policy sends it to
Chromium (reason script_list, with its evidence), the page's fetch of its JSON list runs, and the
section is judged on the questions and dates the browser shows. Real site, real Chromium."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawler.engine.helpers import crawl, one_site_round, query
from tests.crawler.engine.websites import Site, html

FILLER = "<p>" + "Cổng thông tin điện tử tỉnh. " * 20 + "</p>"
MENU = "<nav class='menu'><a href='/'>Trang chủ</a><a href='/hoi-dap'>Hỏi đáp</a><a href='/lien-he'>Liên hệ</a></nav>"
QA = (
    "<h1>Hỏi đáp</h1>" + MENU + FILLER
    + "<div id='dsHoiDap'>Đang tải...</div>"
    "<form><textarea name='noidung'></textarea><button>Gửi câu hỏi</button></form>"
    "<script>fetch('/api/hoi-dap?page=1').then(function (r) { return r.json(); })"
    ".then(function (d) { document.getElementById('dsHoiDap').innerHTML = d.items.map(function (q) {"
    " return '<div class=\"item\"><a href=\"/hoi-dap/' + q.id + '\">' + q.tieuDe + '</a>"
    " <span>Ngày gửi: ' + q.ngayGui + '</span> <span>Ngày trả lời: ' + q.ngayTraLoi + '</span></div>';"
    " }).join(''); });</script>"
)  # fmt: skip
ITEMS = {
    "items": [
        {"id": 7, "tieuDe": "Hỏi về lệ phí trước bạ", "ngayGui": "02/03/2026", "ngayTraLoi": "09/03/2026"},
        {"id": 6, "tieuDe": "Hỏi về thuế đất", "ngayGui": "11/01/2026", "ngayTraLoi": "20/01/2026"},
    ]
}  # fmt: skip


def test_list_loaded_by_xhr_is_read_after_rendering(tmp_path: Path) -> None:
    site = Site(
        {
            "/": html(MENU + FILLER),
            "/lien-he": html(MENU + FILLER),
            "/hoi-dap": html(QA),
            "/api/hoi-dap": (200, {"Content-Type": "application/json"}, json.dumps(ITEMS).encode()),
        }
    ).start()
    try:
        home, sites_file = one_site_round(tmp_path, f"{site.base}/")
        r = crawl(home, sites_file, "--render", "auto", "--max-depth", "1")
        assert r.returncode == 0, r.stdout + r.stderr
        (page,) = query(home, "SELECT * FROM pages WHERE url = :u", u=f"{site.base}/hoi-dap")
        assert page["rendered"] == 1
        assert page["render_reason"].startswith("script_list: list loaded by script: fetch(")
        (row,) = query(
            home,
            "SELECT details FROM findings WHERE channel = 'qa_section' AND value = :v",
            v=f"{site.base}/hoi-dap",
        )
        details = json.loads(row["details"])
        assert details["rendered"] is True and details["list_state"] == "listed"
        assert details["questions_listed"] == 2 and details["has_form"] is True
        assert details["newest_answer_date"] == "2026-03-09"
        assert "/api/hoi-dap?page=1" in site.hits  # the browser's fetch, from the page itself
    finally:
        site.stop()


def test_list_loaded_by_xhr_is_read_from_its_json_when_not_rendered(tmp_path: Path) -> None:
    # --render never: the crawler fetches the one JSON endpoint the page's script names (same
    # host, GET, one hop), archives it, and judges the section on it (crawler.xhrlist)
    site = Site(
        {
            "/": html(MENU + FILLER),
            "/lien-he": html(MENU + FILLER),
            "/hoi-dap": html(QA),
            "/api/hoi-dap": (200, {"Content-Type": "application/json"}, json.dumps(ITEMS).encode()),
        }
    ).start()
    try:
        home, sites_file = one_site_round(tmp_path, f"{site.base}/")
        r = crawl(home, sites_file, "--render", "never", "--max-depth", "1")
        assert r.returncode == 0, r.stdout + r.stderr
        (page,) = query(home, "SELECT * FROM pages WHERE url = :u", u=f"{site.base}/hoi-dap")
        assert page["rendered"] == 0
        (api,) = query(
            home, "SELECT * FROM pages WHERE url = :u", u=f"{site.base}/api/hoi-dap?page=1"
        )
        assert api["warc_sha256"] and "Q&A list" in api["detail"]  # archived as evidence
        (row,) = query(
            home,
            "SELECT found_on, evidence_sha256, details FROM findings"
            " WHERE channel = 'qa_section' AND value = :v",
            v=f"{site.base}/hoi-dap",
        )
        details = json.loads(row["details"])
        assert details["list_state"] == "listed" and details["rendered"] is False
        assert details["questions_listed"] == 2
        assert details["newest_question_date"] == "2026-03-02"
        assert details["newest_answer_date"] == "2026-03-09"
        assert details["list_json"] == f"{site.base}/api/hoi-dap?page=1"
        assert (
            row["found_on"] == details["list_json"] and row["evidence_sha256"] == api["warc_sha256"]
        )
        assert "fetched by the crawler and archived" in details["evidence"][0]
        assert site.hits.count("/api/hoi-dap?page=1") == 1  # one hop, once
    finally:
        site.stop()
