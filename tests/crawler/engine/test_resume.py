"""`pobi crawl --resume --retry-failed`: pages that failed for a reason that may pass are fetched
again (their rows updated, never duplicated); `--resume` alone reads every stored page back,
failures included. Real loopback site, real `pobi crawl` subprocesses."""

from __future__ import annotations

from pathlib import Path

from tests.crawler.engine.helpers import STUB_CHECKS, crawl, one_site_round, query
from tests.crawler.engine.websites import Site, html

FILLER = "<p>" + "Cổng thông tin điện tử tỉnh. " * 20 + "</p>"


def test_retry_failed_fetches_transient_failures_again(tmp_path: Path) -> None:
    state = {"up": False}

    def contact(path: str) -> tuple[int, dict[str, str], bytes]:
        if not state["up"]:
            return (503, {"Content-Type": "text/html"}, b"<p>busy</p>")
        return html(f"{FILLER}<a href='mailto:lienhe@retry.test'>e-mail</a>")  # type: ignore[return-value]

    site = Site(
        {
            "/": html(f"{FILLER}<a href='/lien-he'>Liên hệ</a><a href='/gone'>x</a>"),
            "/lien-he": contact,
            "/gone": html("<p>not here</p>", status=404),
        }
    ).start()
    try:
        home, sites_file = one_site_round(tmp_path, f"{site.base}/")
        args = ("--render", "never")

        def statuses() -> dict[str, str]:
            rows = query(home, "SELECT url, status FROM pages")
            return {r["url"].removeprefix(site.base): r["status"] for r in rows}

        def emails() -> list[str]:
            return [r["value"] for r in query(home, "SELECT value FROM findings")]

        first = crawl(home, sites_file, *args, POBI_CRAWL_CHECKS=STUB_CHECKS)
        assert first.returncode == 0, first.stdout + first.stderr
        assert statuses() == {"/": "ok", "/lien-he": "http_5xx", "/gone": "http_4xx"}
        assert emails() == []

        state["up"] = True
        hits_before = len(site.hits)
        plain = crawl(home, sites_file, *args, "--resume", POBI_CRAWL_CHECKS=STUB_CHECKS)
        assert plain.returncode == 0, plain.stdout + plain.stderr
        assert statuses()["/lien-he"] == "http_5xx" and emails() == []  # read back, not fetched
        assert not [h for h in site.hits[hits_before:] if h != "/robots.txt"]

        again = crawl(
            home, sites_file, *args, "--resume", "--retry-failed", POBI_CRAWL_CHECKS=STUB_CHECKS
        )
        assert again.returncode == 0, again.stdout + again.stderr
        assert statuses() == {"/": "ok", "/lien-he": "ok", "/gone": "http_4xx"}
        assert emails() == ["lienhe@retry.test"]
        fetched = [h for h in site.hits[hits_before:] if h != "/robots.txt"]
        assert fetched == ["/lien-he"]  # only the transient failure; a 404 stays a 404
        assert query(home, "SELECT count(*) AS n FROM pages")[0]["n"] == 3
    finally:
        site.stop()


def test_retry_failed_needs_resume(tmp_path: Path) -> None:
    home, sites_file = one_site_round(tmp_path, "http://127.0.0.1:9/")
    r = crawl(home, sites_file, "--retry-failed")
    assert r.returncode != 0
    assert "--resume --retry-failed" in r.stdout + r.stderr
