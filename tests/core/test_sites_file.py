from __future__ import annotations

from pathlib import Path

import pytest

from pobi.errors import CsvRowError
from pobi.registry import read_sites_file
from tests.conftest import run_pobi


def write(tmp_path: Path, text: str, name: str = "sites.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_valid_file(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "\ufeffprovince_code,site_kind,url\n1,portal,https://hanoi.gov.vn/\n79,finance,https://stc.hochiminhcity.gov.vn\n\n",
    )
    sites = read_sites_file(p)
    assert [(s.province_code, s.site_kind.value) for s in sites] == [
        ("01", "portal"),
        ("79", "finance"),
    ]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("99,portal,https://a.vn", "unknown province code '99'"),
        ("xx,portal,https://a.vn", "is not a number"),
        ("01,shop,https://a.vn", "site_kind 'shop'"),
        ("01,portal,hanoi.gov.vn", "must start with http"),
        ("01,portal", "expected 3 columns"),
        ("01,portal,https://", "has no host"),
        ("01,portal,https://a b.vn", "whitespace"),
    ],
)
def test_each_bad_row_names_its_line(tmp_path: Path, row: str, reason: str) -> None:
    p = write(tmp_path, f"province_code,site_kind,url\n01,portal,https://ok.vn\n{row}\n")
    with pytest.raises(CsvRowError) as exc:
        read_sites_file(p)
    assert exc.value.problems[0][0] == 3
    assert reason in exc.value.problems[0][1]
    assert f"{p}:3:" in str(exc.value)


def test_all_bad_rows_reported_and_duplicates(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "province_code,site_kind,url\n01,portal,https://a.vn\n01,portal,https://a.vn\n02,x,https://b.vn\n",
    )
    with pytest.raises(CsvRowError) as exc:
        read_sites_file(p)
    assert [line for line, _ in exc.value.problems] == [3, 4]
    assert "duplicate of line 2" in exc.value.problems[0][1]


def test_bad_header_and_era(tmp_path: Path) -> None:
    with pytest.raises(CsvRowError, match="header must be"):
        read_sites_file(write(tmp_path, "code,kind,url\n01,portal,https://a.vn\n"))
    with pytest.raises(CsvRowError, match="unknown province code '74'"):
        read_sites_file(
            write(tmp_path, "province_code,site_kind,url\n74,portal,https://a.vn\n"), "current"
        )


def test_cli_check_reports_lines_without_traceback(tmp_path: Path) -> None:
    p = write(
        tmp_path, "province_code,site_kind,url\n01,portal,https://a.vn\n99,portal,https://b.vn\n"
    )
    res = run_pobi("sites", "check", str(p))
    assert res.returncode == 2
    assert f"{p}:3: unknown province code '99'" in res.stderr
    assert "Traceback" not in res.stderr
    verbose = run_pobi("--verbose", "sites", "check", str(p))
    assert "Traceback" in verbose.stderr
    ok = run_pobi(
        "sites",
        "check",
        str(write(tmp_path, "province_code,site_kind,url\n01,portal,https://a.vn\n", "ok.csv")),
    )
    assert ok.returncode == 0 and "1 sites" in ok.stdout
