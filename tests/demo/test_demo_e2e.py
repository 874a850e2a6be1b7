"""`pobi demo --no-dashboard` end to end: the whole survey against the simulated country.

Real processes and servers only: the simulated web (one HTTP server per loopback address), the
sandbox mail server (SMTP submission + IMAP), Chromium for pages that need it, SQLite. Checks:
the exports exist and validate against their own data package; the tool agrees with the
simulation's ground truth at >= 0.95 per channel and per reply kind; and no configured secret
leaks into the store, the evidence, the exports or the logs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_pobi

EXPORTS = [
    "sites.csv",
    "channels.csv",
    "requests.csv",
    "replies.csv",
    "scores.csv",
    "rankings.csv",
    "statistics.csv",
    "documents.csv",
    "datapackage.json",
    "CODEBOOK.md",
]
COLUMNS = {
    "sites.csv": "province_code,site_kind,url,final_url,fetch_status,pages_fetched",
    "channels.csv": "province_code,site_kind,site_url,channel,value,found_on,evidence_sha256",
    "requests.csv": "request_id,province_code,recipient,state,sent_at,message_id,first_reply_at,first_human_reply_at,deadline_status,wave,channel",
    "replies.csv": "message_id,request_id,kind,received_at,working_days,coding,raw_sha256,source",
    "documents.csv": "province_code,site_url,doc_type,fiscal_year,period,title,url,found_on,published_on,date_source,format,sha256",
}
SMTP_PASSWORD = "leak-canary-Zq8v1Xw3"
TOKEN_SECRET = "token-canary-Pp4kLm9r"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    home = tmp_path_factory.mktemp("demo") / "home"
    res = run_pobi(
        "demo",
        "--home",
        str(home),
        "--no-dashboard",
        env={"POBI_SANDBOX_PASSWORD": SMTP_PASSWORD, "POBI_TOKEN_SECRET": TOKEN_SECRET},
        timeout=1500,
    )
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
    # The simulated web and mail servers are stopped when the demo ends.
    leftovers = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(home) in text:
            leftovers.append(text)
    assert leftovers == [], leftovers
    return home, res.stdout + res.stderr


def test_exports_exist_with_the_design_columns(demo: tuple[Path, str]) -> None:
    home, _ = demo
    out = home / "exports" / "demo"
    for name in EXPORTS:
        assert (out / name).is_file(), name
    for name, header in COLUMNS.items():
        first = (out / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == header, name
    assert list(out.glob("*.xlsx")), "the XLSX workbook"


def test_exports_validate_against_their_data_package(demo: tuple[Path, str]) -> None:
    from frictionless import Package, system

    home, _ = demo
    with system.use_context(trusted=True):
        report = Package(str(home / "exports" / "demo" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]


def test_agrees_with_the_ground_truth(demo: tuple[Path, str]) -> None:
    home, _ = demo
    report = json.loads((home / "sandbox" / "demo-report.json").read_text(encoding="utf-8"))
    for channel, c in report["channels"].items():
        assert c["precision"] >= 0.95 and c["recall"] >= 0.95, (channel, c)
    assert report["channels"]["email"]["required"] > 30  # the world is not trivially small
    for kind, r in report["replies"].items():
        assert r["expected"] > 0, f"the simulation produced no {kind} message"
        assert r["kind_accuracy"] >= 0.95 and r["match_accuracy"] >= 0.95, (kind, r)
    assert report["working_days"]["compared"] > 0
    assert report["working_days"]["max_abs_error"] == 0
    assert report["deadline_status"]["agreement"] >= 0.95, report["deadline_status"]
    assert report["coding_agreement"] == 1.0
    rendering = report["rendering"]  # the rendering policy's share of the crawled pages
    assert rendering["pages"] > 500 and rendering["rendered"] > 0
    assert rendering["share"] <= rendering["goal"] == 0.15, rendering
    # two simulated blind coders disagree on every third human reply; the adjudicator's codes
    # (the truth) win, so the final coding still agrees with the truth above
    kappa, n = report["coder_agreement"]["cohen_kappa:all"]
    assert int(n) > 0 and 0 < float(kappa) < 1, report["coder_agreement"]
    # Calibrated like POBI 2019: nearly all portals list Q&A and e-mail; few departments answer.
    qa, n = report["coverage"]["portal:qa_section"]
    assert qa / n >= 0.85
    subst = report["headline"]["province:substantive_reply_rate"]
    assert float(subst["value"]) <= 0.35
    # budget documents: found on the finance sites and document systems, read and classified
    docs = report["documents"]
    assert docs["published"] > 100 and docs["on_document_systems"] > 0
    assert docs["precision"] >= 0.95 and docs["recall"] >= 0.95, docs
    assert docs["finding"]["recall"] >= 0.95 and docs["format_agreement"] >= 0.95, docs


def test_no_secret_leaks_anywhere(demo: tuple[Path, str]) -> None:
    """Configured passwords and the token secret never reach the store, evidence, exports or logs."""
    home, log = demo
    needles = [SMTP_PASSWORD.encode(), TOKEN_SECRET.encode()]
    for needle in needles:
        assert needle not in log.encode()
    scanned = 0
    for path in home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            scanned += 1
            for needle in needles:
                assert needle not in data, f"{needle!r} found in {path}"
    assert scanned > 100  # database, WAL, evidence files, exports, previews


def test_the_static_site_is_published(demo: tuple[Path, str]) -> None:
    home, _out = demo
    site = home / "site" / "demo"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.count("data-province-code=") >= 34  # the map (and the ranking rows)
    assert (site / "downloads" / "pobi-demo.wacz").stat().st_size > 0
    assert (
        len(list((site / "provinces").glob("*.html")))
        == len(list((site / "en" / "provinces").glob("*.html")))
        >= 34
    )
