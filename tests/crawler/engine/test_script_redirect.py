"""A page whose script sends the browser elsewhere (a portal's root doing
``location.href = '/home'``): what the browser then shows is the live site, so it is not kept as
the page's rendered DOM or screenshot; the crawler fetches the target itself — politely, archived,
as a link of that page — so the site's content is still found and its evidence is archived.
Real loopback site, real `pobi crawl`, real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawler.engine.helpers import STUB_CHECKS, crawl, one_site_round, query
from tests.crawler.engine.websites import Site, html

pytestmark = pytest.mark.browser

FILLER = "<p>" + "Cổng thông tin điện tử tỉnh. " * 20 + "</p>"


def test_script_redirect_target_is_crawled_and_the_live_render_not_kept(tmp_path: Path) -> None:
    site = Site(
        {
            "/": html("<script>window.location.href = '/home';</script>"),
            "/home": html(f"{FILLER}<a href='mailto:vanthu@redirect.test'>e-mail</a>"),
        }
    ).start()
    try:
        home, sites_file = one_site_round(tmp_path, f"{site.base}/")
        r = crawl(home, sites_file, POBI_CRAWL_CHECKS=STUB_CHECKS)
        assert r.returncode == 0, r.stdout + r.stderr
        rows = {
            p["url"].removeprefix(site.base): p
            for p in query(home, "SELECT url, status, rendered, depth, detail FROM pages")
        }
        assert not rows["/"]["rendered"] and f"left for {site.base}/home" in rows["/"]["detail"]
        assert rows["/home"]["status"] == "ok" and rows["/home"]["depth"] == 1
        found = query(home, "SELECT value, found_on FROM findings")
        assert [(f["value"], f["found_on"]) for f in found] == [
            ("vanthu@redirect.test", f"{site.base}/home")
        ]
        assert site.hits.count("/home") == 2  # the browser's visit (not kept) and the crawler's
        shots = query(home, "SELECT url FROM pages WHERE screenshot_sha256 != ''")
        assert [r["url"].removeprefix(site.base) for r in shots] == ["/home"]
    finally:
        site.stop()
