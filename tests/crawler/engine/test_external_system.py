"""A complaint system on another host, linked from the portal, is fetched one hop and archived;
its form is the channel. Two real loopback sites, a real `pobi crawl`."""

from __future__ import annotations

from pathlib import Path

from tests.crawler.engine.helpers import crawl, one_site_round, pages, query
from tests.crawler.engine.websites import Site, html

FILLER = "<p>" + "Cổng thông tin điện tử tỉnh. " * 20 + "</p>"


def test_system_on_another_host_is_crawled_one_hop(tmp_path: Path) -> None:
    system = Site(
        {
            "/": html(
                "<title>Hệ thống PAKN</title><h1>Gửi phản ánh, kiến nghị</h1>"
                "<form method='post' action='/gui'><label>Nội dung phản ánh</label>"
                "<textarea name='nd'></textarea><button>Gửi phản ánh</button></form>"
                "<a href='/tra-cuu'>Tra cứu phản ánh</a>"
            ),
            "/tra-cuu": html("<p>should not be fetched: one hop only</p>"),
        }
    ).start()
    portal = Site(
        ip=system.ip,  # the portal's own machine, another port: another host for the crawler
        routes={
            "/": html(
                f"{FILLER}<nav class='menu'><a href='/gioi-thieu'>Giới thiệu</a>"
                f"<a href='{system.base}/'>Phản ánh kiến nghị</a></nav>"
            ),
            "/gioi-thieu": html(FILLER),
        },
    ).start()
    try:
        home, sites_file = one_site_round(tmp_path, f"{portal.base}/")
        r = crawl(home, sites_file, "--render", "never")
        assert r.returncode == 0, r.stdout + r.stderr
        fetched = pages(home)
        assert f"{system.base}/" in fetched and fetched[f"{system.base}/"]["status"] == "ok"
        assert fetched[f"{system.base}/"]["warc_sha256"]  # archived as evidence
        assert "/tra-cuu" not in system.hits
        rows = query(
            home,
            "SELECT channel, value, found_on, details FROM findings WHERE channel = 'feedback_form'",
        )
        mine = [row for row in rows if row["value"] == f"{system.base}/"]
        assert mine, rows
        assert mine[0]["found_on"] == f"{system.base}/"  # judged on the system's own page
    finally:
        portal.stop()
        system.stop()
