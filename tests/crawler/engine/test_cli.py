"""`pobi crawl` argument and input errors: clear messages, exit codes, nothing crawled."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_pobi
from tests.crawler.engine.helpers import new_round


def test_bad_sites_file_names_the_line_and_exits_2(home: Path, tmp_path: Path) -> None:
    new_round(home)
    bad = tmp_path / "sites.csv"
    bad.write_text(
        "province_code,site_kind,url\n01,portal,https://hanoi.gov.vn/\n01,ministry,https://x.vn/\n99,portal,ftp://x\n",
        encoding="utf-8",
    )
    r = run_pobi("crawl", "--round", "t", "--sites", str(bad))
    assert r.returncode == 2, r.stdout + r.stderr
    assert f"{bad}:3:" in r.stderr and "site_kind 'ministry'" in r.stderr
    assert f"{bad}:4:" in r.stderr
    assert not (home / "jobs").exists()


def test_unknown_round_exits_3_with_a_hint(home: Path) -> None:
    r = run_pobi("crawl", "--round", "nope")
    assert r.returncode == 3
    assert "pobi round create nope" in r.stderr


def test_unknown_province_is_an_error(home: Path) -> None:
    new_round(home)
    r = run_pobi("crawl", "--round", "t", "--provinces", "77")
    assert r.returncode == 3, r.stdout + r.stderr
    assert "77" in r.stderr


def test_help_teaches(home: Path) -> None:
    r = run_pobi("crawl", "--help")
    assert r.returncode == 0
    for word in ("--render", "--resume", "--max-pages", "robots.txt", "Hỏi đáp"):
        assert word in r.stdout
