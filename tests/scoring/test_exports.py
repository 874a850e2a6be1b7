"""Exports: DESIGN.md §6 headers, golden files, determinism, data package validity, XLSX, BOM.

Golden files pin the exports of the synthetic round 2026 (seed 0) judged at AS_OF. After an
intended change, regenerate them with:

    POBI_REGEN_GOLDEN=1 .venv/bin/pytest tests/scoring/test_exports.py -k golden

and review the diff before committing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from scoring import columns as cols
from scoring.export import export_round
from tests.conftest import run_pobi
from tests.scoring.conftest import AS_OF, AS_OF_TEXT, Built, Result

GOLDEN = Path(__file__).parent / "golden" / "2026"

DESIGN_HEADERS = {
    "sites.csv": "province_code,site_kind,url,final_url,fetch_status,pages_fetched",
    "channels.csv": "province_code,site_kind,site_url,channel,value,found_on,evidence_sha256",
    "requests.csv": "request_id,province_code,recipient,state,sent_at,message_id,first_reply_at,"
    "first_human_reply_at,deadline_status,wave,channel",
    "replies.csv": "message_id,request_id,kind,received_at,working_days,coding,raw_sha256,source",
    # DESIGN.md §6, issue 17
    "codings.csv": "message_id,coder,role,code,coded_at",
    "agreement.csv": "measure,category,value,n",
}


def _export(built: Built, out: Path, round_id: str = "2026", **kw: object) -> None:
    with built.store.session() as s:
        export_round(s, round_id, out, built.cfg, at=AS_OF, **kw)  # type: ignore[arg-type]


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_cli_export_matches_golden_files(scored: Built, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_pobi("export", "--round", "2026", "--out", str(out), env=scored.env())
    assert result.returncode == 0, result.stderr
    produced = sorted(p.name for p in out.iterdir())
    if os.environ.get("POBI_REGEN_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.iterdir():
            old.unlink()
        for name in produced:
            (GOLDEN / name).write_bytes((out / name).read_bytes())
    expected = sorted(p.name for p in GOLDEN.iterdir())
    assert produced == expected
    for name in expected:
        assert (out / name).read_bytes() == (GOLDEN / name).read_bytes(), (
            f"{name} differs from tests/scoring/golden/2026/{name} "
            "(regenerate with POBI_REGEN_GOLDEN=1 if the change is intended)"
        )


def test_design_headers_exact_and_sorted(scored: Built, tmp_path: Path) -> None:
    _export(scored, tmp_path)
    for name, header in DESIGN_HEADERS.items():
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.splitlines()[0] == header
    replies = _rows(tmp_path / "replies.csv")
    messages_written = scored.summary.messages
    # one row per stored message of the round, matched or not
    per_round = [r for r in replies]
    assert per_round and len(per_round) < messages_written
    assert {r["kind"] for r in replies} <= {"bounce", "auto_reply", "human"}
    unmatched = [r for r in replies if not r["request_id"]]
    assert len(unmatched) == 2 and all(r["working_days"] == "" for r in unmatched)
    matched = [r for r in replies if r["request_id"]]
    assert all(r["working_days"].isdigit() for r in matched)
    requests = _rows(tmp_path / "requests.csv")
    ids = [int(r["request_id"].split("-")[1]) for r in requests]
    assert ids == sorted(ids)
    assert {r["deadline_status"] for r in requests} <= {
        "on_time",
        "late",
        "overdue",
        "pending",
        "bounced",
        "not_sent",
    }
    channels = _rows(tmp_path / "channels.csv")
    keys = [(r["province_code"], r["site_kind"], r["site_url"], r["channel"]) for r in channels]
    assert keys == sorted(keys)
    emails = [r["value"] for r in channels if r["channel"] == "email"]
    assert emails and all(e == e.lower() for e in emails)


def test_rejected_findings_left_out_of_channels(scored: Built, tmp_path: Path) -> None:
    from sqlalchemy import select

    from pobi.reviews import rejected_finding_ids
    from pobi.store.tables import CrawlSite, Finding

    _export(scored, tmp_path)
    exported = {(r["site_url"], r["channel"], r["value"]) for r in _rows(tmp_path / "channels.csv")}
    with scored.store.session() as s:
        rejected = rejected_finding_ids(s, "2026")
        assert rejected, "the synthetic store should contain rejected findings"
        for f, url in s.execute(
            select(Finding, CrawlSite.url)
            .join(CrawlSite, CrawlSite.id == Finding.site_id)
            .where(Finding.round_id == "2026")
        ):
            assert ((url, f.channel, f.value) in exported) == (f.id not in rejected)


def test_export_twice_is_byte_identical_including_xlsx(scored: Built, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _export(scored, a, fmt="all")
    _export(scored, b, fmt="all")
    names = sorted(p.name for p in a.iterdir())
    assert "pobi-2026.xlsx" in names and "datapackage.json" in names
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_every_export_validates_against_its_datapackage(scored: Built, tmp_path: Path) -> None:
    import frictionless

    for round_id in ("2021", "2026"):
        out = tmp_path / round_id
        _export(scored, out, round_id=round_id)
        report = frictionless.validate(str(out / "datapackage.json"))
        problems = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
        assert report.valid, problems[:10]
        package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
        names = [r["name"] for r in package["resources"]]
        assert names[:4] == ["sites", "channels", "requests", "replies"]
        for res in package["resources"]:
            header = (out / res["path"]).read_text(encoding="utf-8").splitlines()[0].split(",")
            assert header == [f["name"] for f in res["schema"]["fields"]]
        from pobi import __version__

        assert package["pobi"]["tool_version"] == __version__
        assert package["pobi"]["rubric"] == "participation-v1"
        assert package["pobi"]["rubric_version"] == "1.0.0"
        codebook = (out / "CODEBOOK.md").read_text(encoding="utf-8")
        for res in package["resources"]:
            assert f"`{res['path']}`" in codebook
            for f in res["schema"]["fields"]:
                assert f"`{f['name']}`" in codebook


def test_excel_flag_adds_bom_and_still_validates(scored: Built, tmp_path: Path) -> None:
    import frictionless

    _export(scored, tmp_path, bom=True)
    raw = (tmp_path / "rankings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Thành phố Hà Nội" in raw.decode("utf-8-sig")
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_xlsx_has_readme_and_one_sheet_per_table(scored: Built, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _export(scored, tmp_path, fmt="xlsx")
    assert not (tmp_path / "sites.csv").exists()  # xlsx only
    wb = load_workbook(tmp_path / "pobi-2026.xlsx", read_only=True)
    assert wb.sheetnames[0] == "README"
    expected = [t.name for t in cols.FIXED_TABLES]
    assert set(expected) | {"scores_wide"} <= set(wb.sheetnames)
    readme = {row[0]: row[1] for row in wb["README"].iter_rows(values_only=True) if row[0]}
    assert readme["rubric / bộ tiêu chí"] == "participation-v1 version 1.0.0"
    sites = list(wb["sites"].iter_rows(values_only=True))
    assert list(sites[0]) == DESIGN_HEADERS["sites.csv"].split(",")
    ranks = list(wb["rankings"].iter_rows(values_only=True))
    assert isinstance(ranks[1][5], (int, float))  # index stays a number in Excel
    with zipfile.ZipFile(tmp_path / "pobi-2026.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert "2000-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()


def test_xlsx_never_turns_text_into_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from scoring.writers import write_xlsx

    rows = [{"province_code": '=HYPERLINK("http://198.51.100.7","x")', "site_kind": "portal"}]
    write_xlsx(tmp_path / "t.xlsx", [(cols.SITES, rows)], [("k", "v")])
    ws = load_workbook(tmp_path / "t.xlsx")["sites"]
    assert ws["A2"].data_type == "s"
    assert ws["A2"].value.startswith("=HYPERLINK")


def test_empty_round_exports_headers_only(tmp_path: Path, home: Path) -> None:
    assert run_pobi("round", "create", "2027", "--era", "current").returncode == 0
    out = tmp_path / "out"
    result = run_pobi("export", "--round", "2027", "--out", str(out), "--format", "all")
    assert result.returncode == 0, result.stderr
    assert "not scored yet" in result.stdout
    csvs = sorted(out.glob("*.csv"))
    assert len(csvs) == len(cols.FIXED_TABLES) + len(cols.SURVEY_TABLES) + 1
    for path in csvs:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1, path.name
    for name, header in DESIGN_HEADERS.items():
        assert (out / name).read_text(encoding="utf-8").strip() == header
    import frictionless

    assert frictionless.validate(str(out / "datapackage.json")).valid
    assert (out / "pobi-2027.xlsx").exists()
    show = run_pobi("score", "show", "--round", "2027")
    assert show.returncode == 3 and "not scored yet" in show.stderr
    scored = run_pobi("score", "--round", "2027")
    assert scored.returncode == 0, scored.stderr
    assert "0 of 34 provinces have an index" in scored.stdout
    assert "every answer is e" in scored.stdout


def test_export_errors_are_clear(home: Path, tmp_path: Path, invoke: Callable[..., Result]) -> None:
    missing = invoke("export", "--round", "1999", "--out", str(tmp_path / "o"))
    assert missing.returncode == 3 and "No round '1999'" in missing.stderr
    assert invoke("round", "create", "2027", "--era", "current").returncode == 0
    bad = invoke("export", "--round", "2027", "--out", str(tmp_path / "o"), "--format", "pdf")
    assert bad.returncode == 2 and "--format must be one of csv, xlsx, all" in bad.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    clash = invoke("export", "--round", "2027", "--out", str(blocker / "sub"))
    assert clash.returncode == 2 and "Cannot create the output folder" in clash.stderr
    when = invoke("export", "--round", "2027", "--out", str(tmp_path / "o"), "--as-of", "soon")
    assert when.returncode == 2 and "--as-of" in when.stderr
    # a round bound to a custom rubric that is not bundled still exports while unscored
    assert invoke("round", "create", "2028", "--rubric", "my-rubric").returncode == 0
    custom = invoke("export", "--round", "2028", "--out", str(tmp_path / "c"))
    assert custom.returncode == 0, custom.stderr
    assert (tmp_path / "c" / "sites.csv").read_text(encoding="utf-8").startswith("province_code")


def test_legacy_and_current_rounds_side_by_side(scored: Built, tmp_path: Path) -> None:
    from pobi.registry import legacy_sources, successor

    _export(scored, tmp_path / "2026")
    _export(scored, tmp_path / "2021", round_id="2021")
    trends = _rows(tmp_path / "2026" / "trends.csv")
    assert trends == _rows(tmp_path / "2021" / "trends.csv")  # every scored round, both exports
    by_round: dict[str, list[dict[str, str]]] = {}
    for r in trends:
        by_round.setdefault(r["round"], []).append(r)
    assert len(by_round["2026"]) == 34 and len(by_round["2021"]) == 34
    legacy_index = {
        r["province_code"]: float(r["index"]) for r in _rows(tmp_path / "2021" / "rankings.csv")
    }
    for row in by_round["2021"]:
        assert row["era"] == "legacy" and row["method"] == "mean_of_sources"
        expected_sources = [p.code for p in legacy_sources(row["current_code"])]
        assert row["sources"].split(";") == expected_sources
        mean = sum(legacy_index[c] for c in expected_sources) / len(expected_sources)
        assert float(row["index"]) == pytest.approx(mean, abs=0.006)
    for row in by_round["2026"]:
        assert row["method"] == "direct" and row["sources"] == row["current_code"]
    inherited = _rows(tmp_path / "2026" / "inherited.csv")
    assert len(inherited) == 63 and all(r["inherited"] == "true" for r in inherited)
    current = {r["province_code"]: r for r in _rows(tmp_path / "2026" / "rankings.csv")}
    for r in inherited:
        heir = successor(r["legacy_code"]).code
        assert r["current_code"] == heir
        assert r["index"] == current[heir]["index"] and r["rank"] == current[heir]["rank"]
    assert _rows(tmp_path / "2021" / "inherited.csv") == []  # only a current round inherits


@pytest.mark.postgres
def test_postgresql_export_is_identical_to_sqlite(
    scored: Built, pg_url: str, tmp_path: Path
) -> None:
    from tests.scoring.conftest import build

    pg = build(tmp_path / "pg", pg_url)
    try:
        _export(pg, tmp_path / "pg-out", fmt="all")
    finally:
        pg.store.close()
    _export(scored, tmp_path / "sqlite-out", fmt="all")
    for path in sorted((tmp_path / "sqlite-out").iterdir()):
        other = tmp_path / "pg-out" / path.name
        assert other.read_bytes() == path.read_bytes(), path.name


def test_cli_export_all_formats_and_as_of(
    scored: Built, tmp_path: Path, invoke: Callable[..., Result]
) -> None:
    out = tmp_path / "o"
    env = {**scored.env(), "POBI_NOW": ""}
    result = invoke(
        "export", "--round", "2026", "--out", str(out), "-f", "all", "--as-of", AS_OF_TEXT, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "rubric participation-v1@1.0.0" in result.stdout
    golden_requests = (GOLDEN / "requests.csv").read_bytes()
    assert (out / "requests.csv").read_bytes() == golden_requests
    assert (out / "pobi-2026.xlsx").exists()
