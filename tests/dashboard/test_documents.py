"""The dashboard's budget documents: a province's documents with dates, deadline status and its
archived copy; the overview ranks by either index. AppTest against the seeded store, with real
document rows (and a real archived file) added to it."""

from __future__ import annotations

from sqlalchemy import select

from dashboard.i18n import TEXT
from pobi.clock import now
from pobi.config import load_config
from pobi.evidence import EvidenceStore, record
from pobi.sandbox import docfiles
from pobi.store import Store
from pobi.store.tables import CrawlSite, Document
from scoring.rubric import load_rubric
from scoring.scorer import score_round
from tests.dashboard.seed import Seeded
from tests.dashboard.test_pages import app, go, ok


def add_documents(seeded: Seeded) -> bytes:
    pdf = docfiles.pdf_text([["Quyết định công bố công khai dự toán ngân sách năm 2026"]])
    store = Store.open(load_config(seeded.home), migrate_schema=False)
    with store.session() as s:
        site = s.scalars(
            select(CrawlSite).where(CrawlSite.round_id == "2026", CrawlSite.province_code == "01")
        ).first()
        assert site is not None
        sha = record(s, EvidenceStore(seeded.home / "evidence"), pdf, kind="document")
        common = dict(round_id="2026", site_id=site.id, province_code="01", final_url="",
                      found_on=site.url, file_name="", status="ok", content_type="application/pdf",
                      size=len(pdf), kind="pdf", listing_date="", document_date="",
                      last_modified="", forms=[46, 47, 48], pages=1, reasons=["type from title"],
                      text_excerpt="", warc_sha256="", detail="", first_seen=now())  # fmt: skip
        s.add(Document(url="http://stc.test/qd-du-toan-2026.pdf", title="Công khai dự toán 2026",
                       format="text", doc_type="estimate_approved", fiscal_year=2026, period="year",
                       published_on="2026-03-20", date_source="listing", sha256=sha, **common))  # fmt: skip
        s.add(Document(url="http://stc.test/bc-quy-1-2026.xlsx", title="Thực hiện quý I 2026",
                       format="table", doc_type="execution_quarterly", fiscal_year=2026,
                       period="q1", published_on="2026-04-10", date_source="listing",
                       sha256="", **common))  # fmt: skip
        score_round(s, "2026", load_rubric("transparency-v1"))
    store.close()
    return pdf


def test_province_documents_and_overview_by_either_index(seeded: Seeded) -> None:
    add_documents(seeded)
    at = app("en", province="01")
    ok(at)
    at.radio(key="overview_index").set_value("transparency").run()
    ok(at)
    ranking = at.dataframe[0].value
    assert ranking.iloc[0]["code"] == "01"  # the only province with documents leads
    assert ranking["index"].notna().sum() >= 1

    at = go(at, "province")
    ok(at)
    assert TEXT["documents_title"]["en"] in [h.value for h in at.subheader]
    docs = next(d.value for d in at.dataframe if "deadline_label" in d.value.columns)
    est = docs[docs["doc_type"] == "estimate_approved"].iloc[0]
    # decided by 2025-12-10 (usual date; the row has no own date): due 2026-01-09, 70 days late
    assert (est["deadline"], est["deadline_label"], est["days_late"]) == ("2026-01-09", "Late", 70)
    q1 = docs[docs["doc_type"] == "execution_quarterly"].iloc[0]
    assert q1["deadline"] == "2026-04-15"
    labels = [b.label for b in at.get("download_button")]
    assert TEXT["documents_download"]["en"] in labels


def test_data_page_offers_documents_finance_sites_and_survey_tables(seeded: Seeded) -> None:
    """The Data page offers documents.csv, finance_sites.csv, codings.csv, agreement.csv and
    disputes.csv beside the §6 tables, with exactly the columns `pobi export` writes."""
    import scoring.columns as cols
    from dashboard import queries
    from dashboard.privacy import public_export
    from scoring.export import export_round

    add_documents(seeded)
    at = go(app("en"), "data")
    ok(at)
    ids = [b.proto.id for b in at.get("download_button")]
    shown = "\n".join(m.value for m in at.markdown)
    for name in ("documents", "finance_sites", "codings", "agreement", "disputes"):
        assert any(i.endswith(f"dl_{name}") for i in ids), ids
        assert f"**{name}.csv** — {TEXT['table_' + name]['en']}" in shown
    src = queries.source()
    version = queries.data_version(src)
    docs = queries.export_table(src.database_url, version, "2026", "documents")
    assert sorted(docs["url"]) == [
        "http://stc.test/bc-quy-1-2026.xlsx",
        "http://stc.test/qd-du-toan-2026.pdf",
    ]
    assert set(docs["published_on"]) == {"2026-03-20", "2026-04-10"}
    # the same columns as the export's declaration, and the same rows as `pobi export` writes
    store = Store.open(load_config(seeded.home), migrate_schema=False)
    try:
        with store.session() as s:
            export_round(s, "2026", seeded.home / "out", load_config(seeded.home))
    finally:
        store.close()
    import pandas as pd

    for table in (cols.DOCUMENTS, cols.FINANCE_SITES, cols.CODINGS, cols.DISPUTES):
        df = queries.export_table(src.database_url, version, "2026", table.name)
        assert list(df.columns) == [c.name for c in table.columns], table.name
        written = pd.read_csv(seeded.home / "out" / f"{table.name}.csv", dtype=str)
        assert len(df) == len(written), table.name
        key = table.columns[1].name  # site_url / site_url / coder / province_code
        assert sorted(df[key].astype(str)) == sorted(written[key].fillna("").astype(str))
        # public mode leaves no researcher or official names in the download
        public = public_export(table.name, df)
        if table.name == "codings" and len(df):
            assert set(public["coder"]) == {""}
    assert list(queries.export_table(src.database_url, version, "2026", "agreement").columns) == [
        c.name for c in cols.AGREEMENT.columns
    ]
