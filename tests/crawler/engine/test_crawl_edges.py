"""One real crawl (subprocess, real Chromium) over small loopback sites covering the engine's
edge cases; each test below checks one behaviour of that crawl's stored results."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from pobi.evidence import EvidenceStore
from tests.crawler.engine.helpers import (
    STUB_CHECKS,
    crawl,
    new_round,
    pages,
    query,
    sites,
    write_sites,
)
from tests.crawler.engine.websites import Silent, Site, closed_port_url, html

pytestmark = [pytest.mark.xdist_group("crawl-edges"), pytest.mark.browser]

LINKS = "".join(f'<a href="/p{i}">trang {i}</a>' for i in range(30))
FILLER = "<p>" + "Cổng thông tin điện tử tỉnh. " * 20 + "</p>"


def _calendar(path: str) -> tuple[int, dict[str, str], bytes]:
    month = int(path.split("=")[-1]) if "=" in path else 0
    body = f'<p>{FILLER}</p><a href="/cal?month={month + 1}">tháng sau</a>'
    return (200, {"Content-Type": "text/html; charset=utf-8"}, body.encode())


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    other = Site({"/": html(f"{FILLER}<a href='mailto:other@site.test'>x</a>")}).start()
    moved_to = Site(
        {
            "/home": html(f"{FILLER}<a href='/lien-he'>Liên hệ</a>"),
            "/lien-he": html(f"{FILLER}<a href='mailto:moved@sandbox.test'>e-mail</a>"),
        }
    ).start()
    polite = Site(
        {
            "/": html(
                f"{FILLER}<a href='/private/secret'>secret</a><a href='/public'>public</a>"
                f"<a href='{{other}}'>elsewhere</a><a href='/go'>go</a>"
                "<a href='mailto:Contact@Polite.test'>mail</a>".replace("{other}", other_url(other))
            ),
            "/public": html(f"{FILLER}<a href='mailto:public@polite.test'>m</a>"),
            "/private/secret": html("<a href='mailto:secret@polite.test'>m</a>"),
            "/go": (302, {"Location": other_url(other)}, b""),
        },
        robots="User-agent: *\nDisallow: /private\n",
    ).start()
    moving = Site({"/": (301, {"Location": moved_to.base + "/home"}, b"")}).start()
    looping = Site(
        {"/": (302, {"Location": "/a"}, b""), "/a": (302, {"Location": "/"}, b"")}
    ).start()
    huge = Site({"/": html("<p>" + "x" * 300_000 + "</p>")}).start()
    bomb = Site(
        {
            "/": (
                200,
                {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                gzip.compress(b"<p>" + b"0" * 20_000_000 + b"</p>"),
            )
        }
    ).start()
    big = Site({"/": html(FILLER + LINKS), **{f"/p{i}": html(FILLER) for i in range(30)}}).start()
    deep = Site(
        {
            "/": html(f"{FILLER}<a href='/d1'>1</a>"),
            **{f"/d{i}": html(f"{FILLER}<a href='/d{i + 1}'>{i + 1}</a>") for i in range(1, 6)},
        }
    ).start()
    trap = Site({"/": html(f"{FILLER}<a href='/cal?month=1'>lịch</a>"), "/cal": _calendar}).start()
    script_mail = Site(
        {
            "/": html(
                "<html><body><div id='app'></div><script>"
                "var u='hop' + 'thu'; var d='tinh.sandbox.test';"
                "document.getElementById('app').innerHTML="
                "'<a href=\"mailto:' + u + '@' + d + '\">Liên hệ</a>';</script></body></html>"
            )
        }
    ).start()
    error500 = Site({"/": html("oops", status=500)}).start()
    missing = Site({}).start()  # every path 404
    silent = Silent()
    refused = closed_port_url()
    servers = [
        other,
        moved_to,
        polite,
        moving,
        looping,
        huge,
        big,
        deep,
        trap,
        script_mail,
        error500,
        missing,
    ]
    urls = {
        "polite": polite.base + "/",
        "moving": moving.base + "/",
        "looping": looping.base + "/",
        "huge": huge.base + "/",
        "bomb": bomb.base + "/",
        "big": big.base + "/",
        "deep": deep.base + "/",
        "trap": trap.base + "/",
        "script_mail": script_mail.base + "/",
        "error500": error500.base + "/",
        "missing": missing.base + "/",
        "silent": silent.url,
        "refused": refused,
    }
    home = tmp_path_factory.mktemp("edges") / "home"
    home.mkdir()
    new_round(home)
    codes = ["01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31"]
    rows = [(codes[i], "portal", url) for i, url in enumerate(urls.values())]
    sites_file = write_sites(home.parent / "sites.csv", rows)
    result = crawl(
        home,
        sites_file,
        "--max-pages",
        "12",
        POBI_CRAWL_CHECKS=STUB_CHECKS,
        POBI_CRAWL_MAX_PAGE_BYTES="100000",
    )
    yield {
        "home": home,
        "urls": urls,
        "result": result,
        "moved_to": moved_to,
        "other": other,
        "polite": polite,
        "sites_file": sites_file,
    }
    for s in servers:
        s.stop()
    silent.stop()


def other_url(site: Site) -> str:
    return site.base + "/"


def test_crawl_finishes_and_reports_every_site(world: dict[str, Any]) -> None:
    r = world["result"]
    assert r.returncode == 0, r.stdout + r.stderr
    assert "13 sites" in r.stdout
    rows = sites(world["home"])
    assert set(rows) == set(world["urls"].values())
    assert all(row["finished_at"] is not None for row in rows.values())


def test_dead_sites_are_reported_with_their_status(world: dict[str, Any]) -> None:
    rows, u = sites(world["home"]), world["urls"]
    assert rows[u["refused"]]["fetch_status"] == "refused"
    assert rows[u["silent"]]["fetch_status"] == "timeout"
    assert rows[u["error500"]]["fetch_status"] == "http_5xx"
    assert rows[u["missing"]]["fetch_status"] == "http_4xx"
    assert rows[u["polite"]]["fetch_status"] == "ok"


def test_robots_decisions_are_recorded_and_obeyed(world: dict[str, Any]) -> None:
    p = pages(world["home"])
    base = world["urls"]["polite"]
    assert p[base + "private/secret"]["status"] == "robots_blocked"
    assert p[base + "public"]["status"] == "ok"
    assert "/private/secret" not in world["polite"].hits
    emails = {r["value"] for r in query(world["home"], "SELECT value FROM findings")}
    assert "secret@polite.test" not in emails
    assert {"contact@polite.test", "public@polite.test"} <= emails


def test_offsite_links_are_not_followed_and_offsite_redirects_refused(
    world: dict[str, Any],
) -> None:
    assert world["other"].hits == [] or world["other"].hits == ["/robots.txt"]
    p = pages(world["home"])
    go = p[world["urls"]["polite"] + "go"]
    assert go["status"] == "offsite_redirect"
    assert "other@site.test" not in {
        r["value"] for r in query(world["home"], "SELECT value FROM findings")
    }


def test_redirect_to_another_host_records_final_url(world: dict[str, Any]) -> None:
    row = sites(world["home"])[world["urls"]["moving"]]
    assert row["fetch_status"] == "ok"
    assert row["final_url"] == world["moved_to"].base + "/home"
    found = query(
        world["home"],
        "SELECT value, found_on FROM findings WHERE site_id = :s",
        s=row["id"],
    )
    assert found == [
        {"value": "moved@sandbox.test", "found_on": world["moved_to"].base + "/lien-he"}
    ]


def test_redirect_loop_and_size_limit(world: dict[str, Any]) -> None:
    rows = sites(world["home"])
    assert rows[world["urls"]["looping"]]["fetch_status"] == "redirect_loop"
    assert rows[world["urls"]["huge"]]["fetch_status"] == "too_large"
    assert rows[world["urls"]["bomb"]]["fetch_status"] == "too_large"  # compression bomb


def test_page_budget_depth_limit_and_traps(world: dict[str, Any]) -> None:
    rows = sites(world["home"])
    big = rows[world["urls"]["big"]]
    assert big["pages_fetched"] == 12
    assert "budget" in big["note"]
    deep = pages(world["home"])
    depths = {url: p["depth"] for url, p in deep.items() if url.startswith(world["urls"]["deep"])}
    assert max(depths.values()) == 3
    assert world["urls"]["deep"] + "d3" in depths and world["urls"]["deep"] + "d4" not in depths
    trap_pages = [u for u in deep if u.startswith(world["urls"]["trap"])]
    assert len(trap_pages) <= 4  # depth 3 stops the calendar long before the query cap


def test_script_built_email_found_by_rendering_with_screenshot(world: dict[str, Any]) -> None:
    home = world["home"]
    row = sites(home)[world["urls"]["script_mail"]]
    page = pages(home)[world["urls"]["script_mail"]]
    assert page["rendered"] == 1 and page["render_reason"].split(":")[0] in {
        "js_shell",
        "script_email",
    }
    assert row["pages_rendered"] == 1 and not row["under_reported"]
    found = query(home, "SELECT * FROM findings WHERE site_id = :s", s=row["id"])
    assert [f["value"] for f in found] == ["hopthu@tinh.sandbox.test"]
    shot = EvidenceStore(home / "evidence").read(found[0]["screenshot_sha256"])
    assert shot.startswith(b"\x89PNG\r\n\x1a\n")


def test_every_page_is_archived_as_warc_and_findings_reference_evidence(
    world: dict[str, Any],
) -> None:
    home = world["home"]
    store = EvidenceStore(home / "evidence")
    fetched = [p for p in pages(home).values() if p["http_status"]]
    assert fetched and all(p["warc_sha256"] for p in fetched)
    page = pages(home)[world["urls"]["polite"] + "public"]
    records = [
        (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(store.read(page["warc_sha256"])))
    ]
    assert [r[0] for r in records] == ["response", "request"]
    assert records[0][1].get_header("WARC-Target-URI") == page["final_url"]
    assert b"mailto:public@polite.test" in records[0][3]
    assert "pobi/" in (records[1][2].get_header("User-Agent") or "")
    for f in query(home, "SELECT * FROM findings"):
        assert store.exists(f["evidence_sha256"])
        assert f["screenshot_sha256"], f
        assert f["found_at"]


def test_second_run_without_resume_adds_no_rows(world: dict[str, Any]) -> None:
    home = world["home"]
    before = {
        t: query(home, f"SELECT count(*) AS n FROM {t}")[0]["n"]
        for t in ("crawl_sites", "pages", "findings")
    }
    only = write_sites(home.parent / "again.csv", [("01", "portal", world["urls"]["polite"])])
    r = crawl(home, only, "--max-pages", "12", POBI_CRAWL_CHECKS=STUB_CHECKS)
    assert r.returncode == 0, r.stdout + r.stderr
    after = {
        t: query(home, f"SELECT count(*) AS n FROM {t}")[0]["n"]
        for t in ("crawl_sites", "pages", "findings")
    }
    assert after == before


def test_private_addresses_refused_unless_allowed(tmp_path: Path, world: dict[str, Any]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    new_round(home)
    one = write_sites(tmp_path / "one.csv", [("01", "portal", world["urls"]["polite"])])
    r = crawl(home, one, POBI_CRAWL_CHECKS=STUB_CHECKS, POBI_CRAWL_ALLOW_PRIVATE_ADDRESSES="false")
    assert r.returncode == 0, r.stdout + r.stderr
    row = sites(home)[world["urls"]["polite"]]
    assert row["fetch_status"] == "private_address"
    assert query(home, "SELECT count(*) AS n FROM findings")[0]["n"] == 0
