"""The simulated country's budget documents: varied as real publication is, and the report's
comparison of an export with that truth."""

from __future__ import annotations

from collections import Counter

from pobi.models import Era
from pobi.sandbox.doc_truth import compare_documents
from pobi.sandbox.world import build_country


def test_world_publishes_a_varied_set_and_no_placeholder_links() -> None:
    world = build_country(Era.CURRENT, 2026)
    docs = world.documents
    assert len(docs) > 100
    formats = Counter(d.format for d in docs)
    assert {"text", "table", "scanned", "archive", "unreadable"} <= set(formats)
    assert any(d.on_docsystem for d in docs) and any(not d.on_docsystem for d in docs)
    provinces = {d.province_code for d in docs}
    assert 20 <= len(provinces) < 34  # some provinces publish nothing findable
    by_type = Counter(d.doc_type for d in docs)
    assert by_type["estimate_approved"] > by_type["audit_report"]
    # incomplete: some documents carry fewer forms than prescribed
    assert any(0 < len(d.forms) < 3 for d in docs if d.doc_type == "estimate_approved")
    for host in world.hosts.values():
        for page in host.pages.values():
            assert not (isinstance(page.body, str) and "du-toan-2025.pdf" in page.body)
    # the same truth whether or not the files' bytes are written
    assert build_country(Era.CURRENT, 2026).documents == docs


def test_compare_documents_counts_right_wrong_and_missed() -> None:
    world = build_country(Era.CURRENT, 2026)
    truth = world.documents[:3]
    rows = [
        {"province_code": d.province_code, "doc_type": d.doc_type, "fiscal_year": str(d.fiscal_year),
         "period": d.period, "url": f"http://x/{d.file_name}", "format": d.format, "sha256": "f" * 64}
        for d in truth[:2]
    ]  # fmt: skip
    rows[1] = {**rows[1], "doc_type": "other"}  # found but misclassified
    rows.append({**rows[0], "url": "http://x/gone.pdf", "sha256": "", "format": "unreadable"})
    got = compare_documents(rows, truth)
    assert got["found_rows"] == 2  # the 404 row is not a publication
    assert got["classifying"] == {"precision": 0.5, "recall": round(1 / 3, 4)}
    assert got["finding"] == {"precision": 1.0, "recall": round(2 / 3, 4)}
    assert len(got["missed"]) == 2 and len(got["misclassified_or_extra"]) == 1
