"""A Q&A section's finding is judged on the section's own page, not on the menu link that led
there: its details (questions, dates, list_state, evidence) and evidence are the section page's,
even though the link was seen first and higher up. Real loopback site, real `pobi crawl`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawler.engine.helpers import crawl, one_site_round, query
from tests.crawler.engine.websites import Site, html

FILLER = "<p>" + "Cổng thông tin điện tử tỉnh. " * 20 + "</p>"
MENU = (
    "<nav class='menu'><a href='/?page_id=12'>Hỏi đáp</a><a href='/?page_id=7'>Giới thiệu</a></nav>"
)


def test_section_details_come_from_the_section_page(tmp_path: Path) -> None:
    def route(full: str) -> tuple[int, dict[str, str], bytes]:
        if full.endswith("page_id=12"):
            body = (
                "<title>Hỏi đáp - Cổng thông tin</title><h1>Hỏi đáp</h1>" + MENU + FILLER
                + "<div><a href='/?page_id=12&qid=1'>Câu hỏi về lệ phí?</a> Ngày gửi: 01/02/2026"
                " Ngày trả lời: 05/02/2026</div><form><textarea name='q'></textarea></form>"
            )  # fmt: skip
        else:
            body = MENU + FILLER
        return html(body)  # type: ignore[return-value]

    site = Site({"/": route}).start()
    try:
        home, sites_file = one_site_round(tmp_path, f"{site.base}/")
        r = crawl(home, sites_file, "--render", "never", "--max-depth", "1")
        assert r.returncode == 0, r.stdout + r.stderr
        (row,) = query(
            home,
            "SELECT value, found_on, details, evidence_sha256 FROM findings "
            "WHERE channel = 'qa_section' AND value = :v",
            v=f"{site.base}/?page_id=12",
        )
        details = json.loads(row["details"])
        assert row["found_on"] == f"{site.base}/?page_id=12"
        assert details["how"] == "link_text" and details["list_state"] == "listed"
        assert details["newest_answer_date"] == "2026-02-05" and details["has_form"] is True
        assert details["linked_from"] == f"{site.base}/"
        (page,) = query(home, "SELECT warc_sha256 FROM pages WHERE url = :u", u=row["found_on"])
        assert row["evidence_sha256"] == page["warc_sha256"]
    finally:
        site.stop()
