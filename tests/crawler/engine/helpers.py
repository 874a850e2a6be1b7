"""Running `pobi crawl` in a subprocess against loopback sites, and reading its results back."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.conftest import REPO, run_pobi

STUB_CHECKS = "tests.crawler.engine.stubs:emails,tests.crawler.engine.stubs:no_hints"


def crawl_env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        "POBI_HOME": str(home),
        "POBI_CRAWL_ALLOW_PRIVATE_ADDRESSES": "true",  # everything here is on loopback
        "POBI_CRAWL_BROWSER_LOOPBACK_ONLY": "true",  # and Chromium reaches nothing else
        "POBI_CRAWL_DOWNLOAD_DELAY": "0.02",
        "POBI_CRAWL_TIMEOUT": "3",
        "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    env.update(extra)
    return env


def write_sites(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["province_code", "site_kind", "url"])
        w.writerows(rows)
    return path


def new_round(home: Path, round_id: str = "t") -> None:
    r = run_pobi("round", "create", round_id, env={"POBI_HOME": str(home)})
    assert r.returncode == 0, r.stderr


def one_site_round(folder: Path, url: str) -> tuple[Path, Path]:
    """A fresh home under ``folder`` with round ``t``, and a sites file holding ``url`` as
    province 01's portal: (home, sites file)."""
    home = folder / "home"
    home.mkdir()
    new_round(home)
    return home, write_sites(folder / "sites.csv", [("01", "portal", url)])


def crawl(
    home: Path, sites_file: Path, *args: str, round_id: str = "t", **env: str
) -> subprocess.CompletedProcess[str]:
    return run_pobi(
        "crawl", "--round", round_id, "--sites", str(sites_file), *args, env=crawl_env(home, **env)
    )


def query(home: Path, sql: str, **params: Any) -> list[dict[str, Any]]:
    engine = create_engine(f"sqlite:///{home / 'pobi.sqlite'}")
    try:
        with engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(text(sql), params)]
    finally:
        engine.dispose()


def channel_rows(home: Path, round_id: str = "t") -> list[dict[str, Any]]:
    """DESIGN.md §6 channels.csv rows, built straight from the store."""
    return query(
        home,
        """SELECT f.province_code, f.site_kind, s.url AS site_url, f.channel, f.value,
                  f.found_on, f.evidence_sha256
           FROM findings f JOIN crawl_sites s ON s.id = f.site_id
           WHERE f.round_id = :r ORDER BY 1, 2, 3, 4, 5""",
        r=round_id,
    )


def pages(home: Path, round_id: str = "t") -> dict[str, dict[str, Any]]:
    return {r["url"]: r for r in query(home, "SELECT * FROM pages WHERE round_id = :r", r=round_id)}


def sites(home: Path, round_id: str = "t") -> dict[str, dict[str, Any]]:
    return {
        r["url"]: r
        for r in query(home, "SELECT * FROM crawl_sites WHERE round_id = :r", r=round_id)
    }


@contextmanager
def serve_farm(folder: Path) -> Iterator[dict[str, Path]]:
    """The simulated portal farm (``python -m pobi.sandbox.web --farm test``) in its own process,
    each site on its own loopback address; yields its sites file and ground-truth file."""
    sites_file, truth_file = folder / "sites.csv", folder / "truth.csv"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pobi.sandbox.web",
            "--farm",
            "test",
            "--sites-out",
            str(sites_file),
            "--truth-out",
            str(truth_file),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "READY", line
        yield {"sites": sites_file, "truth": truth_file}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def finding_keys(rows: list[dict[str, Any]]) -> set[tuple[str, ...]]:
    """Findings as comparable keys (store rows or channels.csv rows)."""
    return {
        (r["province_code"], r["site_kind"], r["site_url"], r["channel"], r["value"]) for r in rows
    }
