"""The farm serves what the world says, on loopback, one address per host."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from pobi.models import SiteKind
from pobi.registry import read_sites_file
from pobi.sandbox.truth import read_truth
from pobi.sandbox.web import Farm
from pobi.sandbox.world import build_test_farm


@pytest.fixture(scope="module")
def farm() -> Iterator[Farm]:
    with Farm(build_test_farm()) as f:
        yield f


def get(url: str, **kw: object) -> requests.Response:
    return requests.get(url, timeout=10, **kw)  # type: ignore[arg-type]


def test_sites_file_is_a_valid_sites_file(farm: Farm, tmp_path: Path) -> None:
    path = farm.write_sites_csv(tmp_path / "sites.csv")
    assert path.read_text().splitlines()[0] == "province_code,site_kind,url"
    sites = read_sites_file(path)
    assert len(sites) == len([s for s in farm.world.sites if s.listed]) >= 25
    hosts = {urlsplit(s.url).hostname for s in sites}
    assert len(hosts) == len(sites)  # one loopback address per site
    assert all(h.startswith("127.0.0.") and h != "127.0.0.1" for h in hosts)


def test_every_page_of_every_live_host_is_served(farm: Farm) -> None:
    session = requests.Session()
    for key, host in farm.world.hosts.items():
        if host.dead or host.redirect_all_to or host.latency_ms:
            continue
        for path, page in host.pages.items():
            r = session.get(farm.bases[key] + path, allow_redirects=False, timeout=10)
            assert r.status_code == page.status, (key, path)
            if page.status == 200:
                assert r.headers["Content-Type"].startswith(page.content_type)
                if isinstance(page.body, bytes):
                    assert r.content == page.body
                else:
                    assert "{{" not in r.content.decode(page.encoding.replace("windows-", "cp"))


def test_windows_1258_bytes_and_declared_charset(farm: Farm) -> None:
    r = get(farm.url("{{p11}}/Pages/default.aspx"))
    assert r.headers["Content-Type"] == "text/html; charset=windows-1258"
    assert b'charset=windows-1258"' in r.content
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")
    text = r.content.decode("cp1258")
    import unicodedata

    assert "Hỏi đáp pháp luật" in unicodedata.normalize("NFC", text)


def test_nfd_site(farm: Farm) -> None:
    import unicodedata

    text = get(farm.url("{{p12}}/")).text
    assert unicodedata.normalize("NFD", "Câu hỏi thường gặp") in text
    assert "Câu hỏi thường gặp" not in text


def test_redirects_same_host_and_cross_host(farm: Farm) -> None:
    r = get(farm.url("{{p04}}/"), allow_redirects=False)  # Liferay: / -> /web/guest/trang-chu
    assert r.status_code == 302
    assert r.headers["Location"] == farm.url("{{p04}}/web/guest/trang-chu")
    moved = farm.world.site("22", SiteKind.PORTAL)
    start = farm.url(moved.start_url)
    r = get(start, allow_redirects=False)
    assert r.status_code == 301
    assert urlsplit(r.headers["Location"]).netloc == urlsplit(farm.bases["p22"]).netloc
    final = get(start)
    assert final.status_code == 200 and final.url.startswith(farm.bases["p22"])
    assert len(final.history) == 2  # old host -> new host -> ASP.NET home


def test_robots_txt(farm: Farm) -> None:
    robots = get(farm.url("{{p20}}/robots.txt"))
    assert robots.status_code == 200 and "Disallow: /noi-bo/" in robots.text
    hidden = get(farm.url("{{p20}}/noi-bo/lien-he-truc-tiep"))
    assert hidden.status_code == 200 and "noibo@" in hidden.text  # served: robots is advice
    no_robots = [
        k
        for k, h in farm.world.hosts.items()
        if not h.robots and not h.dead and not h.redirect_all_to
    ]
    assert no_robots and get(farm.bases[no_robots[0]] + "/robots.txt").status_code == 404


def test_dead_sites(farm: Farm) -> None:
    with pytest.raises(requests.ConnectionError):
        requests.get(farm.url("{{p38}}/"), timeout=5)
    r = get(farm.url("{{f08}}/"))
    assert r.status_code == 500


def test_latency_is_per_host(farm: Farm) -> None:
    t = time.perf_counter()
    get(farm.url("{{p20}}/robots.txt"))
    slow = time.perf_counter() - t
    t = time.perf_counter()
    get(farm.url("{{p01}}/robots.txt"))
    fast = time.perf_counter() - t
    assert slow >= 0.3
    assert fast < slow


def test_calendar_trap_is_endless(farm: Farm) -> None:
    r = get(farm.url("{{p24}}/lich-cong-tac?ngay=2031-12-31"))
    assert r.status_code == 200 and "2032-01-01" in r.text


def test_unknown_paths_and_post(farm: Farm) -> None:
    assert get(farm.url("{{p01}}/khong-co")).status_code == 404
    assert (
        requests.post(farm.url("{{p01}}/gui-y-kien"), data={"a": "b"}, timeout=5).status_code == 405
    )


def test_truth_uses_the_sites_file_urls(farm: Farm, tmp_path: Path) -> None:
    farm.write_truth(tmp_path / "truth.csv")
    rows = read_truth(tmp_path / "truth.csv")
    assert rows == farm.truth()
    starts = {u for _, _, u in farm.site_urls()}
    # an unlisted finance site's rows name the URL the portal's link directory gives
    unlisted = farm.url("{{f40}}/")
    assert unlisted not in starts and any(r.site_url == unlisted for r in rows)
    assert {r.site_url for r in rows} <= starts | {unlisted}
    named = [r for r in rows if r.channel == "finance_site" and r.value == unlisted]
    assert [(r.province_code, r.site_kind) for r in named] == [("40", "portal")]
    assert all("{{" not in r.value for r in rows)
    moved = [r for r in rows if r.province_code == "22" and r.site_kind == "portal"]
    assert moved and all(r.site_url == farm.url("{{p22old}}/") for r in moved)
    assert any(r.value.startswith(farm.bases["p22"]) for r in moved)


def test_two_farms_at_once() -> None:
    with Farm(build_test_farm()) as a, Farm(build_test_farm()) as b:
        assert a.bases["p01"] != b.bases["p01"]
        assert get(a.url("{{p01}}/")).text == get(b.url("{{p01}}/")).text.replace(
            b.bases["f01"], a.bases["f01"]
        )


def test_process_mode(tmp_path: Path) -> None:
    sites, truth = tmp_path / "sites.csv", tmp_path / "truth.csv"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pobi.sandbox.web", "--farm", "test", "--latency-ms", "5",
         "--sites-out", str(sites), "--truth-out", str(truth)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "READY"
        rows = read_sites_file(sites)
        assert len(rows) >= 25 and read_truth(truth)
        live = next(s for s in rows if s.province_code == "01" and s.site_kind == SiteKind.PORTAL)
        assert get(live.url).status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_too_many_hosts_is_a_clear_error() -> None:
    from pobi.sandbox.web import FarmError
    from pobi.sandbox.world import Host, World

    world = World(name="big", era=build_test_farm().era, seed=1)
    world.hosts = {f"h{i}": Host(key=f"h{i}") for i in range(251)}
    with pytest.raises(FarmError, match="at most 250 hosts"):
        Farm(world).start()


def test_process_mode_rejects_bad_arguments(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "pobi.sandbox.web", "--farm", "moon", "--sites-out", "x", "--truth-out", "y"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 2 and "invalid choice: 'moon'" in r.stderr
