"""The crawl against the simulated portal farm (``python -m pobi.sandbox.web --farm test``):
precision and recall per channel against the farm's truth, rendering, dead sites, robots, a
moved domain, and a crawl SIGKILLed mid-way then resumed. Real farm process, real `pobi crawl`
subprocesses, real Chromium."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from pobi.sandbox.truth import compare, read_truth
from tests.conftest import POBI, run_pobi
from tests.crawler.engine.helpers import (
    channel_rows,
    crawl,
    crawl_env,
    finding_keys,
    new_round,
    query,
    serve_farm,
    sites,
)
from tests.support import proctree

pytestmark = [pytest.mark.xdist_group("crawl-farm"), pytest.mark.browser]


@pytest.fixture(scope="session")
def farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    with serve_farm(tmp_path_factory.mktemp("farm")) as files:
        yield files


@pytest.fixture(scope="session")
def auto(farm: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("auto") / "home"
    home.mkdir()
    new_round(home)
    result = crawl(home, farm["sites"])
    assert result.returncode == 0, result.stdout + result.stderr
    out = home.parent / "export"
    exported = run_pobi("export", "--round", "t", "--out", str(out), env={"POBI_HOME": str(home)})
    assert exported.returncode == 0, exported.stdout + exported.stderr
    with (out / "channels.csv").open(encoding="utf-8", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    return {"home": home, "result": result, "rows": channel_rows(home), "csv": csv_rows}


def test_every_channel_has_precision_and_recall_of_at_least_095(
    auto: dict[str, Any], farm: dict[str, Path]
) -> None:
    cmp = compare(auto["csv"], read_truth(farm["truth"]), rendered=True, obey_robots=True)
    assert cmp.ok(0.95), cmp.report()
    assert finding_keys(auto["csv"]) == finding_keys(
        auto["rows"]
    )  # the export is a view of the store
    for score in cmp.channels.values():
        assert score.required > 0, f"the farm has no {score.channel}: the test proves nothing"


def test_rows_have_the_channels_csv_columns_and_evidence(auto: dict[str, Any]) -> None:
    rows = auto["rows"]
    assert rows
    assert list(rows[0]) == [
        "province_code",
        "site_kind",
        "site_url",
        "channel",
        "value",
        "found_on",
        "evidence_sha256",
    ]
    assert all(len(r["evidence_sha256"]) == 64 for r in rows)


def test_dead_sites_moved_domain_and_robots(auto: dict[str, Any]) -> None:
    rows = sites(auto["home"])
    statuses = {r["fetch_status"] for r in rows.values()}
    assert {"refused", "http_5xx"} <= statuses
    for r in rows.values():
        if r["fetch_status"] != "ok":
            assert r["pages_fetched"] == 0
    moved = [
        r
        for r in rows.values()
        if r["fetch_status"] == "ok"
        and urlsplit(r["final_url"]).netloc != urlsplit(r["url"]).netloc
    ]
    assert moved, "the farm's moved portal was not followed to its new host"
    for r in moved:  # its findings are kept under the URL as given
        assert any(row["site_url"] == r["url"] for row in auto["rows"])
    blocked = query(auto["home"], "SELECT url FROM pages WHERE status = 'robots_blocked'")
    assert blocked


def test_rendering_is_used_only_where_needed(auto: dict[str, Any]) -> None:
    total = query(
        auto["home"], "SELECT count(*) AS n, sum(rendered) AS r FROM pages WHERE status='ok'"
    )[0]
    assert 0 < total["r"] < total["n"]
    stored = [
        r["render_reason"]
        for r in query(auto["home"], "SELECT DISTINCT render_reason FROM pages WHERE rendered = 1")
    ]
    reasons = {r.split(":")[0] for r in stored}
    assert reasons <= {"js_shell", "script_menu", "script_email", "script_nav", "document_write"}
    assert all(": " in r for r in stored), stored  # every render names its evidence
    assert not any(r["under_reported"] for r in sites(auto["home"]).values())
    unshot = query(
        auto["home"],
        "SELECT count(*) AS n FROM pages WHERE rendered = 1 AND screenshot_sha256 = ''",
    )
    assert unshot[0]["n"] == 0


def test_render_never_misses_script_only_channels_and_flags_the_sites(
    farm: dict[str, Path], auto: dict[str, Any], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    new_round(home)
    r = crawl(home, farm["sites"], "--render", "never")
    assert r.returncode == 0, r.stdout + r.stderr
    truth = read_truth(farm["truth"])
    rows = channel_rows(home)
    cmp = compare(rows, truth, rendered=False, obey_robots=True)
    assert cmp.ok(0.95), cmp.report()
    script_only = {t.key[:5] for t in truth if t.rendered_only}
    assert script_only, "the farm has no script-only channel"
    from pobi.sandbox.truth import make_key

    found = {
        make_key(x["province_code"], x["site_kind"], x["site_url"], x["channel"], x["value"])
        for x in rows
    }
    auto_found = {
        make_key(x["province_code"], x["site_kind"], x["site_url"], x["channel"], x["value"])
        for x in auto["rows"]
    }
    assert script_only & auto_found == script_only  # rendering finds them all
    assert len(script_only - found) >= len(script_only) // 2  # static reading misses most
    flagged = {u for u, s in sites(home).items() if s["under_reported"]}
    needing = {t.site_url for t in truth if t.rendered_only and t.key not in found}
    assert needing <= flagged
    assert "Under-reported" in r.stdout
    assert query(home, "SELECT count(*) AS n FROM pages WHERE rendered = 1")[0]["n"] == 0


def _start_crawl(home: Path, sites_file: Path, output: int) -> subprocess.Popen[str]:
    """`pobi crawl` of round t in its own process group (so a test can kill the whole tree);
    stdout and stderr go to ``output`` (``subprocess.PIPE`` or ``DEVNULL``)."""
    env = {**os.environ, **crawl_env(home), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.Popen(
        [POBI, "crawl", "--round", "t", "--sites", str(sites_file)],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if output == subprocess.PIPE else output,
        text=True,
        start_new_session=True,
    )


def test_sigkill_then_resume_gives_the_same_findings(
    farm: dict[str, Path], auto: dict[str, Any], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    new_round(home)
    proc = _start_crawl(home, farm["sites"], subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.3)
        try:
            stored = query(home, "SELECT count(*) AS n FROM pages")[0]["n"]
        except Exception:  # the store may not exist yet
            continue
        if stored >= 120:
            break
    assert proc.poll() is None, "the crawl ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = query(home, "SELECT count(*) AS n FROM pages")[0]["n"]
    total = query(auto["home"], "SELECT count(*) AS n FROM pages")[0]["n"]
    assert 0 < killed_at < total
    unfinished = query(home, "SELECT count(*) AS n FROM crawl_sites WHERE finished_at IS NULL")
    assert unfinished[0]["n"] > 0
    r = run_pobi(
        "crawl", "--round", "t", "--sites", str(farm["sites"]), "--resume", env=crawl_env(home)
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert finding_keys(channel_rows(home)) == finding_keys(auto["rows"])
    dup = query(home, "SELECT site_id, url, count(*) AS n FROM pages GROUP BY 1, 2 HAVING n > 1")
    assert dup == []
    assert query(home, "SELECT count(*) AS n FROM pages")[0]["n"] == total
    # the killed crawl's findings get their evidence on resume: screenshots of pages whose
    # findings were still waiting for their site's evidence pass included
    missing = "SELECT DISTINCT found_on FROM findings WHERE screenshot_sha256 = '' OR evidence_sha256 = ''"
    assert query(home, missing) == []
    v = run_pobi("evidence", "verify", env={"POBI_HOME": str(home)})
    assert v.returncode == 0, v.stdout + v.stderr
    assert "MISSING" not in v.stdout and "MISMATCH" not in v.stdout


def _browser_pid(root: int) -> int | None:
    """The Chromium browser process (not a renderer or helper) of ``root``'s process tree."""
    for p in proctree.tree(root):
        if proctree.kind(p.pid, root) == "chromium_browser":
            return p.pid
    return None


def test_chromium_killed_mid_crawl_the_crawl_finishes_with_every_finding(
    farm: dict[str, Path], auto: dict[str, Any], tmp_path: Path
) -> None:
    """Chromium SIGKILLed twice while evidence screenshots are being taken: the crawl does not
    hang, finds what an undisturbed crawl finds, and still has a screenshot behind every finding
    (the shots lost with the browser are taken again in a new one)."""
    home = tmp_path / "home"
    home.mkdir()
    new_round(home)
    shots_sql = "SELECT count(DISTINCT found_on) AS n FROM findings WHERE screenshot_sha256 != ''"
    total = query(auto["home"], shots_sql)[0]["n"]
    assert total >= 20
    proc = _start_crawl(home, farm["sites"], subprocess.PIPE)
    kills: list[tuple[int, int]] = []  # (screenshots stored when killed, Chromium's pid)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and len(kills) < 2:
            time.sleep(0.1)
            try:
                shots = query(home, shots_sql)[0]["n"]
            except Exception:  # the store may not exist yet
                continue
            pid = _browser_pid(proc.pid)
            due = (3, total // 2)[len(kills)]  # early, then again in the relaunched browser
            if shots >= due and pid is not None and pid not in {k[1] for k in kills}:
                os.kill(pid, signal.SIGKILL)
                kills.append((shots, pid))
        assert len(kills) == 2, f"the crawl ended before Chromium was killed twice: {kills}"
        assert kills[1][0] < total, "the second kill came after the last screenshot"
        out, _ = proc.communicate(timeout=420)  # a lost browser call fails after ~2 min
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, out
    assert finding_keys(channel_rows(home)) == finding_keys(auto["rows"])
    missing = "SELECT DISTINCT found_on FROM findings WHERE screenshot_sha256 = ''"
    assert query(home, missing) == query(auto["home"], missing) == []
    log = (home / "jobs" / "t" / "crawl.log").read_text(encoding="utf-8", errors="replace")
    assert log.count("Launching browser") >= 3  # the first browser and one after each kill
    v = run_pobi("evidence", "verify", env={"POBI_HOME": str(home)})
    assert v.returncode == 0, v.stdout + v.stderr
    assert "MISSING" not in v.stdout and "MISMATCH" not in v.stdout


def test_the_unlisted_finance_site_is_discovered_and_all_its_channels_found(
    auto: dict[str, Any], farm: dict[str, Path]
) -> None:
    """Province 40's finance site is in no sites file: only the portal's link directory names it."""
    listed = {r["url"] for r in csv.DictReader(farm["sites"].open(encoding="utf-8"))}
    truth = [
        r for r in read_truth(farm["truth"]) if (r.province_code, r.site_kind) == ("40", "finance")
    ]
    assert truth and {r.site_url for r in truth}.isdisjoint(listed)
    found = {(r["site_url"], r["channel"], r["value"]) for r in auto["csv"]}
    missing = [
        r for r in truth if (r.site_url, r.channel, r.value) not in found and not r.robots_blocked
    ]
    assert not missing, missing
    rows = sites(auto["home"])
    assert rows[truth[0].site_url]["source"] == "discovered"
    assert "Discovered: 40 finance site" in auto["result"].stdout
