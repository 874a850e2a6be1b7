"""documents.csv and the transparency index in a round's exports — scores, rankings, trends — (real
store, real export)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import select

from pobi.clock import now
from pobi.store.tables import CrawlSite, Document, ProvinceIndex
from scoring.export import export_round
from scoring.rubric import load_rubric
from scoring.scorer import score_round
from tests.scoring.conftest import AS_OF, Built

HEADER = (
    "province_code,site_url,doc_type,fiscal_year,period,title,url,found_on,published_on,"
    "date_source,format,sha256"
)


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_documents_csv_and_transparency_rows(fresh: Built, tmp_path: Path) -> None:
    with fresh.store.session() as s:
        site = s.scalars(select(CrawlSite).where(CrawlSite.round_id == "2026")).first()
        assert site is not None
        s.add(
            Document(
                round_id="2026", site_id=site.id, province_code=site.province_code,
                url="http://stc.test/Uploads/qd-du-toan-2026.xlsx", final_url="",
                found_on="http://stc.test/cong-khai-ngan-sach",
                title="Quyết định công bố công khai dự toán ngân sách năm 2026, biểu 46",
                file_name="qd-du-toan-2026.xlsx", status="ok", content_type="", size=10,
                kind="xlsx", format="table", doc_type="estimate_approved", fiscal_year=2026,
                period="year", listing_date="2025-12-30", document_date="2025-12-20",
                last_modified="", published_on="2025-12-30", date_source="listing",
                forms=[46, 47, 48], pages=3, reasons=[], text_excerpt="", sha256="ab" * 32,
                warc_sha256="", detail="", first_seen=now(),
            )
        )  # fmt: skip
        s.flush()
        score_round(s, "2026", load_rubric("transparency-v1"), at=AS_OF)
        # re-scoring participation keeps the transparency rows (each index replaces its own)
        score_round(s, "2026", load_rubric("participation-v1"), at=AS_OF)
        names = {p.index_name for p in s.scalars(select(ProvinceIndex))}
        assert names == {"participation", "transparency"}
        export_round(s, "2026", tmp_path, fresh.cfg, at=AS_OF)
    text = (tmp_path / "documents.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == HEADER
    (doc,) = _rows(tmp_path / "documents.csv")
    assert (doc["doc_type"], doc["fiscal_year"], doc["published_on"], doc["format"]) == (
        "estimate_approved",
        "2026",
        "2025-12-30",
        "table",
    )
    assert doc["site_url"] == site.url and "biểu 46" in doc["title"]
    scores = _rows(tmp_path / "scores.csv")
    mine = [r for r in scores if r["province_code"] == site.province_code]
    t = {r["indicator"]: r for r in mine if r["rubric"] == "transparency-v1@1.0.0"}
    assert len(t) == 30
    assert t["estimate_approved_available"]["answer"] == "a"
    assert t["estimate_approved_timely"]["answer"] == "a"  # 10 days after its own date
    assert t["estimate_approved_complete"]["answer"] == "a"
    assert t["estimate_approved_format"]["answer"] == "a"
    assert any(r["rubric"].startswith("participation-v1@") for r in mine)
    rankings = _rows(tmp_path / "rankings.csv")
    assert {r["rubric"] for r in rankings} == {"participation-v1@1.0.0", "transparency-v1@1.0.0"}
    assert rankings[0]["rubric"].startswith("participation")  # participation ranking first
    # trends.csv: the participation rows as before, then the transparency index's rows, the last
    # column naming the index
    header = (tmp_path / "trends.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "round,era,current_code,index,band,method,sources,index_name"
    trends = _rows(tmp_path / "trends.csv")
    names = [r["index_name"] for r in trends]
    assert names == ["participation"] * 34 + ["transparency"] * 34
    ranked = {
        (r["rubric"].split("-v")[0], r["province_code"]): (r["index"], r["band"]) for r in rankings
    }
    for r in trends:
        assert r["round"] == "2026" and r["method"] == "direct"
        assert (r["index"], r["band"]) == ranked[(r["index_name"], r["current_code"])]
    assert any(
        r["index"] != ranked[("participation", r["current_code"])][0]
        for r in trends
        if r["index_name"] == "transparency"
    )
    codebook = (tmp_path / "CODEBOOK.md").read_text(encoding="utf-8")
    assert "`transparency-v1`" in codebook and "documents.csv" in codebook
    assert "index_name" in codebook
    import frictionless

    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_the_published_site_shows_each_index_on_its_own(fresh: Built, tmp_path: Path) -> None:
    """rankings.csv holds one ranking per index; the site must not mix them (it did: one table of
    68 rows for 34 provinces, and a map coloured by whichever row came last)."""
    import re

    from scoring.site.build import publish_round

    with fresh.store.session() as s:
        score_round(s, "2026", load_rubric("transparency-v1"), at=AS_OF)
        score_round(s, "2026", load_rubric("participation-v1"), at=AS_OF)
        out = tmp_path / "site"
        publish_round(s, "2026", out, fresh.cfg, fresh.evidence, at=AS_OF)
    rankings = _rows(out / "downloads" / "rankings.csv")
    by = {
        k: {r["province_code"]: r for r in rankings if r["rubric"] == k}
        for k in ("participation-v1@1.0.0", "transparency-v1@1.0.0")
    }
    assert all(len(v) == 34 for v in by.values())
    index = (out / "index.html").read_text(encoding="utf-8")

    def table(table_id: str) -> list[tuple[str, str]]:
        body = index.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
        rows = re.findall(r'<tr data-province-code="(\d+)">(.*?)</tr>', body, flags=re.S)
        return [(code, re.findall(r'class="num">([^<]*)<', cells)[1]) for code, cells in rows]

    for table_id, key in (
        ("ranking-table", "participation-v1@1.0.0"),
        ("ranking-table-transparency-v1", "transparency-v1@1.0.0"),
    ):
        rows = table(table_id)
        assert len(rows) == 34, table_id
        for code, shown in rows:  # each table shows its own index (Vietnamese decimal comma)
            want = float(by[key][code]["index"]) if by[key][code]["index"] else None
            assert (shown.replace(",", ".") == f"{want:.1f}") if want is not None else True
    # two maps, each with every unit once, each titled by its index
    assert index.count('class="pobi-map"') == 2
    assert 'id="map-transparency-v1"' in index and "Công khai ngân sách" in index
    # a province page: both indices, each with its rank among 34, both indicator tables
    page = (out / "provinces" / "01.html").read_text(encoding="utf-8")
    assert page.count("trên 34") >= 2 and "trên 68" not in page
    assert page.count("<caption>Các tiêu chí:") == 2
    # the methodology explains both rubrics, in Vietnamese
    method = (out / "methodology.html").read_text(encoding="utf-8")
    assert "transparency-v1@1.0.0" in method and "đọc từ nội dung tệp" in method
