"""WACZ of a round's page WARCs as the crawler writes them (gzipped, one per page, a rendered
DOM record included): valid for Webrecorder's validator, each page found through the CDXJ index
with its archived body, deterministic, checked against the store; a missing or corrupt evidence
file is left out and reported, never fatal."""

from __future__ import annotations

import io
import json
import os
import warnings
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawler.archive import Exchange, build_warc
from pobi.config import load_config
from pobi.evidence import EvidenceStore, record
from pobi.models import Era
from pobi.rounds import create_round
from pobi.store import Store
from pobi.store.tables import CrawlSite, Page
from pobi.webarchive import build_wacz, verify_wacz

AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
PAGES = {
    "https://stc.hanoi.gov.vn/": b"<html><body><a href='/hoi-dap'>Hoi dap</a></body></html>",
    "https://stc.hanoi.gov.vn/hoi-dap": "<html><body>Hỏi đáp</body></html>".encode(),
    "https://stc.hanoi.gov.vn/lien-he": b"<html><body>stc@hanoi.gov.vn</body></html>",
}


def _store(home: Path) -> tuple[Store, EvidenceStore, list[str]]:
    store = Store.open(load_config(home), url=f"sqlite:///{home / 'pobi.sqlite'}")
    evidence = EvidenceStore(home / "evidence")
    hashes = []
    with store.session() as s:
        create_round(s, "2026", Era.CURRENT)
        site = CrawlSite(round_id="2026", province_code="01", site_kind="finance",
                         url="https://stc.hanoi.gov.vn/")  # fmt: skip
        s.add(site)
        s.flush()
        for i, (url, body) in enumerate(PAGES.items()):
            warc = build_warc(
                Exchange(
                    url=url,
                    status=200,
                    response_headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=body,
                    fetched_at=AT.replace(minute=i),
                    rendered_html=body.decode() if i == 1 else None,
                )
            )
            sha = record(s, evidence, warc, kind="warc", media_type="application/warc")
            hashes.append(sha)
            s.add(Page(round_id="2026", site_id=site.id, url=url, final_url=url, status="ok",
                       http_status=200, warc_sha256=sha, fetched_at=AT.replace(minute=i)))  # fmt: skip
    return store, evidence, hashes


def test_gzipped_page_warcs_make_a_valid_replayable_wacz(tmp_path: Path) -> None:
    store, evidence, _hashes = _store(tmp_path / "home")
    with store.session() as s:
        result = build_wacz(s, evidence, "2026", tmp_path / "a.wacz")
        again = build_wacz(s, evidence, "2026", tmp_path / "b.wacz")
    assert (tmp_path / "a.wacz").read_bytes() == (tmp_path / "b.wacz").read_bytes()
    assert result.warcs == 3 and not result.unreadable and again.warcs == 3
    assert {p.url for p in result.pages} == set(PAGES)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        from wacz.main import main as wacz_main
    assert wacz_main(["validate", "-f", str(tmp_path / "a.wacz")]) == 0

    with zipfile.ZipFile(tmp_path / "a.wacz") as zf:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
        assert "archive/data.warc.gz" in zf.namelist()
        index = [
            json.loads(x.split(" ", 2)[2])
            for x in zf.read("indexes/index.cdx").decode().splitlines()
        ]
        archive = zf.read("archive/data.warc.gz")
    for url, body in PAGES.items():
        entry = next(e for e in index if e["url"] == url and e.get("status") == "200")
        chunk = archive[int(entry["offset"]) : int(entry["offset"]) + int(entry["length"])]
        rec = next(iter(ArchiveIterator(io.BytesIO(chunk))))
        assert rec.rec_type == "response"
        assert rec.content_stream().read() == body
    assert verify_wacz(tmp_path / "a.wacz", evidence).ok
    store.close()


def test_verify_reports_a_store_that_lost_or_changed_a_file(tmp_path: Path) -> None:
    store, evidence, hashes = _store(tmp_path / "home")
    with store.session() as s:
        build_wacz(s, evidence, "2026", tmp_path / "a.wacz")
    lost = evidence.path_for(hashes[0])
    os.chmod(lost, 0o644)
    lost.unlink()
    report = verify_wacz(tmp_path / "a.wacz", evidence)
    assert not report.ok and any("not in the evidence store" in p for p in report.problems)
    # building again: the lost file is left out and reported, the rest is packaged
    changed = evidence.path_for(hashes[1])
    os.chmod(changed, 0o644)
    changed.write_bytes(b"tampered")
    with store.session() as s:
        result = build_wacz(s, evidence, "2026", tmp_path / "c.wacz")
    assert sorted(result.unreadable) == sorted(hashes[:2]) and result.warcs == 1
    assert verify_wacz(tmp_path / "c.wacz", evidence).ok
    report = verify_wacz(tmp_path / "a.wacz", evidence)
    assert any("differs" in p or "not in the evidence store" in p for p in report.problems)
    store.close()


def test_a_file_that_is_not_a_wacz_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "x.wacz"
    bad.write_bytes(b"not a zip")
    report = verify_wacz(bad, EvidenceStore(tmp_path / "ev"))
    assert not report.ok and "not a readable WACZ" in report.problems[0]
