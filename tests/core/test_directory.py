"""pobi sites discover against real directory pages on loopback (names through a hosts map)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from pobi.directory import candidates, page_links
from pobi.models import Era
from tests.conftest import run_pobi
from tests.support.webhosts import Host, hosts_file, page

NATIONAL = """
<h2>Cổng thông tin điện tử các tỉnh, thành phố</h2>
<ul>
 <li><a href="https://hanoi.gov.vn/">Thành phố Hà Nội</a></li>
 <li><a href="https://www.tuyenquang.gov.vn/portal">UBND tỉnh Tuyên Quang</a></li>
 <li><a href="https://hue.gov.vn/"><img alt="Thành phố Huế" src="/logo.png"></a></li>
 <li><a href="https://caobang.gov.vn/">caobang.gov.vn</a></li>
 <li><a href="https://sotaichinh.hanoi.gov.vn/">Sở Tài chính Hà Nội</a></li>
 <li><a href="/gioi-thieu">Giới thiệu</a> <a href="mailto:x@chinhphu.vn">e-mail</a></li>
 <li><a href="https://dichvucong.gov.vn/">Cổng Dịch vụ công quốc gia</a></li>
</ul>"""

PROVINCE = """
<div class="lien-ket"><label>Liên kết website</label><select>
 <option value="">-- Chọn website --</option>
 <option value="https://sokhdt.tuyenquang.gov.vn/">Sở Kế hoạch và Đầu tư</option>
 <option value="https://stc.tuyenquang.gov.vn/trang-chu">Sở Tài chính</option>
 <option value="https://snv.tuyenquang.gov.vn/">Sở Nội vụ</option>
</select></div>"""


def test_national_list_gives_portals_and_a_named_finance_site() -> None:
    links = page_links(NATIONAL.encode(), "text/html; charset=utf-8", "https://chinhphu.vn/ds")
    rows = candidates(links, "https://chinhphu.vn/ds", Era.CURRENT)
    got = {(r["province_code"], r["site_kind"], r["url"]) for r in rows}
    assert got == {
        ("01", "portal", "https://hanoi.gov.vn/"),
        ("01", "finance", "https://sotaichinh.hanoi.gov.vn/"),
        ("08", "portal", "https://www.tuyenquang.gov.vn/"),
        ("46", "portal", "https://hue.gov.vn/"),
        ("04", "portal", "https://caobang.gov.vn/"),  # by host: the label names no unit
    }
    assert all(r["same_as_registry"] == "yes" for r in rows if r["site_kind"] == "portal")


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[tuple[dict[str, str], Host, Host]]:
    national = Host("chinhphu.vn", {"/dia-phuong": page("Địa phương", links=NATIONAL)}).start()
    province = Host("tuyenquang.gov.vn", {"/": page("Tuyên Quang", links=PROVINCE)}).start()
    env = {
        "POBI_HOME": str(tmp_path / "home"),
        "POBI_HOSTS_FILE": str(hosts_file(tmp_path / "hosts", [national, province])),
        "POBI_HOSTS_ONLY": "1",
        "POBI_CRAWL_DOWNLOAD_DELAY": "0.02",
    }
    yield env, national, province
    national.stop()
    province.stop()


def test_cli_discover_from_a_province_list(directory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env, _, province = directory
    res = run_pobi(
        "sites",
        "discover",
        "--from",
        province.url,
        "--province",
        "08",
        "--all",
        env=env,
        timeout=60,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    got = {(r["site_kind"], r["url"], r["same_as_registry"]) for r in rows}
    assert ("finance", "https://stc.tuyenquang.gov.vn/", "yes") in got
    assert ("other", "https://snv.tuyenquang.gov.vn/", "") in got and len(rows) == 3
    assert {r["found_on"] for r in rows} == {province.url}
    # the output is a sites file pobi reads
    out = tmp_path / "cands.csv"
    out.write_text(res.stdout, encoding="utf-8")
    assert run_pobi("sites", "check", str(out), env=env).returncode == 0


def test_cli_discover_national_list_to_file_and_dead_page(directory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env, national, _ = directory
    out = tmp_path / "c.csv"
    url = national.url + "dia-phuong"
    res = run_pobi("sites", "discover", "--from", url, "--out", str(out), env=env, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "5 candidates" in res.stdout
    res = run_pobi("sites", "discover", "--from", "http://nowhere.gov.vn/", env=env, timeout=60)
    assert res.returncode != 0 and "unreachable" in res.stdout + res.stderr
