"""pobi sites verify against real web hosts on loopback; names resolve through a hosts map.

Every host below is a real HTTP(S) server on its own 127.0.150+.X address; the names
(``hagiang.gov.vn``...) reach them only through :class:`pobi.hostmap.Resolver`'s map, never DNS.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pobi.hostmap import Resolver, read_hosts_file
from pobi.models import Era, SiteKind, SiteVerdict, UrlSource
from pobi.registry import Site
from pobi.sitecheck import Target, targets_for, updated_rows, verify
from tests.conftest import run_pobi
from tests.support.mailservers import make_cert
from tests.support.webhosts import Host, RawHost, hosts_file, next_ip, page, redirect

UA = "pobi-test/1.0"


def run(
    hosts: list[Host | RawHost],
    rows: list[tuple[str, str, str, SiteKind]],
    per_host: float = 10.0,
    extra: dict[str, str] | None = None,
):  # type: ignore[no-untyped-def]
    """rows: (era, code, url, kind) -> results in order."""
    mapping = {h.name: h.ip for h in hosts} | (extra or {})
    resolver = Resolver(mapping, only_map=True)
    sites = [
        Site(code, kind, url, era=Era(era), source=UrlSource.PUBLISHED)
        for era, code, url, kind in rows
    ]
    targets = targets_for(sites, Era.CURRENT)
    return verify(targets, resolver=resolver, user_agent=UA, per_host=per_host, workers=4)


@pytest.fixture
def started() -> Iterator[list[Host | RawHost]]:
    live: list[Host | RawHost] = []
    yield live
    for h in live:
        h.stop()


def start(live: list[Host | RawHost], host: Host | RawHost) -> Host | RawHost:
    live.append(host.start())
    return host


def test_ok_diacritics_insensitive_and_redirect_within_host(started) -> None:  # type: ignore[no-untyped-def]
    h = start(
        started,
        Host(
            "hagiang.gov.vn",
            {
                "/": redirect("/portal/home"),
                "/portal/home": page("CONG THONG TIN DIEN TU TINH HA GIANG"),
            },
        ),
    )
    [r] = run(started, [("legacy", "02", h.url, SiteKind.PORTAL)])
    assert r.verdict == SiteVerdict.OK, r
    assert r.names_unit == "yes" and r.matched_name == "ha giang"
    assert r.http_status == "200" and r.final_url.endswith("/portal/home")
    assert r.address == h.ip and r.robots.startswith("robots.txt 404")
    assert h.hits[0] == "/robots.txt"


def test_redirect_to_successor_portal(started) -> None:  # type: ignore[no-untyped-def]
    succ = start(
        started, Host("tuyenquang.gov.vn", {"/": page("Cổng thông tin điện tử tỉnh Tuyên Quang")})
    )
    old = start(started, Host("hagiang.gov.vn", {"/": redirect(succ.url, 302)}))
    [r] = run(started, [("legacy", "02", old.url, SiteKind.PORTAL)])
    assert r.verdict == SiteVerdict.REDIRECTS_TO_SUCCESSOR, r
    assert r.final_host == f"tuyenquang.gov.vn:{succ.port}" and r.redirects == succ.url
    assert r.title == "Cổng thông tin điện tử tỉnh Tuyên Quang"


def test_dead_hosts_are_unreachable_fast(started) -> None:  # type: ignore[no-untyped-def]
    t0 = time.monotonic()
    results = run(
        started,
        [
            ("legacy", "04", "https://caobang.gov.vn/", SiteKind.PORTAL),  # no address at all
            (
                "legacy",
                "06",
                "http://backan.gov.vn:9/",
                SiteKind.PORTAL,
            ),  # address, nothing listens
        ],
        extra={"backan.gov.vn": next_ip()},
    )
    assert [r.verdict for r in results] == [SiteVerdict.UNREACHABLE] * 2
    assert "DNS" in results[0].detail and "refused" in results[1].detail.lower()
    assert time.monotonic() - t0 < 5


def test_untrusted_certificate_is_reported_and_the_page_still_read(started, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cert = make_cert(tmp_path / "cert")
    h = start(
        started,
        Host("caobang.gov.vn", {"/": page("UBND tỉnh Cao Bằng")}, tls_cert=cert),
    )
    [r] = run(started, [("legacy", "04", h.url, SiteKind.PORTAL)])
    assert r.verdict == SiteVerdict.TLS_ERROR, r
    assert "certificate not trusted" in r.tls and r.names_unit == "yes"
    assert r.title == "UBND tỉnh Cao Bằng"


def test_wrong_site_and_finance_site_must_name_the_department(started) -> None:  # type: ignore[no-untyped-def]
    other = start(started, Host("backan.gov.vn", {"/": page("Tỉnh Cao Bằng")}))
    portal_not_finance = start(
        started, Host("stc.hagiang.gov.vn", {"/": page("Cổng thông tin tỉnh Hà Giang")})
    )
    finance = start(
        started, Host("sotaichinh.laocai.gov.vn", {"/": page("SỞ TÀI CHÍNH TỈNH LÀO CAI")})
    )
    results = run(
        started,
        [
            ("legacy", "06", other.url, SiteKind.PORTAL),
            ("legacy", "02", portal_not_finance.url, SiteKind.FINANCE),
            ("legacy", "10", finance.url, SiteKind.FINANCE),
        ],
    )
    assert [r.verdict for r in results] == [
        SiteVerdict.WRONG_SITE,
        SiteVerdict.WRONG_SITE,
        SiteVerdict.OK,
    ], results
    assert "Sở Tài chính" in results[1].detail


def test_garbage_loop_endless_robots_and_http_errors_are_verdicts(started) -> None:  # type: ignore[no-untyped-def]
    garbage = start(started, RawHost("hanam.gov.vn", b"\x00\x01 hello, not http\r\n\r\n"))

    def endless() -> Iterator[bytes]:
        while True:
            yield b"<p>" + b"x" * 65000 + b"</p>"

    def trickle() -> Iterator[bytes]:
        yield b"<html><title>T\xe1\xbb\x89nh"  # never finishes
        while True:
            time.sleep(0.2)
            yield b" "

    loop = start(
        started,
        Host("namdinh.gov.vn", {"/": redirect("/a"), "/a": redirect("/b"), "/b": redirect("/a")}),
    )

    def titled_endless() -> Iterator[bytes]:
        yield "<title>Thái Bình</title>".encode()
        yield from endless()

    big = start(
        started,
        Host("thaibinh.gov.vn", {"/": (200, {"Content-Type": "text/html"}, titled_endless)}),
    )
    slow = start(
        started, Host("ninhbinh.gov.vn", {"/": (200, {"Content-Type": "text/html"}, trickle)})
    )
    robots = start(
        started,
        Host("hungyen.gov.vn", {"/": page("Hưng Yên")}, robots="User-agent: *\nDisallow: /\n"),
    )
    forbidden = start(started, Host("haiduong.gov.vn", {"/": page("x", status=403)}))
    broken = start(started, Host("bacninh.gov.vn", {"/": page("x", status=500)}))
    t0 = time.monotonic()
    results = run(
        started,
        [
            ("legacy", "35", garbage.url, SiteKind.PORTAL),
            ("legacy", "36", loop.url, SiteKind.PORTAL),
            ("legacy", "34", big.url, SiteKind.PORTAL),
            ("legacy", "37", slow.url, SiteKind.PORTAL),
            ("legacy", "33", robots.url, SiteKind.PORTAL),
            ("legacy", "30", forbidden.url, SiteKind.PORTAL),
            ("legacy", "27", broken.url, SiteKind.PORTAL),
        ],
        per_host=3.0,
    )
    got = {r.province_code: r for r in results}
    assert got["35"].verdict == SiteVerdict.GARBAGE, got["35"]
    assert got["36"].verdict == SiteVerdict.REDIRECT_LOOP and got["36"].redirects.endswith("/a")
    assert got["34"].verdict == SiteVerdict.OK and "page cut" in got["34"].detail
    assert got["37"].verdict == SiteVerdict.TIMEOUT, got["37"]
    assert got["33"].verdict == SiteVerdict.BLOCKED and "disallows" in got["33"].detail
    assert robots.hits == ["/robots.txt"]  # the page itself was never asked for
    assert got["30"].verdict == SiteVerdict.BLOCKED and got["27"].verdict == SiteVerdict.HTTP_ERROR
    assert time.monotonic() - t0 < 12  # every host bounded by its 3 s


def test_robots_txt_redirects_are_followed_across_hosts(started) -> None:  # type: ignore[no-untyped-def]
    """RFC 9309 §2.3.1.2: a redirected robots.txt is read where it lands (even on another host)."""
    rules = start(
        started,
        Host(
            "tuyenquang.gov.vn", {"/": page("Tuyên Quang")}, robots="User-agent: *\nDisallow: /\n"
        ),
    )
    moved = start(
        started,
        Host(
            "hagiang.gov.vn",
            {"/robots.txt": redirect(f"{rules.url}robots.txt"), "/": page("Hà Giang")},
        ),
    )
    hop = start(
        started,
        Host(
            "caobang.gov.vn",
            {
                "/robots.txt": redirect("/r1"),
                "/r1": redirect("/r2"),
                "/r2": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /x\n"),
                "/": page("Cao Bằng"),
            },
        ),
    )
    looping = start(
        started,
        Host(
            "laocai.gov.vn",
            {"/robots.txt": redirect("/r1"), "/r1": redirect("/robots.txt"), "/": page("Lào Cai")},
        ),
    )
    results = run(
        started,
        [
            ("legacy", "02", moved.url, SiteKind.PORTAL),
            ("legacy", "04", hop.url, SiteKind.PORTAL),
            ("legacy", "10", looping.url, SiteKind.PORTAL),
        ],
    )
    got = {r.province_code: r for r in results}
    assert got["02"].verdict == SiteVerdict.BLOCKED and "disallows" in got["02"].detail, got["02"]
    assert "/" not in moved.hits and rules.hits == ["/robots.txt"]  # rules read on the other host
    assert got["04"].verdict == SiteVerdict.OK and "via" in got["04"].robots, got["04"]
    assert hop.hits[:3] == ["/robots.txt", "/r1", "/r2"]
    assert got["10"].verdict == SiteVerdict.OK and "loop" in got["10"].robots, got["10"]


def test_updated_rows_keep_the_old_value_in_the_note() -> None:
    from datetime import date

    from pobi.sitecheck import Result

    sites = [
        Site(
            "02",
            SiteKind.PORTAL,
            "https://hagiang.gov.vn/",
            Era.LEGACY,
            UrlSource.PUBLISHED,
            None,
            "n1",
        ),
        Site(
            "04",
            SiteKind.PORTAL,
            "https://caobang.gov.vn/",
            Era.LEGACY,
            UrlSource.PUBLISHED,
            None,
            "",
        ),
        Site(
            "06",
            SiteKind.PORTAL,
            "https://backan.gov.vn/",
            Era.LEGACY,
            UrlSource.INFERRED,
            None,
            "",
        ),
    ]
    targets = [Target(Era.LEGACY, s) for s in sites]
    results = [
        Result(
            "legacy",
            "02",
            "portal",
            sites[0].url,
            verdict="ok",
            names_unit="yes",
            final_url=sites[0].url,
        ),
        Result(
            "legacy",
            "04",
            "portal",
            sites[1].url,
            verdict="moved",
            names_unit="yes",
            final_url="https://new.caobang.gov.vn/home",
        ),
        Result("legacy", "06", "portal", sites[2].url, verdict="unreachable", detail="DNS"),
    ]
    rows = updated_rows(targets, results, date(2026, 12, 3))
    assert rows[0][3:6] == ["https://hagiang.gov.vn/", "verified", "2026-12-03"]
    assert "was https://hagiang.gov.vn/ source=published" in rows[0][6] and rows[0][6].endswith(
        "n1"
    )
    assert (
        rows[1][3] == "https://new.caobang.gov.vn/" and "was https://caobang.gov.vn/" in rows[1][6]
    )
    assert rows[2][3:6] == ["https://backan.gov.vn/", "inferred", ""]
    assert "unreachable (DNS)" in rows[2][6]


def test_hosts_file_errors_name_the_line(tmp_path: Path) -> None:
    from pobi.errors import InputError

    p = tmp_path / "hosts"
    p.write_text("127.0.0.5 a.gov.vn b.gov.vn\n# c\nnot-an-ip x.gov.vn\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3"):
        read_hosts_file(p)
    p.write_text("127.0.0.5 a.gov.vn b.gov.vn  # two names\n", encoding="utf-8")
    assert read_hosts_file(p) == {"a.gov.vn": "127.0.0.5", "b.gov.vn": "127.0.0.5"}


def test_cli_verify_report_and_write(started, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    succ = start(started, Host("tuyenquang.gov.vn", {"/": page("Tỉnh Tuyên Quang")}))
    old = start(started, Host("hagiang.gov.vn", {"/": redirect(succ.url)}))
    ok = start(started, Host("caobang.gov.vn", {"/": page("Cổng TTĐT tỉnh Cao Bằng")}))
    sites = tmp_path / "mine.csv"
    sites.write_text(
        "province_code,site_kind,url\n"
        f"02,portal,{old.url}\n04,portal,{ok.url}\n06,portal,http://backan.gov.vn/\n",
        encoding="utf-8",
    )
    hosts = hosts_file(tmp_path / "hosts", [succ, old, ok])
    env = {
        "POBI_HOME": str(tmp_path / "home"),
        "POBI_HOSTS_FILE": str(hosts),
        "POBI_HOSTS_ONLY": "1",
        "POBI_CRAWL_DOWNLOAD_DELAY": "0.02",
    }
    report, updated = tmp_path / "report.csv", tmp_path / "updated.csv"
    res = run_pobi(
        "sites", "verify", "--sites", str(sites), "--era", "legacy",
        "--out", str(report), "--write", str(updated), env=env, timeout=60,
    )  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert [r["verdict"] for r in rows] == ["redirects_to_successor", "ok", "unreachable"]
    written = list(csv.DictReader(updated.open(encoding="utf-8")))
    assert [w["source"] for w in written] == ["user", "verified", "user"]
    assert list(written[0]) == [
        "province_code", "site_kind", "url", "era", "source", "verified_on", "note",
    ]  # fmt: skip
    assert "was " + ok.url + " source=user" in written[1]["note"]
    # the written file is a DESIGN §6 sites file (pobi crawl --sites reads it), its provenance kept
    from pobi.registry import read_sites_file

    back = read_sites_file(updated, "legacy")
    assert [(s.source.value, s.era.value if s.era else "") for s in back][1] == (
        "verified",
        "legacy",
    )
    assert read_sites_file(updated, "current") == []  # rows of the other era are skipped
    assert run_pobi("sites", "check", str(updated), "--era", "legacy", env=env).returncode == 0
    res = run_pobi(
        "sites", "verify", "--sites", str(updated), "--kind", "portal", "--provinces", "04",
        "--out", str(tmp_path / "again.csv"), env=env, timeout=60,
    )  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    assert "ok" in res.stdout
    # the bundled registry is never the --write target
    res = run_pobi("sites", "verify", "--era", "legacy", "--write", "data/sites.csv", env=env)
    assert res.returncode != 0 and "bundled registry" in res.stdout + res.stderr


def test_cli_offline_every_registry_host_unreachable_quickly(tmp_path: Path) -> None:
    empty = tmp_path / "hosts"
    empty.write_text("", encoding="utf-8")
    env = {
        "POBI_HOME": str(tmp_path / "home"),
        "POBI_HOSTS_FILE": str(empty),
        "POBI_HOSTS_ONLY": "1",
        "POBI_CRAWL_DOWNLOAD_DELAY": "0.02",
    }
    t0 = time.monotonic()
    res = run_pobi("sites", "verify", "--out", str(tmp_path / "r.csv"), env=env, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert len(rows) == 194 and {r["verdict"] for r in rows} == {"unreachable"}
    assert "offline" in res.stdout
    assert time.monotonic() - t0 < 30


def test_registry_form_file_bad_rows_named_by_line(tmp_path: Path) -> None:
    from pobi.errors import CsvRowError
    from pobi.registry import REGISTRY_COLUMNS, registry_sites

    p = tmp_path / "s.csv"
    p.write_text(
        ",".join(REGISTRY_COLUMNS) + "\n"
        "legacy,02,portal,https://hagiang.gov.vn/,verified,2026-12-01,\n"
        "legacy,02,portal,https://hagiang.gov.vn/,guessed,,\n"
        "current,02,portal,https://hagiang.gov.vn/,published,,\n",
        encoding="utf-8",
    )
    with pytest.raises(CsvRowError) as info:
        registry_sites(path=p)
    assert [n for n, _ in info.value.problems] == [3, 4]


def test_a_finance_url_landing_on_the_portal_is_the_wrong_site(started) -> None:  # type: ignore[no-untyped-def]
    # the portal's own page lists "Sở Tài chính" in its link directory, at the bottom
    filler = "Tin tức hoạt động của tỉnh. " * 200
    portal = start(
        started,
        Host(
            "tuyenquang.gov.vn",
            {
                "/": page(
                    "Cổng thông tin điện tử tỉnh Tuyên Quang",
                    filler,
                    links="<a href='x'>Sở Tài chính</a>",
                )
            },
        ),
    )
    finance = start(started, Host("stc.tuyenquang.gov.vn", {"/": redirect(portal.url)}))
    [r] = run(started, [("current", "08", finance.url, SiteKind.FINANCE)])
    assert r.verdict == SiteVerdict.WRONG_SITE, r
    assert "title or banner" in r.detail


def test_requests_to_one_host_are_spaced_by_the_delay(started) -> None:  # type: ignore[no-untyped-def]
    h = start(started, Host("hagiang.gov.vn", {"/": page("Tỉnh Hà Giang")}))
    mapping = {h.name: h.ip}
    site = Site("02", SiteKind.PORTAL, h.url, era=Era.LEGACY, source=UrlSource.PUBLISHED)
    t0 = time.monotonic()
    [r] = verify(
        targets_for([site], Era.LEGACY),
        resolver=Resolver(mapping, only_map=True),
        user_agent=UA,
        delay=0.4,
    )
    assert r.verdict == SiteVerdict.OK and h.hits == ["/robots.txt", "/"]
    assert time.monotonic() - t0 >= 0.4  # robots.txt, a pause, then the page
