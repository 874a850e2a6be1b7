"""A finance site only discoverable from the portal's link directory is crawled by the same crawl.

Real loopback sites, a real crawl subprocess with the real checks (no browser): the sites file's
finance URL is dead (connection refused); the portal's "Liên kết website" dropdown names the
Department of Finance on another host. The crawl adds that host as a ``discovered`` finance site,
its e-mail becomes the Department's, the probe plan picks it, and the export's
``finance_sites.csv`` says which site the scores used and why.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_pobi
from tests.crawler.engine.helpers import crawl, crawl_env, new_round, query, write_sites
from tests.crawler.engine.websites import Site, closed_port_url, html

pytestmark = [pytest.mark.xdist_group("discovered-finance")]

FILLER = "<p>" + "Cổng thông tin điện tử tỉnh Hà Giang. " * 10 + "</p>"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("discovered")
    finance = Site(
        {
            "/": html(f"<h1>Sở Tài chính tỉnh Hà Giang</h1>{FILLER}<a href='/lien-he'>Liên hệ</a>"),
            "/lien-he": html(
                "<p>Email: <a href='mailto:stc@hagiang.gov.vn'>stc@hagiang.gov.vn</a></p>"
            ),
        }
    ).start()
    finance_url = f"http://{finance.ip}:{finance.server.server_address[1]}/"  # type: ignore[union-attr]
    directory = (
        "<div class='lien-ket'><b>Liên kết website</b><select onchange='go(this)'>"
        "<option value=''>-- Liên kết website --</option>"
        f"<option value='{finance_url}'>Sở Tài chính</option>"
        "</select></div>"
    )
    portal = Site(
        {"/": html(f"{FILLER}{directory}<a href='mailto:ubnd@hagiang.gov.vn'>ubnd</a>")}
    ).start()
    portal_url = f"http://{portal.ip}:{portal.server.server_address[1]}/"  # type: ignore[union-attr]
    dead = closed_port_url()
    # province 04: the listed finance site answers, the portal names it too (nothing to add);
    # province 08: the listed one answers, the portal names another one (crawled as well)
    listed = Site({"/": html("<h1>Sở Tài chính tỉnh Cao Bằng</h1>")}).start()
    listed_url = f"http://{listed.ip}:{listed.server.server_address[1]}/"  # type: ignore[union-attr]
    same = Site({"/": html(f"{FILLER}<a href='{listed_url}'>Sở Tài chính</a>")}).start()
    same_url = f"http://{same.ip}:{same.server.server_address[1]}/"  # type: ignore[union-attr]
    listed6 = Site({"/": html("<h1>Sở Tài chính tỉnh Bắc Kạn</h1>")}).start()
    listed6_url = f"http://{listed6.ip}:{listed6.server.server_address[1]}/"  # type: ignore[union-attr]
    other6 = Site({"/": html("<h1>Sở Tài chính Bắc Kạn</h1>")}).start()
    other6_url = f"http://{other6.ip}:{other6.server.server_address[1]}/"  # type: ignore[union-attr]
    portal6 = Site({"/": html(f"{FILLER}<a href='{other6_url}'>Website Sở Tài chính</a>")}).start()
    portal6_url = f"http://{portal6.ip}:{portal6.server.server_address[1]}/"  # type: ignore[union-attr]
    home = folder / "home"
    home.mkdir()
    new_round(home)
    sites_file = write_sites(
        folder / "sites.csv",
        [
            ("01", "portal", portal_url),
            ("01", "finance", dead),
            ("04", "portal", same_url),
            ("04", "finance", listed_url),
            ("08", "portal", portal6_url),
            ("08", "finance", listed6_url),
        ],
    )
    res = crawl(home, sites_file, "--render", "never")
    out = folder / "export"
    exported = run_pobi("export", "--round", "t", "--out", str(out), env=crawl_env(home))
    plan = run_pobi("probe", "plan", "--round", "t", env=crawl_env(home))
    try:
        yield {
            "home": home,
            "crawl": res,
            "export": exported,
            "out": out,
            "plan": plan,
            "portal": portal_url,
            "finance": finance_url,
            "dead": dead,
            "listed6": listed6_url,
            "other6": other6_url,
        }
    finally:
        for site in (finance, portal, listed, same, listed6, other6, portal6):
            site.stop()


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_the_discovered_site_is_crawled_in_the_same_crawl(crawled: dict[str, Any]) -> None:
    res = crawled["crawl"]
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Discovered: 01 finance site" in res.stdout
    sites = {
        r["url"]: r for r in query(crawled["home"], "SELECT * FROM crawl_sites WHERE round_id='t'")
    }
    assert sites[crawled["dead"]]["fetch_status"] == "refused"
    found = sites[crawled["finance"]]
    assert found["source"] == "discovered" and found["site_kind"] == "finance"
    assert found["fetch_status"] == "ok" and found["pages_fetched"] == 2
    emails = query(
        crawled["home"],
        "SELECT value, site_kind FROM findings WHERE channel='email' AND site_id=:s",
        s=found["id"],
    )
    assert emails == [{"value": "stc@hagiang.gov.vn", "site_kind": "finance"}]


def test_the_export_says_which_finance_site_was_used_and_why(crawled: dict[str, Any]) -> None:
    assert crawled["export"].returncode == 0, crawled["export"].stderr
    rows = [r for r in _rows(crawled["out"] / "finance_sites.csv") if r["province_code"] == "01"]
    assert [(r["site_url"], r["used_for_scores"]) for r in rows] == [
        (crawled["dead"], "false"),
        (crawled["finance"], "true"),
    ]
    assert rows[0]["source"].endswith("sites.csv") and rows[1]["source"] == "discovered"
    assert "the discovered site is used instead" in rows[0]["reason"]
    discovered = rows[1]
    assert discovered["discovered_from"] == crawled["portal"]
    assert discovered["link_label"] == "Sở Tài chính" and len(discovered["evidence_sha256"]) == 64
    assert "the listed site was unreachable (refused)" in discovered["reason"]
    # DESIGN §6 sites.csv keeps its columns; the discovered site is one more row
    sites = _rows(crawled["out"] / "sites.csv")
    assert list(sites[0]) == [
        "province_code", "site_kind", "url", "final_url", "fetch_status", "pages_fetched",
    ]  # fmt: skip
    assert crawled["finance"] in {r["url"] for r in sites}


def test_the_probe_plan_uses_the_discovered_address(crawled: dict[str, Any]) -> None:
    plan = crawled["plan"]
    assert plan.returncode == 0, plan.stdout + plan.stderr
    rows = query(
        crawled["home"],
        "SELECT recipient, recipient_kind FROM requests WHERE round_id='t' AND province_code='01'",
    )
    assert rows == [{"recipient": "stc@hagiang.gov.vn", "recipient_kind": "finance"}]


def test_a_listed_site_that_works_is_kept_and_a_different_named_one_is_added(
    crawled: dict[str, Any],
) -> None:
    rows = _rows(crawled["out"] / "finance_sites.csv")
    by = {(r["province_code"], r["site_url"]): r for r in rows}
    assert [r["province_code"] for r in rows].count("04") == 1  # the portal names the listed one
    listed6, other6 = by[("08", crawled["listed6"])], by[("08", crawled["other6"])]
    assert listed6["used_for_scores"] == other6["used_for_scores"] == "true"
    assert "names another (" + crawled["other6"] in listed6["reason"]
    assert other6["source"] == "discovered" and other6["link_label"] == "Website Sở Tài chính"
    assert "unreachable" not in other6["reason"]
