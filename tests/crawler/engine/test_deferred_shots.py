"""Evidence screenshots are of the pages that hold findings at the end of the crawl.

A channel first seen as a link (a menu's "Hỏi đáp") moves to the channel's own page when the crawl
reaches it (crawler.records: a channel's own page outranks a link to it). The page holding only
such a link is not photographed when it is crawled: the site's evidence pass photographs it at
the site's end if it still holds a finding. A page with a shorter address that only links to the
section never takes the finding back, so it is not photographed either. Every final finding's
page still has its screenshot and its WARC record. Real loopback site, real `pobi crawl`, real
Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawler.engine.helpers import crawl, one_site_round, query
from tests.crawler.engine.websites import Site, html

pytestmark = pytest.mark.browser

FILLER = "<p>" + "Cổng thông tin điện tử tỉnh. " * 20 + "</p>"
MENU = (
    "<nav class='menu'><a href='/?page_id=12'>Hỏi đáp</a><a href='/?p=7'>Giới thiệu</a>"
    "<a href='/lien-he'>Liên hệ</a></nav>"
)
SECTION = (
    "<title>Hỏi đáp - Cổng thông tin</title><h1>Hỏi đáp</h1>" + MENU + FILLER
    + "<div><a href='/?page_id=12&qid=1'>Câu hỏi về lệ phí?</a> Ngày gửi: 01/02/2026"
    " Ngày trả lời: 05/02/2026</div><form><textarea name='q'></textarea></form>"
)  # fmt: skip
CONTACT = (
    MENU + FILLER + "<p>Thư điện tử: <a href='mailto:vanthu@shots.test'>vanthu@shots.test</a></p>"
)


def test_only_pages_holding_findings_at_the_end_are_photographed(tmp_path: Path) -> None:
    def route(full: str) -> tuple[int, dict[str, str], bytes]:
        if full.endswith("page_id=12"):
            return html(SECTION)  # type: ignore[return-value]
        return html(MENU + FILLER)  # type: ignore[return-value]

    site = Site({"/": route, "/lien-he": html(CONTACT)}).start()
    try:
        home, sites_file = one_site_round(tmp_path, f"{site.base}/")
        r = crawl(home, sites_file, "--max-depth", "1")
        assert r.returncode == 0, r.stdout + r.stderr
        found = query(
            home,
            "SELECT channel, value, found_on, evidence_sha256, screenshot_sha256 FROM findings",
        )
        held = {f["found_on"].removeprefix(site.base) for f in found}
        assert held == {"/?page_id=12", "/lien-he"}, found
        qa = next(f for f in found if f["channel"] == "qa_section")
        assert qa["found_on"] == f"{site.base}/?page_id=12"
        pages = {
            p["url"].removeprefix(site.base): p
            for p in query(home, "SELECT url, warc_sha256, screenshot_sha256 FROM pages")
        }
        assert {"/", "/?p=7", "/?page_id=12", "/lien-he"} <= set(pages)
        # every final finding's page: its WARC and its screenshot, the finding citing both
        for f in found:
            page = pages[f["found_on"].removeprefix(site.base)]
            assert f["evidence_sha256"] == page["warc_sha256"] != ""
            assert f["screenshot_sha256"] == page["screenshot_sha256"] != ""
        # and no other page photographed: not the start page that linked to the section first,
        # not the shorter '/?p=7' that links to it too
        shot = {u for u, p in pages.items() if p["screenshot_sha256"]}
        assert shot == held
        stored = query(home, "SELECT count(*) AS n FROM evidence WHERE kind = 'screenshot'")
        assert stored[0]["n"] == len(held)
    finally:
        site.stop()
